import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { loadText } from '../../src/core/load.js';
import { buildModel, computeCompactMatrix, computeMatrix, diffCompactMatrices, formatCsv, formatDot, formatMd, formatTxt, toConnections, type CompatMode } from '../../src/netpol/index.js';
import type { IpPeer, PodPeer } from '../../src/netpol/model.js';
import { cidrItems, IpSet, parseAddress, parseCidr, type CidrItem } from '../../src/netpol/sets/ipSet.js';

/**
 * `netpol matrix` outside np-guard mode keeps address sets whole: one entry per pod, direction,
 * family and allowed connections, named by CIDRs and excepts (issue 14: 40 policies of 100 `/32`
 * excepts printed 3.2 M slice lines).
 */

const repo = fileURLToPath(new URL('../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'palisade-compact-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * `pods` workloads, each under a policy letting in 0.0.0.0/0 except `excepts` scattered /32s of
 * 10.<i>.x.x on TCP 8080 and 10.<i>.0.0/24 on TCP 9090, and letting out everywhere but those /32s.
 */
function manyExcepts(pods: number, excepts: number): string {
  const docs: object[] = [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ns' } }];
  for (let i = 0; i < pods; i++) {
    const except = Array.from({ length: excepts }, (_, e) => `10.${i}.${Math.floor(e / 100)}.${2 * (e % 100) + 1}/32`);
    docs.push({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: `app-${i}`, namespace: 'ns' }, spec: { selector: { matchLabels: { app: `app-${i}` } }, template: { metadata: { labels: { app: `app-${i}` } }, spec: { containers: [{ name: 'c', image: 'x:1', ports: [{ containerPort: 8080 }] }] } } } });
    docs.push({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: `p-${i}`, namespace: 'ns' },
      spec: {
        podSelector: { matchLabels: { app: `app-${i}` } },
        policyTypes: ['Ingress', 'Egress'],
        ingress: [
          { from: [{ ipBlock: { cidr: '0.0.0.0/0', except } }], ports: [{ port: 8080 }] },
          { from: [{ ipBlock: { cidr: `10.${i}.0.0/24` } }], ports: [{ port: 9090 }] },
        ],
        egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0', except } }] }],
      },
    });
  }
  return docs.map((d) => JSON.stringify(d)).join('\n---\n');
}

function model(text: string, mode: CompatMode = 'cluster'): ReturnType<typeof buildModel> {
  const m = buildModel(loadText('in.json', text).resources, mode);
  expect(m.errors).toEqual([]);
  return m;
}

function palisade(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  expect(existsSync(join(repo, 'dist/cli/main.js')), 'build the CLI first: npm run build').toBe(true);
  const r = spawnSync(process.execPath, ['dist/cli/main.js', ...args], { cwd: repo, encoding: 'utf8', maxBuffer: 1 << 28 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The addresses a list of items denotes, rebuilt from their text alone. */
function denoted(items: readonly CidrItem[]): IpSet[] {
  const set = (cidr: string): IpSet => {
    const c = parseCidr(cidr);
    if (!c) throw new Error(`not a CIDR: ${cidr}`);
    return IpSet.range(c.family, c.first, c.last);
  };
  return items.map((item) => (item.except ?? []).reduce((s, e) => s.subtract(set(e)), set(item.cidr)));
}

describe('the compact matrix', () => {
  it('prints one entry per pod, direction and connections, its addresses as CIDRs with excepts (txt, csv, md, dot)', () => {
    const connections = toConnections(computeCompactMatrix(model(manyExcepts(2, 4))));
    expect(formatTxt(connections)).toBe(
      [
        '0.0.0.0/0 except 10.0.0.0/24 => ns/app-0[Deployment] : TCP 8080',
        '0.0.0.0/0 except 10.1.0.0/24 => ns/app-1[Deployment] : TCP 8080',
        '10.0.0.0/24 except 10.0.0.1/32, 10.0.0.3/32, 10.0.0.5/32, 10.0.0.7/32 => ns/app-0[Deployment] : TCP 8080,9090',
        '10.0.0.1/32; 10.0.0.3/32; 10.0.0.5/32; 10.0.0.7/32 => ns/app-0[Deployment] : TCP 9090',
        '10.1.0.0/24 except 10.1.0.1/32, 10.1.0.3/32, 10.1.0.5/32, 10.1.0.7/32 => ns/app-1[Deployment] : TCP 8080,9090',
        '10.1.0.1/32; 10.1.0.3/32; 10.1.0.5/32; 10.1.0.7/32 => ns/app-1[Deployment] : TCP 9090',
        'ns/app-0[Deployment] => 0.0.0.0/0 except 10.0.0.1/32, 10.0.0.3/32, 10.0.0.5/32, 10.0.0.7/32 : All Connections',
        'ns/app-1[Deployment] => 0.0.0.0/0 except 10.1.0.1/32, 10.1.0.3/32, 10.1.0.5/32, 10.1.0.7/32 : All Connections',
        '',
      ].join('\n'),
    );
    const first = connections.slice(0, 1);
    expect(formatCsv(first)).toBe('src,dst,conn\n0.0.0.0/0 except 10.0.0.0/24,ns/app-0[Deployment],TCP 8080\n');
    expect(formatMd(first)).toBe('| src | dst | conn |\n|-----|-----|------|\n| 0.0.0.0/0 except 10.0.0.0/24 | ns/app-0[Deployment] | TCP 8080 |\n');
    // The address set is an external node (a box), not a namespace "0.0.0.0".
    expect(formatDot(first)).toBe(
      ['digraph {', '\tcompound=true', '\tnode [shape=ellipse]', '\tsubgraph cluster_0 {', '\t\tlabel="ns"', '\t\t"ns/app-0[Deployment]" [label="app-0[Deployment]"]', '\t}', '\t"0.0.0.0/0 except 10.0.0.0/24" [shape=box]', '\t"0.0.0.0/0 except 10.0.0.0/24" -> "ns/app-0[Deployment]" [label="TCP 8080"]', '}', ''].join('\n'),
    );
  });

  it('netpol matrix prints it in every format, with the address items in JSON; --compat np-guard keeps the slices', () => {
    const file = join(dir, 'excepts.json');
    writeFileSync(file, manyExcepts(2, 4));
    const txt = palisade('netpol', 'matrix', file);
    expect(txt.code).toBe(0);
    expect(txt.stdout).toBe(formatTxt(toConnections(computeCompactMatrix(model(manyExcepts(2, 4))))));
    const json = palisade('netpol', 'matrix', file, '--format', 'json');
    const report = JSON.parse(json.stdout) as { connections: unknown[] };
    expect(report.connections).toHaveLength(8);
    expect(report.connections[2]).toEqual({
      src: '10.0.0.0/24 except 10.0.0.1/32, 10.0.0.3/32, 10.0.0.5/32, 10.0.0.7/32',
      dst: 'ns/app-0[Deployment]',
      conns: 'TCP 8080,9090',
      srcAddresses: [{ cidr: '10.0.0.0/24', except: ['10.0.0.1/32', '10.0.0.3/32', '10.0.0.5/32', '10.0.0.7/32'] }],
    });
    expect(report.connections[6]).toEqual({ src: 'ns/app-0[Deployment]', dst: '0.0.0.0/0 except 10.0.0.1/32, 10.0.0.3/32, 10.0.0.5/32, 10.0.0.7/32', conns: 'All Connections', dstAddresses: [{ cidr: '0.0.0.0/0', except: ['10.0.0.1/32', '10.0.0.3/32', '10.0.0.5/32', '10.0.0.7/32'] }] });
    for (const format of ['csv', 'md', 'dot']) expect(palisade('netpol', 'matrix', file, '--format', format).stdout.split('\n').length).toBeLessThan(30);
    const npGuard = palisade('netpol', 'matrix', file, '--compat', 'np-guard');
    expect(npGuard.stdout).toBe(formatTxt(toConnections(computeMatrix(model(manyExcepts(2, 4), 'np-guard'), []))));
    expect(npGuard.stdout).toContain('10.0.0.2-10.0.0.2[External] => ns/app-0[Deployment] : TCP 8080,9090\n');
  });

  it('grows with the policies, not with policies × excepts', () => {
    for (const pods of [4, 8, 16]) {
      const entries = computeCompactMatrix(model(manyExcepts(pods, 50)));
      // Per pod: three address groups in, one out.
      expect(entries.length).toBe(4 * pods);
    }
    // The slices, for scale: every pod with every slice of every other pod's excepts.
    expect(computeMatrix(model(manyExcepts(4, 50))).length).toBeGreaterThan(4 * 4 * 50);
  });

  it('denotes exactly the addresses of the np-guard slices with the same connections (naive per-address oracle)', () => {
    const pods = ['a', 'b', 'c'];
    // Blocks in 10.0.0.0/24 with excepts inside them (the API's rule), ports or none, either direction.
    const block = fc.integer({ min: 24, max: 30 }).chain((prefix) =>
      fc.tuple(fc.constant(prefix), fc.integer({ min: 0, max: 255 }), fc.array(fc.tuple(fc.integer({ min: prefix + 1, max: 32 }), fc.integer({ min: 0, max: 255 })), { maxLength: 3 })),
    );
    const rule = fc.record({ blocks: fc.array(block, { minLength: 1, maxLength: 2 }), port: fc.constantFrom(undefined, 80, 443) });
    const policy = fc.record({ pod: fc.constantFrom(...pods), direction: fc.constantFrom('Ingress', 'Egress'), rules: fc.array(rule, { maxLength: 3 }) });
    const cidrOf = (prefix: number, host: number): string => {
      const c = parseCidr(`10.0.0.${host}/${prefix}`);
      return `10.0.0.${Number((c?.first ?? 0n) & 255n)}/${prefix}`;
    };
    fc.assert(
      fc.property(fc.array(policy, { maxLength: 4 }), fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 8, maxLength: 16 }), (policies, samples) => {
        const docs: object[] = pods.map((p) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: p, namespace: 'n', labels: { app: p } }, spec: { containers: [{ name: 'c', image: 'i' }] } }));
        policies.forEach((p, i) => {
          const rules = p.rules.map((r) => {
            const peers = r.blocks.map(([prefix, host, excepts]) => {
              const cidr = cidrOf(prefix, host);
              const base = Number(parseCidr(cidr)?.first ?? 0n) & 255;
              const inside = [...new Set(excepts.map(([ep, eh]) => cidrOf(ep, base + (eh % 2 ** (32 - prefix)))))];
              return { ipBlock: { cidr, ...(inside.length > 0 ? { except: inside } : {}) } };
            });
            return { [p.direction === 'Ingress' ? 'from' : 'to']: peers, ...(r.port ? { ports: [{ port: r.port }] } : {}) };
          });
          docs.push({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: `p${i}`, namespace: 'n' }, spec: { podSelector: { matchLabels: { app: p.pod } }, policyTypes: [p.direction], [p.direction.toLowerCase()]: rules } });
        });
        const m = buildModel(loadText('in.json', docs.map((d) => JSON.stringify(d)).join('\n---\n')).resources, 'np-guard');
        expect(m.errors).toEqual([]);
        const compact = toConnections(computeCompactMatrix(m));
        const slices = computeMatrix(m);
        const addresses = [...samples.map((s) => `10.0.0.${s}`), '9.255.255.255', '10.0.1.0', '0.0.0.0', '255.255.255.255'];
        for (const text of addresses) {
          const value = parseAddress(text)?.value as bigint;
          const single = IpSet.range(4, value, value);
          const here: IpPeer = { type: 'ip', id: text, ips: single };
          for (const pod of m.pods as PodPeer[]) {
            for (const inbound of [true, false]) {
              // Oracle: the engine asked about this one address, from scratch.
              const oracle = inbound ? m.engine.explain(here, pod).allowed : m.engine.explain(pod, here).allowed;
              const want = oracle.isEmpty() ? 'none' : oracle.toString();
              const side = (c: (typeof compact)[number]): CidrItem[] | undefined => (inbound ? (c.dst === pod.id ? c.srcAddresses : undefined) : c.src === pod.id ? c.dstAddresses : undefined);
              const holding = compact.filter((c) => {
                const items = side(c);
                return items !== undefined && denoted(items).some((s) => s.contains(single));
              });
              expect(holding.length).toBeLessThanOrEqual(1);
              expect(holding[0]?.conns ?? 'none').toBe(want);
              // The slice holding it says the same.
              const slice = slices.find((e) => (inbound ? e.dst === pod && e.src.type === 'ip' && e.src.ips.contains(single) : e.src === pod && e.dst.type === 'ip' && e.dst.ips.contains(single)));
              expect(slice ? slice.allowed.toString() : 'none').toBe(want);
            }
          }
        }
        // Each entry's name is the text of its items, and the items denote its address set.
        for (const entry of computeCompactMatrix(m)) {
          const ip = entry.src.type === 'ip' ? entry.src : entry.dst.type === 'ip' ? entry.dst : undefined;
          if (!ip) continue;
          const union = denoted(cidrItems(ip.ips)).reduce((a, b) => a.union(b), IpSet.empty(4));
          expect(union.contains(ip.ips) && ip.ips.contains(union)).toBe(true);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('netpol diff keeps address sets whole too: each address is in the entry of its own change, or in none (naive per-address oracle)', () => {
    const pods = ['a', 'b'];
    const block = fc.tuple(fc.integer({ min: 24, max: 30 }), fc.integer({ min: 0, max: 255 }), fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 3 }));
    const policy = fc.record({ pod: fc.constantFrom(...pods), direction: fc.constantFrom('Ingress', 'Egress'), block, port: fc.constantFrom(undefined, 80, 443) });
    const revision = (policies: Array<{ pod: string; direction: string; block: [number, number, number[]]; port: number | undefined }>): ReturnType<typeof buildModel> => {
      const docs: object[] = pods.map((p) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: p, namespace: 'n', labels: { app: p } }, spec: { containers: [{ name: 'c', image: 'i' }] } }));
      policies.forEach(({ pod, direction, block: [prefix, host, excepts], port }, i) => {
        const first = Number((parseCidr(`10.0.0.${host}/${prefix}`)?.first ?? 0n) & 255n);
        const except = [...new Set(excepts.map((e) => `10.0.0.${first + (e % 2 ** (32 - prefix))}/32`))];
        const peer = { ipBlock: { cidr: `10.0.0.${first}/${prefix}`, ...(except.length > 0 ? { except } : {}) } };
        docs.push({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: `p${i}`, namespace: 'n' }, spec: { podSelector: { matchLabels: { app: pod } }, policyTypes: [direction], [direction.toLowerCase()]: [{ [direction === 'Ingress' ? 'from' : 'to']: [peer], ...(port ? { ports: [{ port }] } : {}) }] } });
      });
      return model(docs.map((d) => JSON.stringify(d)).join('\n---\n'));
    };
    // An entry's address side, rebuilt from its text: "CIDR except CIDR, CIDR; CIDR ...".
    const addressesOf = (text: string): IpSet[] => denoted(text.split('; ').map((item) => {
      const [cidr, except] = item.split(' except ');
      return { cidr: cidr!, ...(except ? { except: except.split(', ') } : {}) };
    }));
    fc.assert(
      fc.property(fc.array(policy, { maxLength: 3 }), fc.array(policy, { maxLength: 3 }), fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 6, maxLength: 12 }), (old, now, samples) => {
        const before = revision(old);
        const after = revision(now);
        const entries = diffCompactMatrices(computeCompactMatrix(before), computeCompactMatrix(after));
        for (const text of [...samples.map((s) => `10.0.0.${s}`), '9.9.9.9']) {
          const value = parseAddress(text)?.value as bigint;
          const here: IpPeer = { type: 'ip', id: text, ips: IpSet.range(4, value, value) };
          for (const name of pods) {
            for (const inbound of [true, false]) {
              const ask = (m: ReturnType<typeof buildModel>): string => {
                const pod = m.pods.find((p) => p.id.startsWith(`n/${name}[`))!;
                const allowed = inbound ? m.engine.explain(here, pod).allowed : m.engine.explain(pod, here).allowed;
                return allowed.isEmpty() ? 'No Connections' : allowed.toString();
              };
              const [was, is] = [ask(before), ask(after)];
              const holding = entries.filter((e) => {
                const [podSide, addressSide] = inbound ? [e.dst, e.src] : [e.src, e.dst];
                return podSide.startsWith(`n/${name}[`) && !addressSide.endsWith(']') && addressesOf(addressSide).some((set) => set.family === 4 && !set.intersect(here.ips).isEmpty());
              });
              const want = was === is ? [] : [[was === 'No Connections' ? 'added' : is === 'No Connections' ? 'removed' : 'changed', was, is]];
              expect([text, name, inbound, holding.map((e) => [e.kind, e.before, e.after])]).toEqual([text, name, inbound, want]);
            }
          }
        }
      }),
      { numRuns: 80 },
    );
  });
});
