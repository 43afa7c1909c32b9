import { joinPointer } from '../core/pointer.js';
import { detectServer, type ModelServer } from '../knowledge/index.js';
import type { Violation } from '../pss/index.js';
import type { PodSpecRef } from '../workloads/index.js';
import type { PlanBuilder } from './builder.js';
import { PARTIAL_HOLDERS, type PodLevelField } from './data/holders.js';
import { isPlainObject, type PlainObject } from './objects.js';
import type { HardenOptions, ImageUser, ImageUserLookup } from './types.js';

export type ContainerList = 'initContainers' | 'containers' | 'ephemeralContainers';

/** One container of the pod spec being hardened, as the rules see it. */
export interface ContainerInfo {
  list: ContainerList;
  /** Pointer of the container relative to the evaluation pod spec: `/containers/0`. */
  pointer: string;
  name: string;
  /** The container as written (before any change). */
  object: PlainObject;
  server?: ModelServer;
  /** From a Dockerfile in the input that builds this container's image. */
  imageUser?: ImageUser;
}

/** Everything a hardening rule may read. Rules write only through the PlanBuilder. */
export interface PodContext {
  /** The whole resource as written, for markers such as enableInTreeAutoscaling. */
  resource: PlainObject;
  kind: string;
  ref: PodSpecRef;
  /** The pod spec as PSS evaluates it (container objects folded into `containers`). */
  spec: PlainObject;
  /** Which pod-level fields this holder has (all of them for a real PodSpec). */
  podFields: Readonly<Record<PodLevelField, boolean>>;
  containers: ContainerInfo[];
  options: HardenOptions;
  /** The violations of the requested policy before hardening, by check ID. */
  violations: ReadonlyMap<string, Violation>;
}

const LISTS: readonly ContainerList[] = ['initContainers', 'containers', 'ephemeralContainers'];

export function podContext(resource: PlainObject, ref: PodSpecRef, spec: PlainObject, violations: readonly Violation[], options: HardenOptions, imageUsers: ImageUserLookup): PodContext {
  const kind = typeof resource.kind === 'string' ? resource.kind : '';
  const containers: ContainerInfo[] = [];
  for (const list of LISTS) {
    const items = spec[list];
    if (!Array.isArray(items)) continue;
    items.forEach((item, index) => {
      if (!isPlainObject(item)) return;
      const image = typeof item.image === 'string' ? item.image : undefined;
      const server = detectServer(image, commandLine(item));
      const imageUser = image === undefined ? undefined : imageUsers(image);
      containers.push({
        list,
        pointer: joinPointer('', list, index),
        name: typeof item.name === 'string' ? item.name : `${list}[${index}]`,
        object: item,
        ...(server ? { server } : {}),
        ...(imageUser ? { imageUser } : {}),
      });
    });
  }
  const lacks = new Set(PARTIAL_HOLDERS.filter((h) => h.kinds.includes(kind) && h.podSpec.test(ref.podSpecPath)).flatMap((h) => h.lacks));
  const podFields = { securityContext: !lacks.has('securityContext'), volumes: !lacks.has('volumes'), automountServiceAccountToken: !lacks.has('automountServiceAccountToken') };
  return { resource, kind, ref, spec, podFields, containers, options, violations: new Map(violations.map((v) => [v.check, v])) };
}

function commandLine(container: PlainObject): string {
  const words = [container.command, container.args].flatMap((part) => (Array.isArray(part) ? part.map(String) : []));
  return words.join(' ');
}

/** A container's securityContext field as currently planned. */
export function containerField(b: PlanBuilder, container: ContainerInfo, ...path: string[]): unknown {
  return b.get(joinPointer(container.pointer, 'securityContext', ...path));
}

/** A pod securityContext field as currently planned (undefined where the holder has no pod securityContext). */
export function podField(b: PlanBuilder, ctx: PodContext, ...path: string[]): unknown {
  return ctx.podFields.securityContext ? b.get(joinPointer('', 'securityContext', ...path)) : undefined;
}

/** A rule of `harden`: reads the context, writes changes and blockers through the builder. */
export interface HardenRule {
  id: string;
  /** One line for docs: what it sets and when. */
  description: string;
  /** The levels it runs at. */
  levels: ReadonlyArray<HardenOptions['level']>;
  run(ctx: PodContext, b: PlanBuilder): void;
}
