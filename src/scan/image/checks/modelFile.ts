import type { Severity } from '../../../core/types.js';
import { isPickleModel } from '../../../knowledge/index.js';
import type { ImageCheck, ImageCheckReport } from './check.js';

/** The model scanner's verdicts, with the severities of DESIGN.md. */
const VERDICT_SEVERITY: Record<string, Severity> = { malicious: 'critical', suspicious: 'medium', invalid: 'low', unsupported: 'info' };

/** A pickle in /models is the ML version of a backdoored binary. */
export const imageModelFile: ImageCheck = {
  meta: {
    id: 'IMAGE_MODEL_FILE',
    family: 'image',
    severity: 'medium',
    title: 'Model file in the image',
    description: 'The image contains model weights. Pickle-based formats run code when loaded; each is scanned with the model scanner, and its verdict sets the severity.',
    remediation: 'Remove malicious or suspicious files, convert pickles to safetensors, and load verified weights from a model store.',
    frameworks: { 'mitre-atlas': ['AML.T0018', 'AML.T0011'], 'nist-800-53': ['SI-7', 'SI-3'] },
    messages: {
      verdict: '{path} in image {image} is {verdict}: {detail}',
      unscanned: '{path} in image {image} is a pickle-based model that was not scanned ({reason})',
    },
  },
  check({ name, models }) {
    const reports: ImageCheckReport[] = [];
    for (const model of models) {
      if (model.verdict !== undefined) {
        const severity = VERDICT_SEVERITY[model.verdict];
        if (!severity) continue; // safe
        const worst = model.findings?.[0];
        reports.push({ messageId: 'verdict', data: { path: model.path, image: name, verdict: model.verdict, detail: worst?.message ?? model.verdict }, severity });
      } else if (isPickleModel(model.path)) {
        reports.push({ messageId: 'unscanned', data: { path: model.path, image: name, reason: model.notScanned ?? 'no model scanner' } });
      }
    }
    return reports;
  },
};
