import type { Rules } from './intervals.js';
import { PortSet } from './portSet.js';

/** The protocols NetworkPolicy can name, in np-guard's print order. */
export const PROTOCOLS = ['SCTP', 'TCP', 'UDP'] as const;
export type Protocol = (typeof PROTOCOLS)[number];

export function isProtocol(value: unknown): value is Protocol {
  return typeof value === 'string' && (PROTOCOLS as readonly string[]).includes(value);
}

export const ALL_CONNECTIONS = 'All Connections';

/** Printed forms, once per set (beside it, so sets still compare by their fields); a matrix prints one set for many pairs. */
const TEXT = new WeakMap<ConnectionSet, string>();

/** Allowed connections between two peers: a PortSet per protocol. Immutable. */
export class ConnectionSet {
  private constructor(readonly byProtocol: ReadonlyMap<Protocol, PortSet>) {}

  private static readonly EMPTY = new ConnectionSet(new Map());

  static empty(): ConnectionSet {
    return ConnectionSet.EMPTY;
  }

  static all(rules: Rules = []): ConnectionSet {
    return new ConnectionSet(new Map(PROTOCOLS.map((p) => [p, PortSet.all(rules)])));
  }

  static of(protocol: Protocol, ports: PortSet): ConnectionSet {
    return ports.isEmpty() ? ConnectionSet.EMPTY : new ConnectionSet(new Map([[protocol, ports]]));
  }

  ports(protocol: Protocol): PortSet {
    return this.byProtocol.get(protocol) ?? PortSet.empty();
  }

  isEmpty(): boolean {
    return this.byProtocol.size === 0;
  }

  isAll(): boolean {
    return PROTOCOLS.every((p) => this.ports(p).isAll());
  }

  union(other: ConnectionSet): ConnectionSet {
    if (other === this || other.isEmpty()) return this;
    if (this.isEmpty()) return other;
    return this.map((p) => this.ports(p).union(other.ports(p)));
  }

  intersect(other: ConnectionSet): ConnectionSet {
    if (this.isEmpty() || other.isEmpty()) return ConnectionSet.EMPTY;
    return this.map((p) => this.ports(p).intersect(other.ports(p)));
  }

  subtract(other: ConnectionSet): ConnectionSet {
    if (this.isEmpty() || other.isEmpty()) return this;
    return this.map((p) => this.ports(p).subtract(other.ports(p)));
  }

  /** The rules behind one port of one protocol, or undefined when it is not in the set. */
  rulesFor(protocol: Protocol, port: number): Rules | undefined {
    return this.byProtocol.get(protocol)?.rulesFor(port);
  }

  has(protocol: Protocol, port: number): boolean {
    return this.byProtocol.get(protocol)?.has(port) ?? false;
  }

  equals(other: ConnectionSet): boolean {
    return PROTOCOLS.every((p) => this.ports(p).equals(other.ports(p)));
  }

  /** Every rule id recorded anywhere in the set. */
  rules(): string[] {
    const out = new Set<string>();
    for (const ports of this.byProtocol.values()) {
      for (const r of ports.ranges) for (const id of r.rules) out.add(id);
      for (const rules of ports.named.values()) for (const id of rules) out.add(id);
    }
    return [...out].sort();
  }

  /** np-guard's spelling: `All Connections`, or `SCTP 1-9002,TCP 80,UDP 53` with protocols sorted. */
  toString(): string {
    let text = TEXT.get(this);
    if (text === undefined) {
      if (this.isAll()) text = ALL_CONNECTIONS;
      else if (this.isEmpty()) text = 'No Connections';
      else
        text = PROTOCOLS.filter((p) => this.byProtocol.has(p))
          .map((p) => `${p} ${this.ports(p).toString()}`)
          .join(',');
      TEXT.set(this, text);
    }
    return text;
  }

  private map(f: (protocol: Protocol) => PortSet): ConnectionSet {
    const out = new Map<Protocol, PortSet>();
    for (const p of PROTOCOLS) {
      const ports = f(p);
      if (!ports.isEmpty()) out.set(p, ports);
    }
    return out.size === 0 ? ConnectionSet.EMPTY : new ConnectionSet(out);
  }
}

