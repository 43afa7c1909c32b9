import { defineRule, formatMessage } from '../../core/rule.js';
import type { Finding } from '../../core/types.js';
import type { DiffEntry } from '../diff.js';

/** `palisade netpol diff`: a change of policies lets a caller reach a model server it could not reach before. */
export const diffOpensModelServer = defineRule({
  id: 'NETPOL_DIFF_OPENS_MODEL_SERVER',
  family: 'netpol',
  severity: 'high',
  title: 'Change opens a connection to a model server',
  description:
    'Between the two revisions compared by `palisade netpol diff`, a connection to a pod that runs a model server became allowed (added, or widened to more ports). Model servers run code for whoever reaches them, so every new caller deserves a review before the change merges.',
  remediation: 'check that this caller should reach the model server, or narrow the policy.',
  frameworks: {},
  messages: { opens: '{src} => {dst} ({servers}) newly allows {opened} ({kind}: {before} -> {after})' },
});

export function modelServerFinding(entry: DiffEntry): Finding {
  const servers = entry.dstPeer.type === 'pod' ? (entry.dstPeer.modelServers ?? []) : [];
  return openedModelServerFinding({ ...entry, servers, opened: entry.opened.toString() });
}

/** The finding for one pair, whichever engine compared it: `opened` is the text of what the new revision newly allows. */
export function openedModelServerFinding(entry: { src: string; dst: string; servers: readonly string[]; opened: string; kind: string; before: string; after: string }): Finding {
  const message = formatMessage(diffOpensModelServer, 'opens', { src: entry.src, dst: entry.dst, servers: entry.servers.join(', '), opened: entry.opened, kind: entry.kind, before: entry.before, after: entry.after });
  return { checkId: diffOpensModelServer.id, severity: diffOpensModelServer.severity, title: diffOpensModelServer.title, message, remediation: diffOpensModelServer.remediation };
}
