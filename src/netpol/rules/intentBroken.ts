import { defineRule, formatMessage } from '../../core/rule.js';
import type { Finding } from '../../core/types.js';
import type { IntentResult } from '../verify.js';

/** `palisade netpol verify`: a NetworkIntents entry the policies do not make true. */
export const intentBroken = defineRule({
  id: 'NETPOL_INTENT_BROKEN',
  family: 'netpol',
  severity: 'high',
  title: 'Network intent does not hold',
  description:
    'A NetworkIntents entry ("only the gateway reaches the model server on 8501", "the model reaches only Redis and DNS") is false under the policies given: palisade found a connection the intent forbids, or a peer the intent names matches nothing. The finding carries one counterexample connection, located at the intent; with Calico, Cilium or Istio in the input, it is one request (protocol, port, method, path) with the rule of each layer that decided it, with file:line.',
  remediation: 'change the policies (palisade netpol generate writes least-privilege ones) or the intent.',
  frameworks: {},
  messages: {
    unmatched: 'intent "{intent}" does not hold; no peer matches "{peer}"',
    counterexample: 'intent "{intent}" does not hold; counterexample: {src} => {dst} : {conns}',
    request: 'intent "{intent}" does not hold; counterexample: {request}',
  },
});

export function intentFinding(result: IntentResult): Finding {
  const example = result.counterexample;
  const message = result.unmatched
    ? formatMessage(intentBroken, 'unmatched', { intent: result.intent.name, peer: result.unmatched })
    : formatMessage(intentBroken, 'counterexample', { intent: result.intent.name, src: String(example?.src), dst: String(example?.dst), conns: String(example?.conns) });
  return { checkId: intentBroken.id, severity: intentBroken.severity, title: intentBroken.title, message, location: result.intent.location, remediation: intentBroken.remediation };
}

