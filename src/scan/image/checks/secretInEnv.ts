import { isSecretName, tokenFormatIn } from '../../../knowledge/index.js';
import type { ImageCheck, ImageCheckReport } from './check.js';

/** Env of the image config: anyone who can pull the image reads it. */
export const imageSecretInEnv: ImageCheck = {
  meta: {
    id: 'IMAGE_SECRET_IN_ENV',
    family: 'image',
    severity: 'high',
    title: 'Secret in the image environment',
    description: 'The image config carries an environment variable that holds or names a secret; it ships with every copy of the image.',
    remediation: 'Rebuild without the variable and inject it at run time from a Kubernetes Secret; rotate the exposed token.',
    frameworks: { 'nist-800-53': ['IA-5', 'SC-28'], 'mitre-atlas': ['AML.T0055'] },
    messages: { token: 'image {image} sets {name} to a {format}', name: 'image {image} sets {name}, which looks like a secret' },
  },
  check({ name, config }) {
    const reports: ImageCheckReport[] = [];
    (config.config?.Env ?? []).forEach((entry, i) => {
      const eq = entry.indexOf('=');
      const variable = eq < 0 ? entry : entry.slice(0, eq);
      const value = eq < 0 ? '' : entry.slice(eq + 1);
      const format = tokenFormatIn(value);
      if (format) reports.push({ messageId: 'token', data: { image: name, name: variable, format: format.name }, path: `/config/Env/${i}` });
      else if (value !== '' && isSecretName(variable)) reports.push({ messageId: 'name', data: { image: name, name: variable }, path: `/config/Env/${i}` });
    });
    return reports;
  },
};
