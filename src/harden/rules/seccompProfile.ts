import { joinPointer } from '../../core/pointer.js';
import { containerField, podField, type HardenRule } from '../context.js';
import { NEEDS_HUMAN } from '../data/needsHuman.js';

const ALLOWED_TYPES = ['RuntimeDefault', 'Localhost'];
const UNCONFINED = 'Unconfined';
const CHECK = 'seccompProfile_restricted';

/** seccompProfile.type: RuntimeDefault on the pod (or each container of a container-only holder); Unconfined stays, as a blocker. */
export const seccompProfile: HardenRule = {
  id: 'seccompProfile',
  description: 'sets seccompProfile.type: RuntimeDefault on the pod; an explicit Unconfined is a blocker',
  levels: ['restricted'],
  run(ctx, b) {
    if (!ctx.violations.has(CHECK)) return;
    const reason = 'restricted requires a seccomp profile; RuntimeDefault is the container runtime’s default filter';
    if (ctx.podFields.securityContext) {
      const podType = podField(b, ctx, 'seccompProfile', 'type');
      const pointer = '/securityContext/seccompProfile/type';
      if (podType === UNCONFINED) b.block(pointer, CHECK, NEEDS_HUMAN[CHECK]!);
      else if (!ALLOWED_TYPES.includes(String(podType))) b.set(pointer, 'RuntimeDefault', CHECK, reason);
    }
    for (const container of ctx.containers) {
      const type = containerField(b, container, 'seccompProfile', 'type');
      const pointer = joinPointer(container.pointer, 'securityContext', 'seccompProfile', 'type');
      if (type === UNCONFINED) b.block(pointer, CHECK, NEEDS_HUMAN[CHECK]!);
      else if (type !== undefined && type !== '' && !ALLOWED_TYPES.includes(String(type))) b.set(pointer, 'RuntimeDefault', CHECK, reason);
      else if (!ctx.podFields.securityContext && !ALLOWED_TYPES.includes(String(type))) b.set(pointer, 'RuntimeDefault', CHECK, reason);
    }
  },
};
