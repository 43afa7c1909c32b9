import type { Resource } from '../../core/load.js';
import type { IpSet } from '../sets/ipSet.js';
import { ConnSet } from './connSet.js';
import { buildMeshModel, connsJson, connsText, meshMatrixSets, type ConnEntry, type MeshModel, type MeshUniverse, type Resolution } from './matrix.js';

/**
 * `netpol diff` over every layer. Each revision's model is built over one shared universe — the
 * union of both inputs' path and host patterns, request headers and address bounds — so the two
 * models have one domain (the same path, host and header classes, the same address atoms) and
 * their connection sets compare exactly, pair by pair.
 */

/** The universe a model was built over: its own input's, plus any extra it was given. */
export function meshUniverse(model: MeshModel): Required<MeshUniverse> {
  return { paths: model.paths.patterns, hosts: model.hosts.patterns, headers: model.headers, ipSets: model.ipAtoms };
}

const sameStrings = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

function sameUniverse(a: Required<MeshUniverse>, b: Required<MeshUniverse>): boolean {
  const sorted = (l: readonly string[]): string[] => [...l].sort();
  return (
    sameStrings(sorted(a.paths), sorted(b.paths)) &&
    sameStrings(sorted(a.hosts), sorted(b.hosts)) &&
    sameStrings(a.headers, b.headers) &&
    sameStrings(
      a.ipSets.map((s) => s.toString()),
      b.ipSets.map((s) => s.toString()),
    )
  );
}

/**
 * Both revisions' models over their shared universe. The old revision is built alone, the new one
 * over the old one's universe (so over the union); when that adds nothing to the old universe (the
 * usual case: a change of who may call what, not of which paths and addresses exist) the two models
 * are the answer, otherwise the old revision is built again over the union.
 */
export function buildMeshModelPair(before: readonly Resource[], after: readonly Resource[], extra: MeshUniverse = {}): { before: MeshModel; after: MeshModel } {
  let old = buildMeshModel(before, extra);
  const now = buildMeshModel(after, meshUniverse(old));
  const union = meshUniverse(now);
  if (!sameUniverse(meshUniverse(old), union)) old = buildMeshModel(before, union);
  if (!sameUniverse(meshUniverse(old), union)) throw new Error('netpol diff: the two revisions were built over different universes');
  return { before: old, after: now };
}

export type MeshDiffKind = 'added' | 'removed' | 'changed';

/** One pair whose connections differ between the revisions. */
export interface MeshDiffEntry {
  src: string;
  dst: string;
  kind: MeshDiffKind;
  /** What each revision allows, in CONVENTIONS.md's shape; undefined: nothing. */
  before?: 'All' | ConnEntry[];
  after?: 'All' | ConnEntry[];
  /** What only the new revision allows, and what only the old one did; undefined: nothing. */
  added?: 'All' | ConnEntry[];
  removed?: 'All' | ConnEntry[];
  /** The same as sets (one domain: the shared universe's). */
  sets: { before?: ConnSet; after?: ConnSet; added: ConnSet; removed: ConnSet };
}

/** Text of a connection value for the text formats; nothing is np-guard's "No Connections". */
export const meshConnsText = (conns: 'All' | ConnEntry[] | undefined): string => (conns === undefined ? 'No Connections' : connsText(conns));

const jsonOf = (set: ConnSet | undefined, model: MeshModel): 'All' | ConnEntry[] | undefined => (set && !set.isEmpty() ? connsJson(set, model) : undefined);

/** Pairs (by name at the resolution) whose allowed connections differ, sorted by names. Both models must share a universe (buildMeshModelPair). */
export function meshDiff(before: MeshModel, after: MeshModel, resolution: Resolution): MeshDiffEntry[] {
  const old = new Map(meshMatrixSets(before, resolution).map((e) => [`${e.src}\u0000${e.dst}`, e]));
  const now = new Map(meshMatrixSets(after, resolution).map((e) => [`${e.src}\u0000${e.dst}`, e]));
  const out: MeshDiffEntry[] = [];
  for (const key of new Set([...old.keys(), ...now.keys()])) {
    const was = old.get(key);
    const is = now.get(key);
    if (was && is && was.conns.equals(is.conns)) continue;
    const { src, dst } = (is ?? was)!;
    const nothing = ConnSet.empty(before.domain);
    const added = is ? (was ? is.conns.subtract(was.conns) : is.conns) : nothing;
    const removed = was ? (is ? was.conns.subtract(is.conns) : was.conns) : nothing;
    const b = jsonOf(was?.conns, before);
    const a = jsonOf(is?.conns, after);
    const plus = jsonOf(added, after);
    const minus = jsonOf(removed, before);
    out.push({
      src,
      dst,
      kind: !was ? 'added' : !is ? 'removed' : 'changed',
      ...(b ? { before: b } : {}),
      ...(a ? { after: a } : {}),
      ...(plus ? { added: plus } : {}),
      ...(minus ? { removed: minus } : {}),
      sets: { ...(was ? { before: was.conns } : {}), ...(is ? { after: is.conns } : {}), added, removed },
    });
  }
  return out.sort((x, y) => (x.src < y.src ? -1 : x.src > y.src ? 1 : x.dst < y.dst ? -1 : x.dst > y.dst ? 1 : 0));
}

/** The address set an `ip:` end names (the shared atoms), for tests and callers that need it. */
export function ipAtomByName(model: MeshModel): Map<string, IpSet> {
  return new Map(model.ipAtoms.map((a) => [`ip:${a.toString()}`, a]));
}
