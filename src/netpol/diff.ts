import type { MatrixEntry } from './matrix.js';
import type { Peer } from './model.js';
import { ConnectionSet } from './sets/connectionSet.js';

export type DiffKind = 'added' | 'removed' | 'changed';

/** One pair whose allowed connections differ between two revisions. */
export interface DiffEntry {
  src: string;
  dst: string;
  kind: DiffKind;
  before: string;
  after: string;
  /** What the new revision allows that the old one did not. */
  opened: ConnectionSet;
  /** The destination in the new revision (for model-server checks). */
  dstPeer: Peer;
}

const NONE = 'No Connections';

/** Connections added, removed and changed between two matrices, sorted like the matrix. */
export function diffMatrices(before: readonly MatrixEntry[], after: readonly MatrixEntry[]): DiffEntry[] {
  const key = (e: MatrixEntry): string => `${e.src.id}\u0000${e.dst.id}`;
  const old = new Map(before.map((e) => [key(e), e]));
  const now = new Map(after.map((e) => [key(e), e]));
  const out: DiffEntry[] = [];
  for (const [k, e] of now) {
    const previous = old.get(k);
    if (!previous) out.push({ src: e.src.id, dst: e.dst.id, kind: 'added', before: NONE, after: e.allowed.toString(), opened: e.allowed, dstPeer: e.dst });
    else if (!previous.allowed.equals(e.allowed)) out.push({ src: e.src.id, dst: e.dst.id, kind: 'changed', before: previous.allowed.toString(), after: e.allowed.toString(), opened: e.allowed.subtract(previous.allowed), dstPeer: e.dst });
  }
  for (const [k, e] of old) if (!now.has(k)) out.push({ src: e.src.id, dst: e.dst.id, kind: 'removed', before: e.allowed.toString(), after: NONE, opened: ConnectionSet.empty(), dstPeer: e.dst });
  return out.sort((a, b) => (a.src < b.src ? -1 : a.src > b.src ? 1 : a.dst < b.dst ? -1 : a.dst > b.dst ? 1 : 0));
}

/** Does this change open something towards a pod that runs a model server? */
export function opensModelServer(entry: DiffEntry): boolean {
  return !entry.opened.isEmpty() && entry.dstPeer.type === 'pod' && (entry.dstPeer.modelServers?.length ?? 0) > 0;
}

/** np-guard's diff txt lines. */
export function formatDiffTxt(entries: readonly Pick<DiffEntry, 'src' | 'dst' | 'kind' | 'before' | 'after'>[]): string {
  return ['Connectivity diff:', ...entries.map((e) => `diff-type: ${e.kind}, source: ${e.src}, destination: ${e.dst}, dir1: ${e.before}, dir2: ${e.after}`)].join('\n') + '\n';
}
