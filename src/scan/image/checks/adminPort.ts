import { PORT_ALONE_ADMIN_PORTS as ADMIN_PORTS } from '../../../knowledge/index.js';
import type { ImageCheck } from './check.js';

export const imageAdminPort: ImageCheck = {
  meta: {
    id: 'IMAGE_ADMIN_PORT',
    family: 'image',
    severity: 'medium',
    title: 'Image exposes an admin port of an ML tool',
    description: 'The image config exposes a port that controls the model server or cluster (TorchServe management, Ray dashboard, Jupyter…).',
    remediation: 'Expose only the inference port; bind admin APIs to localhost and reach them with kubectl port-forward.',
    frameworks: { 'mitre-atlas': ['AML.T0049'], 'nist-800-53': ['CM-7', 'SC-7'] },
    messages: { port: 'image {image} exposes {port}: {service} ({why})' },
  },
  check({ name, config }) {
    return Object.keys(config.config?.ExposedPorts ?? {}).flatMap((key) => {
      const port = Number(key.split('/')[0]);
      const entry = ADMIN_PORTS.find((p) => p.port === port);
      return entry ? [{ messageId: 'port', data: { image: name, port: key, service: entry.service, why: entry.why }, path: `/config/ExposedPorts/${key.replace(/~/g, '~0').replace(/\//g, '~1')}` }] : [];
    });
  },
};
