import { evaluatePodSpec, type Violation } from '../pss/index.js';
import { DEFAULT_TABLE, evaluationSpec, findPodSpecs, type PodSpecRef, type WorkloadTable } from '../workloads/index.js';
import { PlanBuilder } from './builder.js';
import { podContext } from './context.js';
import { NEEDS_HUMAN, NO_AUTOMATIC_FIX } from './data/needsHuman.js';
import type { PlainObject } from './objects.js';
import { HARDEN_RULES } from './rules/index.js';
import { DEFAULT_HARDEN_OPTIONS, type Blocker, type HardenOptions, type ImageUserLookup, type PodSpecPlan } from './types.js';

export const NO_IMAGE_USERS: ImageUserLookup = () => undefined;

/**
 * The hardening plan of every pod spec of one resource: the rules' changes, then a second PSS
 * evaluation of the planned spec; whatever the level still forbids becomes a blocker, so a plan
 * either passes or says why not. Pure.
 */
export function planResource(resource: PlainObject, options: HardenOptions = DEFAULT_HARDEN_OPTIONS, imageUsers: ImageUserLookup = NO_IMAGE_USERS, table: WorkloadTable = DEFAULT_TABLE): PodSpecPlan[] {
  const plans: PodSpecPlan[] = [];
  const claimed = new Set<string>();
  for (const ref of findPodSpecs(resource, table)) {
    const plan = planPodSpec(resource, ref, options, imageUsers);
    // Pod specs never share fields, but a pointer is only ever set once per resource.
    plan.changes = plan.changes.filter((c) => !claimed.has(c.pointer) && claimed.add(c.pointer));
    plans.push(plan);
  }
  return plans;
}

function planPodSpec(resource: PlainObject, ref: PodSpecRef, options: HardenOptions, imageUsers: ImageUserLookup): PodSpecPlan {
  const { spec, toResourcePointer } = evaluationSpec(ref);
  const policy = { level: options.level, version: options.version };
  const before = evaluatePodSpec(ref.metadata, spec, policy);
  const ctx = podContext(resource, ref, spec, before.violations, options, imageUsers);
  const b = new PlanBuilder(spec);
  for (const rule of HARDEN_RULES) if (rule.levels.includes(options.level)) rule.run(ctx, b);

  const after = evaluatePodSpec(ref.metadata, b.working, policy);
  for (const violation of after.violations) {
    if (b.blocked(violation.check)) continue;
    for (const pointer of violationPointers(violation)) {
      b.block(pointer.in === 'metadata' ? `metadata:${pointer.pointer}` : pointer.pointer, violation.check, humanReason(violation, pointer.pointer));
    }
  }
  const metadataBase = ref.metadataPath ?? '/metadata';
  const toResource = (pointer: string): string => (pointer.startsWith('metadata:') ? metadataBase + pointer.slice('metadata:'.length) : toResourcePointer(pointer));
  const podSpecPath = ref.podSpecPath;
  return {
    podSpecPath,
    containers: ref.containers.map((c) => c.name),
    changes: b.changes.map((c) => ({ podSpecPath, pointer: toResource(c.pointer), value: c.value, check: c.check, reason: c.reason })),
    blockers: b.blockers.map((x): Blocker => ({ podSpecPath, pointer: toResource(x.pointer), check: x.check, reason: x.reason })),
    skipped: b.skipped.map((s) => ({ podSpecPath, pointer: toResource(s.pointer), reason: s.reason })),
  };
}

function violationPointers(violation: Violation): Array<{ in: 'spec' | 'metadata'; pointer: string }> {
  return violation.fields.length > 0 ? violation.fields : [{ in: 'spec', pointer: '' }];
}

/** Why a remaining violation needs a human; restricted's volume check names hostPath volumes apart. */
function humanReason(violation: Violation, pointer: string): string {
  if (violation.check === 'restrictedVolumes' && pointer.endsWith('/hostPath')) return NEEDS_HUMAN.hostPathVolumes!;
  return NEEDS_HUMAN[violation.check] ?? `${NO_AUTOMATIC_FIX}: ${violation.reason} (${violation.detail})`;
}
