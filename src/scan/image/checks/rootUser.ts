import type { ImageCheck } from './check.js';

/** The image config's User: empty means root, as do "root" and uid 0 (with or without a group). */
export const imageRootUser: ImageCheck = {
  meta: {
    id: 'IMAGE_ROOT_USER',
    family: 'image',
    severity: 'high',
    title: 'Image runs as root',
    description: 'The image config sets no user, or root: unless the pod overrides it, the model server runs as uid 0.',
    remediation: 'Rebuild with a numeric non-root USER, and set runAsNonRoot and runAsUser in the pod.',
    frameworks: { 'nist-800-53': ['AC-6'], cis: ['4.1'] },
    messages: { unset: 'image {image} sets no user, so it runs as root', root: 'image {image} runs as "{user}", which is root' },
  },
  check({ name, config }) {
    const user = config.config?.User ?? '';
    const [account = ''] = user.split(':');
    if (user === '') return [{ messageId: 'unset', data: { image: name }, path: '/config/User' }];
    if (account === 'root' || /^0+$/.test(account)) return [{ messageId: 'root', data: { image: name, user }, path: '/config/User' }];
    return [];
  },
};
