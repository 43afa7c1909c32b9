import { joinPointer } from '../../core/pointer.js';
import { containerField, type HardenRule } from '../context.js';
import { NEEDS_HUMAN } from '../data/needsHuman.js';

const SYS_ADMIN = ['SYS_ADMIN', 'CAP_SYS_ADMIN'];

/**
 * allowPrivilegeEscalation: false on every container. The API rejects it next to privileged: true
 * or an added CAP_SYS_ADMIN, so such containers (kept by an earlier blocker) are blocked here too.
 */
export const allowPrivilegeEscalation: HardenRule = {
  id: 'allowPrivilegeEscalation',
  description: 'sets allowPrivilegeEscalation: false on every container',
  levels: ['restricted'],
  run(ctx, b) {
    if (!ctx.violations.has('allowPrivilegeEscalation')) return;
    for (const container of ctx.containers) {
      if (containerField(b, container, 'allowPrivilegeEscalation') === false) continue;
      const pointer = joinPointer(container.pointer, 'securityContext', 'allowPrivilegeEscalation');
      const add = containerField(b, container, 'capabilities', 'add');
      const sysAdmin = Array.isArray(add) && add.some((c) => SYS_ADMIN.includes(String(c)));
      if (containerField(b, container, 'privileged') === true || sysAdmin) {
        b.block(pointer, 'allowPrivilegeEscalation', NEEDS_HUMAN.allowPrivilegeEscalation!);
        continue;
      }
      b.set(pointer, false, 'allowPrivilegeEscalation', `restricted forbids privilege escalation (setuid binaries) in container "${container.name}"`);
    }
  },
};
