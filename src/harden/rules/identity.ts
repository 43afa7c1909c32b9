import { joinPointer } from '../../core/pointer.js';
import type { PlanBuilder } from '../builder.js';
import { containerField, podField, type ContainerInfo, type HardenRule, type PodContext } from '../context.js';
import { NEEDS_HUMAN } from '../data/needsHuman.js';

/**
 * Who the pod runs as. runAsNonRoot: true where restricted needs it; and because the kubelet refuses
 * to start a runAsNonRoot container unless it can see a numeric, non-zero UID, a runAsUser (the
 * image's own UID when a Dockerfile in the input says it, else --uid) wherever the UID is unknown,
 * named or root. runAsUser: 0 or runAsNonRoot: false written on purpose is left to a human.
 */
export const identity: HardenRule = {
  id: 'identity',
  description: 'sets runAsNonRoot: true and a numeric non-root runAsUser/runAsGroup/fsGroup when the image user is unknown or root',
  levels: ['restricted'],
  run(ctx, b) {
    if (blockRootOnPurpose(ctx, b)) return;
    if (ctx.violations.has('runAsNonRoot')) {
      const reason = 'restricted requires pods to run as a non-root user';
      if (ctx.podFields.securityContext) b.set('/securityContext/runAsNonRoot', true, 'runAsNonRoot', reason);
      else for (const c of ctx.containers) if (containerField(b, c, 'runAsNonRoot') !== true) b.set(joinPointer(c.pointer, 'securityContext', 'runAsNonRoot'), true, 'runAsNonRoot', reason);
    }
    if (ctx.spec.os && (ctx.spec.os as { name?: unknown }).name === 'windows') return; // Windows pods have no numeric UIDs
    const unknown = ctx.containers.filter((c) => nonRoot(ctx, b, c) && effectiveUser(ctx, b, c) === undefined && !imageRunsAsNumericNonRoot(c));
    if (unknown.length === 0) return;
    const uid = ctx.options.uid;
    const why = `the kubelet starts a runAsNonRoot container only with a numeric non-zero UID; ${unknown.map(describeImageUser).join('; ')}`;
    // One pod-level UID, unless an image's own (Dockerfile) UID would be overridden by it.
    const imageDecided = ctx.containers.some((c) => imageRunsAsNumericNonRoot(c) && containerField(b, c, 'runAsUser') === undefined);
    if (ctx.podFields.securityContext && !imageDecided) {
      b.set('/securityContext/runAsUser', uid, 'runAsNonRoot', why);
      if (podField(b, ctx, 'runAsGroup') === undefined) b.set('/securityContext/runAsGroup', uid, 'runAsNonRoot', `primary group for UID ${uid}`);
      if (podField(b, ctx, 'fsGroup') === undefined) b.set('/securityContext/fsGroup', uid, 'runAsNonRoot', `volumes stay writable for UID ${uid}`);
      return;
    }
    for (const c of unknown) {
      b.set(joinPointer(c.pointer, 'securityContext', 'runAsUser'), uid, 'runAsNonRoot', why);
      if (containerField(b, c, 'runAsGroup') === undefined && podField(b, ctx, 'runAsGroup') === undefined) b.set(joinPointer(c.pointer, 'securityContext', 'runAsGroup'), uid, 'runAsNonRoot', `primary group for UID ${uid}`);
    }
  },
};

/**
 * Block runAsUser: 0 and runAsNonRoot: false written on purpose; true when there were any. Only
 * where they stop the pod: the level rejects them (a pod with its own user namespace, hostUsers:
 * false, may run as root from v1.35), or the kubelet would refuse runAsUser: 0 under runAsNonRoot.
 */
function blockRootOnPurpose(ctx: PodContext, b: PlanBuilder): boolean {
  // `runs`: the containers whose UID this place decides, for the kubelet's runAsNonRoot refusal.
  const places: Array<{ base: string; get: (field: string) => unknown; who: string; runs: ContainerInfo[] }> = [];
  if (ctx.podFields.securityContext) places.push({ base: '/securityContext', get: (f) => podField(b, ctx, f), who: 'the pod', runs: ctx.containers.filter((c) => containerField(b, c, 'runAsUser') === undefined) });
  for (const c of ctx.containers) places.push({ base: joinPointer(c.pointer, 'securityContext'), get: (f) => containerField(b, c, f), who: `container "${c.name}"`, runs: [c] });
  let found = false;
  const rejected = ctx.violations.has('runAsNonRoot') || ctx.violations.has('runAsUser');
  for (const place of places) {
    if (place.get('runAsUser') === 0 && (rejected || place.runs.some((c) => nonRoot(ctx, b, c)))) {
      b.block(`${place.base}/runAsUser`, 'runAsUser', `${NEEDS_HUMAN.runAsUser} (${place.who})`);
      if (ctx.violations.has('runAsNonRoot')) b.block(`${place.base}/runAsUser`, 'runAsNonRoot', `${NEEDS_HUMAN.runAsUser} (${place.who})`);
      found = true;
    }
    if (place.get('runAsNonRoot') === false && ctx.violations.has('runAsNonRoot')) {
      b.block(`${place.base}/runAsNonRoot`, 'runAsNonRoot', `${NEEDS_HUMAN.runAsNonRoot} (${place.who})`);
      found = true;
    }
  }
  return found;
}

function nonRoot(ctx: PodContext, b: PlanBuilder, c: ContainerInfo): boolean {
  return (containerField(b, c, 'runAsNonRoot') ?? podField(b, ctx, 'runAsNonRoot')) === true;
}

function effectiveUser(ctx: PodContext, b: PlanBuilder, c: ContainerInfo): unknown {
  return containerField(b, c, 'runAsUser') ?? podField(b, ctx, 'runAsUser');
}

function imageRunsAsNumericNonRoot(c: ContainerInfo): boolean {
  return c.imageUser !== undefined && !c.imageUser.root && c.imageUser.uid !== undefined;
}

function describeImageUser(c: ContainerInfo): string {
  const user = c.imageUser;
  const image = typeof c.object.image === 'string' ? c.object.image : 'its runtime’s image';
  if (!user) return `the user of ${image} (container "${c.name}") is unknown: no Dockerfile in the input builds it`;
  const at = `${user.location.file}:${user.location.line}`;
  if (user.root) return `the Dockerfile at ${at} runs ${image} as root (USER ${user.user}): check that it works as a non-root UID`;
  return `the Dockerfile at ${at} names the user "${user.user}", which the kubelet cannot check`;
}
