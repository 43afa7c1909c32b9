import { joinPointer } from '../../core/pointer.js';
import { containerField, type ContainerInfo, type HardenRule, type PodContext } from '../context.js';
import { NEEDS_HUMAN } from '../data/needsHuman.js';
import { hostDeviceEvidence } from '../devices.js';
import { isPlainObject } from '../objects.js';

const DROP_ALL = 'ALL';
/** The one capability restricted lets a container add back: binding ports below 1024. */
const NET_BIND_SERVICE = 'NET_BIND_SERVICE';
const PRIVILEGED_PORT_LIMIT = 1024;

/**
 * Added capabilities the level forbids are removed (unless the container uses host devices); at
 * restricted, `drop: [ALL]` is added, with NET_BIND_SERVICE added back only for a container that
 * declares a port below 1024. Which added capabilities are forbidden comes from the PSS violation
 * itself, so this rule never repeats the level's lists.
 */
export const capabilities: HardenRule = {
  id: 'capabilities',
  description: 'drops ALL capabilities (keeping NET_BIND_SERVICE for ports below 1024) and removes forbidden added ones',
  levels: ['baseline', 'restricted'],
  run(ctx, b) {
    const check = ctx.violations.has('capabilities_restricted') ? 'capabilities_restricted' : ctx.violations.has('capabilities_baseline') ? 'capabilities_baseline' : undefined;
    if (!check) return;
    const forbidden = forbiddenAdds(ctx, check);
    for (const container of ctx.containers) {
      const base = joinPointer(container.pointer, 'securityContext', 'capabilities');
      const add = stringList(containerField(b, container, 'capabilities', 'add'));
      const banned = forbidden.get(container.pointer) ?? new Set<number>();
      let kept = add;
      if (banned.size > 0) {
        const evidence = hostDeviceEvidence(ctx, container);
        if (evidence) {
          for (const index of banned) b.block(joinPointer(base, 'add', index), check, `${NEEDS_HUMAN[check]}: container "${container.name}" ${evidence}`);
        } else {
          kept = add.filter((_, i) => !banned.has(i));
        }
      }
      const dropsAll = stringList(containerField(b, container, 'capabilities', 'drop')).includes(DROP_ALL);
      const addsDropAll = check === 'capabilities_restricted' && !dropsAll;
      if (addsDropAll && listensBelow(container, PRIVILEGED_PORT_LIMIT) && !kept.includes(NET_BIND_SERVICE)) kept = [...kept, NET_BIND_SERVICE];
      if (kept.length !== add.length || kept.some((c, i) => c !== add[i])) {
        const removed = add.filter((c) => !kept.includes(c));
        const why = [removed.length > 0 ? `removes ${removed.join(', ')}: ${ctx.options.level} does not allow adding ${removed.length === 1 ? 'it' : 'them'}, and nothing in the pod uses host devices` : '', kept.includes(NET_BIND_SERVICE) && !add.includes(NET_BIND_SERVICE) ? `keeps NET_BIND_SERVICE: container "${container.name}" listens below ${PRIVILEGED_PORT_LIMIT}` : ''].filter(Boolean);
        b.set(joinPointer(base, 'add'), kept, check, why.join('; '));
      }
      if (addsDropAll) {
        const drop = containerField(b, container, 'capabilities', 'drop');
        const reason = `restricted requires dropping ALL capabilities on container "${container.name}"`;
        if (Array.isArray(drop)) b.append(joinPointer(base, 'drop'), DROP_ALL, check, reason);
        else b.set(joinPointer(base, 'drop'), [DROP_ALL], check, reason);
      }
    }
  },
};

/** Container pointer → indexes of added capabilities the violated check names. */
function forbiddenAdds(ctx: PodContext, check: string): Map<string, Set<number>> {
  const out = new Map<string, Set<number>>();
  for (const field of ctx.violations.get(check)?.fields ?? []) {
    const match = /^(\/[A-Za-z]+\/\d+)\/securityContext\/capabilities\/add\/(\d+)$/.exec(field.pointer);
    if (!match || field.in !== 'spec') continue;
    const set = out.get(match[1]!) ?? new Set<number>();
    set.add(Number(match[2]));
    out.set(match[1]!, set);
  }
  return out;
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.map((v) => String(v)) : [];
}

function listensBelow(container: ContainerInfo, limit: number): boolean {
  const ports = Array.isArray(container.object.ports) ? container.object.ports : [];
  return ports.some((p) => isPlainObject(p) && typeof p.containerPort === 'number' && p.containerPort > 0 && p.containerPort < limit);
}
