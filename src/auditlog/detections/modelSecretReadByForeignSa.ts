import { defineRule } from '../../core/rule.js';
import type { Detection } from './types.js';

export const modelSecretReadByForeignSa: Detection = {
  meta: defineRule({
    id: 'AUDITLOG_MODEL_SECRET_READ_BY_FOREIGN_SA',
    family: 'auditlog',
    severity: 'high',
    title: 'Model-storage credentials read by a service account of another namespace',
    description:
      'A Secret whose name marks it as model-storage or model-hub credentials (KServe `storage-config`, S3/GCS/MinIO/Azure keys, Hugging Face tokens, registry credentials) was read (get, list or watch succeeded) by a service account from another namespace, or by an anonymous user. The serving runtime and storage initializer read their own namespace\'s secrets; a foreign service account doing so is a stolen token moving laterally, or a role that grants too much. Works on Metadata-level events: only the secret\'s name and the caller are needed.',
    remediation: 'Find which binding granted the read (the authorization.k8s.io/reason annotation names it) and narrow it to resourceNames in the serving namespace; rotate the storage credentials if the caller was not expected.',
    frameworks: { 'mitre-attack': ['T1552.007', 'T1528'], 'mitre-atlas': ['AML.T0055', 'AML.T0012'] },
    messages: { alert: '{output}' },
  }),
  falco: {
    rule: 'Model Storage Secret Read By Foreign Service Account',
    desc: 'Detect reads of model-storage credentials by a service account of another namespace or by an anonymous user.',
    condition: 'palisade_complete and ka.target.resource = secrets and ka.verb in (get, list, watch) and palisade_succeeded and (palisade.user.foreign_sa = true or palisade_anonymous) and palisade_model_storage_secret',
    output: 'Model storage secret read by foreign identity (user=%ka.user.name secret=%ka.target.name ns=%ka.target.namespace verb=%ka.verb reason=%ka.auth.reason)',
    priority: 'Error',
    tags: ['k8s', 'ml', 'mitre_credential_access'],
  },
};
