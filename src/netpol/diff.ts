import type { MatrixEntry } from './matrix.js';
import type { IpPeer, Peer } from './model.js';
import { ConnectionSet } from './sets/connectionSet.js';
import { cidrItems, cidrText, IpSet } from './sets/ipSet.js';

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

const byPair = (a: DiffEntry, b: DiffEntry): number => (a.src < b.src ? -1 : a.src > b.src ? 1 : a.dst < b.dst ? -1 : a.dst > b.dst ? 1 : 0);

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
  return out.sort(byPair);
}

interface AddressSide {
  pod: Peer;
  ingress: boolean;
  family: IpSet['family'];
  groups: Array<{ ips: IpSet; allowed: ConnectionSet }>;
}

/** A compact matrix's external entries, by pod, direction and address family. */
function addressSides(entries: readonly MatrixEntry[]): Map<string, AddressSide> {
  const sides = new Map<string, AddressSide>();
  for (const e of entries) {
    const ingress = e.src.type === 'ip';
    const address = (ingress ? e.src : e.dst) as IpPeer;
    const pod = ingress ? e.dst : e.src;
    const key = `${ingress ? 'in' : 'out'}\u0000${pod.id}\u0000${address.ips.family}`;
    const side = sides.get(key) ?? { pod, ingress, family: address.ips.family, groups: [] };
    side.groups.push({ ips: address.ips, allowed: e.allowed });
    sides.set(key, side);
  }
  return sides;
}

/**
 * The diff of two compact matrices (computeCompactMatrix). Pod pairs are compared as diffMatrices
 * compares them. A pod's external side is compared by address regions: where the two revisions'
 * address groups overlap with other connections, `changed`; addresses only the old revision allowed
 * anything to, `removed`; only the new one, `added`. Each region is named by its CIDRs and excepts,
 * so a change of a policy with many excepts is a few entries, never one per address slice (issue 14).
 */
export function diffCompactMatrices(before: readonly MatrixEntry[], after: readonly MatrixEntry[]): DiffEntry[] {
  const external = (e: MatrixEntry): boolean => e.src.type === 'ip' || e.dst.type === 'ip';
  const out = diffMatrices(before.filter((e) => !external(e)), after.filter((e) => !external(e)));
  const old = addressSides(before.filter(external));
  const now = addressSides(after.filter(external));
  for (const key of new Set([...old.keys(), ...now.keys()])) {
    const was = old.get(key);
    const is = now.get(key);
    const side = (is ?? was)!;
    const push = (ips: IpSet, kind: DiffKind, b: ConnectionSet | undefined, a: ConnectionSet | undefined): void => {
      if (ips.isEmpty()) return;
      const address: IpPeer = { type: 'ip', id: cidrText(cidrItems(ips)), ips };
      const [src, dst] = side.ingress ? [address, side.pod] : [side.pod, address];
      out.push({ src: src.id, dst: dst.id, kind, before: b?.toString() ?? NONE, after: a?.toString() ?? NONE, opened: a ? (b ? a.subtract(b) : a) : ConnectionSet.empty(), dstPeer: dst });
    };
    const oldGroups = was?.groups ?? [];
    const newGroups = is?.groups ?? [];
    for (const b of oldGroups) for (const a of newGroups) if (!b.allowed.equals(a.allowed)) push(b.ips.intersect(a.ips), 'changed', b.allowed, a.allowed);
    const covered = (groups: typeof oldGroups): IpSet => groups.reduce((all, g) => all.union(g.ips), IpSet.empty(side.family));
    const allNew = covered(newGroups);
    const allOld = covered(oldGroups);
    for (const b of oldGroups) push(b.ips.subtract(allNew), 'removed', b.allowed, undefined);
    for (const a of newGroups) push(a.ips.subtract(allOld), 'added', undefined, a.allowed);
  }
  return out.sort(byPair);
}

/** Does this change open something towards a pod that runs a model server? */
export function opensModelServer(entry: DiffEntry): boolean {
  return !entry.opened.isEmpty() && entry.dstPeer.type === 'pod' && (entry.dstPeer.modelServers?.length ?? 0) > 0;
}

/** A diff row as the text formats print it; the layered engine adds what the new revision allows that the old did not, and the converse. */
export interface DiffRow {
  src: string;
  dst: string;
  kind: string;
  before: string;
  after: string;
  added?: string;
  removed?: string;
}

/** np-guard's diff txt lines; a changed pair of the layered engine also says what it gained and lost. */
export function formatDiffTxt(entries: readonly DiffRow[]): string {
  const change = (e: DiffRow): string => (e.kind !== 'changed' ? '' : `${e.added ? `, added: ${e.added}` : ''}${e.removed ? `, removed: ${e.removed}` : ''}`);
  return ['Connectivity diff:', ...entries.map((e) => `diff-type: ${e.kind}, source: ${e.src}, destination: ${e.dst}, dir1: ${e.before}, dir2: ${e.after}${change(e)}`)].join('\n') + '\n';
}

const DIFF_COLUMNS = ['diff-type', 'source', 'destination', 'dir1', 'dir2'];
/** The layered engine's extra columns: what the pair gained and lost. */
const CHANGE_COLUMNS = ['added', 'removed'];

const diffCells = (e: DiffRow, changes: boolean): string[] => [e.kind, e.src, e.dst, e.before, e.after, ...(changes ? [e.added ?? '', e.removed ?? ''] : [])];

/** np-guard's diff csv layout (`changes`: with the layered engine's added and removed columns). */
export function formatDiffCsv(entries: readonly DiffRow[], changes = false): string {
  const field = (v: string): string => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return [[...DIFF_COLUMNS, ...(changes ? CHANGE_COLUMNS : [])].join(','), ...entries.map((e) => diffCells(e, changes).map(field).join(','))].join('\n') + '\n';
}

/** np-guard's diff md layout (`changes`: with the layered engine's added and removed columns). */
export function formatDiffMd(entries: readonly DiffRow[], changes = false): string {
  const columns = [...DIFF_COLUMNS, ...(changes ? CHANGE_COLUMNS : [])];
  const cell = (v: string): string => v.replace(/\|/g, '\\|');
  const row = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
  return [row(columns), `|${columns.map((c) => '-'.repeat(c.length + 2)).join('|')}|`, ...entries.map((e) => row(diffCells(e, changes).map(cell)))].join('\n') + '\n';
}
