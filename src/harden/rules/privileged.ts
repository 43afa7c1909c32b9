import { joinPointer } from '../../core/pointer.js';
import { containerField, type HardenRule } from '../context.js';
import { NEEDS_HUMAN } from '../data/needsHuman.js';
import { hostDeviceEvidence } from '../devices.js';

/** privileged: true → false, unless the container uses host devices (then a human decides). */
export const privileged: HardenRule = {
  id: 'privileged',
  description: 'sets privileged: false on containers that show no use of host devices; blocks the others',
  levels: ['baseline', 'restricted'],
  run(ctx, b) {
    if (!ctx.violations.has('privileged')) return;
    for (const container of ctx.containers) {
      if (containerField(b, container, 'privileged') !== true) continue;
      const pointer = joinPointer(container.pointer, 'securityContext', 'privileged');
      const evidence = hostDeviceEvidence(ctx, container);
      if (evidence) b.block(pointer, 'privileged', `${NEEDS_HUMAN.privileged}: container "${container.name}" ${evidence}`);
      else b.set(pointer, false, 'privileged', `container "${container.name}" shows no use of host devices (no accelerator, device variable or /dev mount)`);
    }
  },
};
