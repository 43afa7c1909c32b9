/**
 * `harden`: make workloads pass a Pod Security level and still start, as a reviewable,
 * comment-preserving edit. The only import surface of src/harden/ for other modules.
 */
import type { PalisadeError } from '../core/errors.js';
import { loadText, type DockerfileInput } from '../core/load.js';
import { DEFAULT_TABLE, type WorkloadTable } from '../workloads/index.js';
import { applyEdits, type TextSplice } from './apply.js';
import { imageUsersFromDockerfiles } from './imageUser.js';
import { NO_IMAGE_USERS, planResource } from './plan.js';
import { DEFAULT_HARDEN_OPTIONS, type HardenOptions, type HardenResult, type ImageUserLookup, type PodSpecPlan } from './types.js';

export { applyEdits, type ApplyResult, type DocumentEdits, type TextSplice } from './apply.js';
export { dockerfileImageName, imageUsersFromDockerfiles } from './imageUser.js';
export { hardenObjectPatch, toJsonPatch, type PatchOperation, type PodPatch } from './patch.js';
export { NO_IMAGE_USERS, planResource } from './plan.js';
export { HARDEN_RULES } from './rules/index.js';
export { unifiedDiff } from './diff.js';
export { blockerFindings, hardenNeedsHuman } from './needsHuman.js';
export { DEFAULT_HARDEN_OPTIONS, type Blocker, type Change, type HardenOptions, type HardenResult, type ImageUser, type ImageUserLookup, type PodSpecPlan, type Skip } from './types.js';

/** Check ID of a blocker for a change that could not be written into the YAML exactly. */
export const EDIT_UNSAFE = 'HARDEN_EDIT_UNSAFE';

export interface HardenedText {
  path: string;
  original: string;
  /** The hardened text; equal to `original` when nothing changed. */
  text: string;
  /** The edits that turn `original` into `text` (offsets into `original`), for writers that edit bytes. */
  splices: TextSplice[];
  results: HardenResult[];
  /** Load errors (bad YAML): those documents are left as they are. */
  errors: PalisadeError[];
}

export interface HardenTextOptions extends Partial<HardenOptions> {
  imageUsers?: ImageUserLookup;
  table?: WorkloadTable;
}

/** Harden one manifest text (many documents). Pure. */
export function hardenText(path: string, text: string, options: HardenTextOptions = {}): HardenedText {
  const hardenOptions: HardenOptions = { level: options.level ?? DEFAULT_HARDEN_OPTIONS.level, version: options.version ?? DEFAULT_HARDEN_OPTIONS.version, uid: options.uid ?? DEFAULT_HARDEN_OPTIONS.uid };
  const loaded = loadText(path, text);
  const planned = loaded.resources.map((resource) => ({ resource, plans: planResource(resource.object, hardenOptions, options.imageUsers ?? NO_IMAGE_USERS, options.table ?? DEFAULT_TABLE) }));
  const edits = planned
    .map(({ resource, plans }) => ({ documentIndex: resource.documentIndex, documentPointer: resource.documentPointer, changes: plans.flatMap((p) => p.changes) }))
    .filter((e) => e.changes.length > 0);
  // The loader's documents of this text save the edit engine a parse (only edited ones are asked for:
  // JSON read by the loader's fast path gets its YAML tree on first use).
  const edited = new Set(edits.map((e) => e.documentIndex));
  const documents = new Map(loaded.resources.filter((r) => edited.has(r.documentIndex)).map((r) => [r.documentIndex, r.document]));
  const applied = edits.length === 0 ? { text, splices: [], rejected: new Set<number>() } : applyEdits(text, edits, documents);
  const results: HardenResult[] = [];
  for (const { resource, plans } of planned) {
    const rejected = applied.rejected.has(resource.documentIndex);
    for (const plan of rejected ? plans.map(unapplied) : plans) {
      results.push({
        resource: resource.ref,
        location: resource.locate(plan.podSpecPath),
        podSpecPath: plan.podSpecPath,
        containers: plan.containers,
        changes: plan.changes.map(({ podSpecPath: _, ...c }) => ({ ...c, location: resource.locate(c.pointer) })),
        blockers: plan.blockers.map(({ podSpecPath: _, ...b }) => ({ ...b, location: resource.locate(b.pointer) })),
        skipped: plan.skipped.map(({ podSpecPath: _, ...s }) => ({ ...s, location: resource.locate(s.pointer) })),
      });
    }
  }
  return { path, original: text, text: applied.text, splices: applied.splices, results, errors: loaded.errors };
}

/** A plan whose edits could not be written exactly: every change becomes a blocker. */
function unapplied(plan: PodSpecPlan): PodSpecPlan {
  const blockers = plan.changes.map((c) => ({ podSpecPath: c.podSpecPath, pointer: c.pointer, check: EDIT_UNSAFE, reason: `could not set ${c.pointer} without changing other places (a shared YAML anchor or merge key?): set it by hand (${c.reason})` }));
  return { ...plan, changes: [], blockers: [...plan.blockers, ...blockers] };
}

/** Dockerfiles from the input, as the image-user lookup harden needs. */
export function imageUsers(dockerfiles: readonly DockerfileInput[]): ImageUserLookup {
  return dockerfiles.length === 0 ? NO_IMAGE_USERS : imageUsersFromDockerfiles(dockerfiles);
}
