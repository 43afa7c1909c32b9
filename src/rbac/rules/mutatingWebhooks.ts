import { defineRbacRule } from '../analysis.js';

/** Kubescape C-0036: every mutating webhook rewrites objects as they are admitted; list them for review. */
export const mutatingWebhooks = defineRbacRule({
  id: 'RBAC_MUTATING_WEBHOOK',
  severity: 'info',
  title: 'Mutating admission webhook to review',
  description: 'A MutatingWebhookConfiguration changes objects as the API server admits them (KServe, Kubeflow PodDefaults and Istio inject containers this way). Check what it targets and who may change it (RBAC_ADMISSION_WEBHOOKS). Kubescape C-0036.',
  remediation: 'Check the webhook\'s rules, namespaceSelector and failurePolicy, and that only the platform pipeline may change it.',
  frameworks: { 'nist-800-53': ['CM-5', 'SI-7'], 'mitre-attack': ['T1562.001'], kubescape: ['C-0036'] },
  messages: { review: 'The mutating webhook configuration {name} rewrites objects at admission: review it' },
  detect: (context) => context.model.input.webhooks.filter((w) => w.kind === 'MutatingWebhookConfiguration').map((w) => ({ resource: w.ref, ...(w.location ? { location: w.location } : {}), messageId: 'review', data: { name: w.name } })),
});
