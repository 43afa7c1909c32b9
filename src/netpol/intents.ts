import { z } from 'zod';
import type { PalisadeError } from '../core/errors.js';
import type { Resource } from '../core/load.js';
import type { Location } from '../core/types.js';
import { PalisadeError as Err } from '../core/errors.js';
import { isProtocol, ConnectionSet, type Protocol } from './sets/connectionSet.js';
import { PortSet } from './sets/portSet.js';

import { INTENTS_API_VERSION, INTENTS_KIND } from './intentsKind.js';

export { INTENTS_API_VERSION, INTENTS_KIND, isIntentsResource } from './intentsKind.js';
/** The `onlyTo` peer for name resolution, and the ports it means when none are given. */
export const DNS_PEER = 'dns';
export const DNS_PORTS: readonly string[] = ['53/UDP', '53/TCP'];

/**
 * What a network owner means, in four shapes (exactly one per intent):
 *  - `expect: allow`  every `from` reaches every `to` on `ports` (on something, without ports)
 *  - `expect: deny`   no `from` reaches any `to` on `ports` (on anything, without ports)
 *  - `onlyFrom`       nothing but these sources reaches `to` on `ports`
 *  - `onlyTo`         `from` reaches nothing but these destinations and their ports
 * Peers are `ns/name`, `ns/*`, `*` (every pod), an IP address or a CIDR. Ports are `8501/TCP`
 * (TCP when the protocol is left out). In `onlyTo`, the peer `dns` stands for name resolution:
 * port 53 over UDP and TCP towards any destination (where kube-dns runs is rarely in the input).
 * `methods` and `paths` narrow an intent (or an `onlyTo` target) to HTTP requests: TCP only, every
 * port when `ports` is left out. A path is exact (`/v1/models/iris:predict`), a prefix (`/v1/*`), a
 * suffix (`*:predict`), `*`, or one `*` inside (`/v1/models/*:predict`: a prefix and a suffix, the
 * `*` standing for any string, empty too). Layers that cannot see HTTP decide on the TCP port alone.
 */
const peerList = z.union([z.string(), z.array(z.string()).min(1)]).transform((v) => (typeof v === 'string' ? [v] : v));
const portSpec = z.string().regex(/^\d{1,5}(\/(TCP|UDP|SCTP))?$/, 'a port is written 8501 or 8501/TCP');
const methodList = z.array(z.string().regex(/^[A-Z]+$/, 'a method is an upper-case HTTP method such as GET or POST')).min(1);
const pathList = z.array(z.string().regex(/^[^*]*\*?[^*]*$/, 'a path holds at most one "*"').refine((v) => v !== '', 'a path is not empty')).min(1);
/** methods and paths speak of HTTP, which runs over TCP. */
const httpOverTcp = (v: { methods?: unknown; paths?: unknown; ports?: (string | number)[] }): boolean => (v.methods === undefined && v.paths === undefined) || (v.ports ?? []).every((p) => !/\/(UDP|SCTP)$/.test(String(p)));

const intentSchema = z
  .object({
    name: z.string().optional(),
    from: peerList.optional(),
    to: peerList.optional(),
    ports: z.array(z.union([portSpec, z.number().int()])).optional(),
    expect: z.enum(['allow', 'deny']).optional(),
    onlyFrom: peerList.optional(),
    methods: methodList.optional(),
    paths: pathList.optional(),
    onlyTo: z
      .array(
        z
          .object({ peer: z.string(), ports: z.array(z.union([portSpec, z.number().int()])).optional(), methods: methodList.optional(), paths: pathList.optional() })
          .strict()
          .refine(httpOverTcp, 'methods and paths need TCP ports'),
      )
      .min(1)
      .optional(),
  })
  .strict()
  .superRefine((intent, ctx) => {
    const shapes = [intent.expect !== undefined, intent.onlyFrom !== undefined, intent.onlyTo !== undefined].filter(Boolean).length;
    if (shapes !== 1) ctx.addIssue({ code: 'custom', message: 'set exactly one of expect, onlyFrom, onlyTo' });
    if (intent.expect && (!intent.from || !intent.to)) ctx.addIssue({ code: 'custom', message: 'expect needs both from and to' });
    if (intent.onlyFrom && !intent.to) ctx.addIssue({ code: 'custom', message: 'onlyFrom needs to' });
    if (intent.onlyTo && (!intent.from || intent.to || intent.ports || intent.methods || intent.paths)) ctx.addIssue({ code: 'custom', message: 'onlyTo needs from, and takes its ports, methods and paths per destination' });
    if (!httpOverTcp(intent)) ctx.addIssue({ code: 'custom', message: 'methods and paths need TCP ports' });
  });

const fileSchema = z.object({ apiVersion: z.literal(INTENTS_API_VERSION), kind: z.literal(INTENTS_KIND), metadata: z.unknown().optional(), intents: z.array(z.unknown()).min(1) }).strict();

export type IntentShape = 'allow' | 'deny' | 'onlyFrom' | 'onlyTo';

/** An HTTP narrowing: undefined fields mean every method, every path. */
export interface HttpScope {
  methods?: string[];
  paths?: string[];
}

export interface Intent {
  name: string;
  shape: IntentShape;
  from: string[];
  to: string[];
  /** undefined: any port (allow: something; deny/onlyFrom: anything). With `http`, TCP ports only (every TCP port when none were given). */
  ports?: ConnectionSet;
  /** Present when the intent names methods or paths. */
  http?: HttpScope;
  onlyTo: { peer: string; ports?: ConnectionSet; http?: HttpScope }[];
  location: Location;
}

function httpScope(v: { methods?: string[]; paths?: string[] }): { http?: HttpScope } {
  if (!v.methods && !v.paths) return {};
  return { http: { ...(v.methods ? { methods: [...new Set(v.methods)] } : {}), ...(v.paths ? { paths: [...new Set(v.paths)] } : {}) } };
}

/** The ports of an intent: HTTP intents without ports mean every TCP port. */
function intentPorts(ports: readonly (string | number)[] | undefined, http: boolean): { ports?: ConnectionSet } {
  if (ports) return { ports: portsToConnections(ports) };
  return http ? { ports: ConnectionSet.of('TCP', PortSet.all()) } : {};
}

export function portsToConnections(ports: readonly (string | number)[]): ConnectionSet {
  let out = ConnectionSet.empty();
  for (const spec of ports) {
    const [number, protocol = 'TCP'] = String(spec).split('/');
    const proto: Protocol = isProtocol(protocol) ? protocol : 'TCP';
    out = out.union(ConnectionSet.of(proto, PortSet.range(Number(number), Number(number))));
  }
  return out;
}

/** Reads the intents of a NetworkIntents resource; each bad field is an error with its position. */
export function parseIntents(resource: Resource): { intents: Intent[]; errors: PalisadeError[] } {
  const errors: PalisadeError[] = [];
  const file = fileSchema.safeParse(resource.object);
  if (!file.success) {
    for (const issue of file.error.issues) errors.push(intentError(resource, '/' + issue.path.join('/'), issue.message));
    return { intents: [], errors };
  }
  const intents: Intent[] = [];
  file.data.intents.forEach((raw, i) => {
    const parsed = intentSchema.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) errors.push(intentError(resource, `/intents/${i}/${issue.path.join('/')}`.replace(/\/$/, ''), issue.message));
      return;
    }
    const v = parsed.data;
    const shape: IntentShape = v.expect ?? (v.onlyFrom ? 'onlyFrom' : 'onlyTo');
    intents.push({
      name: v.name ?? `intent #${i + 1}`,
      shape,
      from: shape === 'onlyFrom' ? (v.onlyFrom ?? []) : (v.from ?? []),
      to: v.to ?? [],
      ...intentPorts(v.ports, v.methods !== undefined || v.paths !== undefined),
      ...httpScope(v),
      onlyTo: (v.onlyTo ?? []).map((t) => {
        const ports = t.ports ?? (t.peer === DNS_PEER ? DNS_PORTS : undefined);
        return { peer: t.peer, ...intentPorts(ports, t.methods !== undefined || t.paths !== undefined), ...httpScope(t) };
      }),
      location: resource.locate(`/intents/${i}`),
    });
  });
  return { intents, errors };
}

function intentError(resource: Resource, pointer: string, message: string): PalisadeError {
  return new Err('NETPOL_INVALID_INTENT', `invalid intent: ${message}`, { errorClass: 'fatal', location: resource.locate(pointer) });
}
