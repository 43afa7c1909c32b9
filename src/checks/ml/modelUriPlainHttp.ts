import { z } from 'zod';
import { modelUriFields } from '../context.js';
import { MODEL_URI_KEYS } from '../../knowledge/index.js';
import type { CheckReport, ResourceCheck } from '../types.js';

export const modelUriPlainHttp: ResourceCheck<Record<string, never>> = {
  scope: 'resource',
  meta: {
    id: 'MODEL_URI_PLAIN_HTTP',
    family: 'audit',
    severity: 'high',
    title: 'Model is downloaded over plain HTTP',
    description:
      'A model fetched over `http://` can be replaced in transit, and a pickle-based model (joblib, PyTorch .pt/.bin) replaced in transit runs the attacker\'s code when the server loads it. Reported for `storageUri`/`storageUris` (KServe InferenceService and TrainedModel), `model.uri` (LLMInferenceService) and model-URI env vars.',
    remediation: 'Serve the model over https:// or from object storage (s3://, gs://, azureblob://) with credentials, and verify its digest or signature before loading.',
    frameworks: { 'nist-800-53': ['SC-8', 'SI-7'], 'mitre-atlas': ['AML.T0010'] },
    params: z.strictObject({}),
    defaultParams: {},
    messages: { plainHttp: 'model location {uri} uses plain http' },
  },
  create() {
    return (context) => {
      const out: CheckReport[] = [];
      for (const { text, pointer } of modelUriFields(context)) {
        if (/^http:\/\//i.test(text.trim())) out.push({ messageId: 'plainHttp', data: { uri: text.trim() }, path: pointer });
      }
      for (const pod of context.pods) {
        for (const c of pod.containers) {
          for (const entry of c.env) if (MODEL_URI_KEYS.has(entry.name) && /^http:\/\//i.test(entry.value ?? '')) out.push({ messageId: 'plainHttp', data: { uri: entry.value! }, path: entry.path + '/value' });
        }
      }
      return out;
    };
  },
};
