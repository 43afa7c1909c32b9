import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { load, loadText, type Resource } from '../../src/core/load.js';
import { buildMeshModel, expandTopLevelSequences, meshMatrix, type Resolution } from '../../src/netpol/layers/matrix.js';

/**
 * The mesh conformance corpus (shared/conformance/mesh: IBM network-config-analyzer's Calico and
 * Istio maps, cilium-cli's connectivity probes), judged by the corpus's own check.py. The engine
 * runs in-process; check.py reads its saved output through `cat`, so the comparison is the
 * corpus's, not ours.
 */
const root = fileURLToPath(new URL('../../../shared/conformance/mesh/', import.meta.url));
const python = spawnSync('python3', ['--version']).status === 0;

/**
 * The cases whose expectation contradicts the specification, each with why. The test fails when a
 * case listed here passes (take it off the list) or a case not listed fails. Each one is argued in
 * "cases argued wrong" below: read the way network-config-analyzer (NCA) read it, it passes.
 */
const SIDECAR_NAMESPACE =
  'Istio Sidecar `egress.hosts` are `namespace/dnsName`: "Services in the specified namespace matching dnsName will be exposed" (istio.io Sidecar reference; pilot/pkg/model/sidecar.go selectServices compares the host\'s namespace with the service\'s own namespace, `s.Attributes.Namespace`). NCA instead exposes every ServiceEntry host under any namespace (PeerContainer.get_services_target_peers_in_namespace: "currently assuming DNSEntry peers are exported to all namespaces"), so `istio-system/*` reaches the ServiceEntry of namespace default in its map';
const MESH_BY_MATCH =
  'a VirtualService whose `gateways` does not name `mesh` is not a route of the sidecars, whatever its match items\' `gateways` say: istio indexes a VirtualService under its own `gateways` only ("if len(vs.Gateways) == 0 { return meshGateways }"; istio/istio pilot/pkg/model/push_context.go getGatewayNames and initVirtualServices, master 86c9f01), and a sidecar reads VirtualServicesForGateway(namespace, "mesh"). The VirtualService httpbin has `gateways: [istio-system/my-gateway]` and a tls match item `gateways: [mesh]`, so no sidecar sends httpbin.example.com to the egress gateway and the egress flow is half (the gateway reaches the host on every TCP port, no pod loses it); NCA reads the match item\'s `mesh` as binding the route to the mesh';
const NOT_YET: Record<string, string> = {
  'nca.istio_testcases.connectivity-scheme.new_online_boutique_synthesis_res.by-deployments':
    'NCA read all_auth_policies.yaml only as a podList/namespaceList directory (connectivity-scheme.yaml: networkPolicyList is synthesis_res_istio_new_online_boutique_with_sa.yaml alone), so its map ignores that file\'s 12 AuthorizationPolicies; case.json lists the file among the inputs (role "namespaces"), and a tool that reads every input, as `kubectl apply -f` would, must apply them (ALLOW policies add up: frontend allows asm-ingressgateway GET/POST on 8080, which the expected map lacks)',
  'nca.istio_testcases.onlineboutique-multi-layer-from-live-cluster-test-scheme.onlineboutique-resources': `${SIDECAR_NAMESPACE}; and ${MESH_BY_MATCH}`,
  'nca.fw_rules_tests.istio-test1-scheme.istio-policy2':
    'the ALLOW rule\'s source `notNamespaces: ["vendor-system"]` matches plaintext: "These mTLS-only fields [principals, notPrincipals, namespaces, notNamespaces] ... with notNamespaces: [\"foo\"] ... A plain text request from the namespace foo will actually be allowed. The mTLS-only field notNamespaces will be compared to an empty value when mTLS is not used" (istio.io ISTIO-SECURITY-2021-004), so outside addresses (plaintext, no sidecar) reach skydive on TCP 30 and 50; NCA matches namespace fields against pods only, and its map gives the addresses no TCP',
  'nca.istio_testcases.istio-ingress-test-scheme.istio-ingress.by-deployments':
    'the VirtualService bookinfo-mongo\'s only tcp route matches `port: 27017`, and the Gateway my-gateway has no server on 27017 (its MONGO server is 2379): at a gateway "isPortMatch ... we evaluate the port predicate against the server\'s port" and a server whose tcp routes all fail to match gets no network filter ("gateway %s:%d listener missed network filter"; istio/istio pilot/pkg/networking/core/gateway.go buildGatewayNetworkFiltersFromTCPRoutes, l4SingleMatch, master 86c9f01), so the gateway never sends to details-v1 on 5555; NCA ignores the match port, and its map has that connection',
  'nca.istio_testcases.sidecars-and-gateways-test-scheme.onlineboutique-sidecars-and-gateways': `${SIDECAR_NAMESPACE}; and a Kubernetes Service's host is <name>.<namespace>.svc.cluster.local, so the Sidecars of namespace default naming "./cartservice.onlineboutique.svc.cluster.local" expose nothing (the Service cartservice is in default), while NCA matches the first label only (IstioSidecarYamlParser._get_peers_from_host_dns_name: "the only relevant part of it is <service_name>"); and ${MESH_BY_MATCH}`,
};

interface CaseJson {
  case: string;
  family: string;
  inputs: string[];
  input_roles: Record<string, string[]>;
  resolution: Resolution;
  dir?: string;
}

function cases(family: string): string[] {
  const index = JSON.parse(readFileSync(join(root, family, 'index.json'), 'utf8')) as { cases: (string | { case: string })[] };
  return index.cases.map((c) => (typeof c === 'string' ? c : c.case));
}

const out = mkdtempSync(join(tmpdir(), 'palisade-mesh-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

type Reading = (resources: Resource[], c: CaseJson) => Resource[];

async function runFamily(family: string, only?: Record<string, Reading>): Promise<Map<string, boolean>> {
  for (const name of cases(family)) {
    if (only && !(name in only)) continue;
    const dir = join(root, family, name);
    const c = JSON.parse(readFileSync(join(dir, 'case.json'), 'utf8')) as CaseJson;
    const loaded = await load(c.inputs.map((i) => join(dir, i)));
    await expandTopLevelSequences(loaded, (f) => readFile(f, 'utf8'));
    const resources = only ? only[name]!(loaded.resources, { ...c, dir }) : loaded.resources;
    const model = buildMeshModel(resources);
    const connections = model.errors.length === 0 ? meshMatrix(model, c.resolution) : [];
    writeFileSync(join(out, `${name}.json`), JSON.stringify({ connections }));
  }
  const report = join(out, `${family}.report.json`);
  const args = only ? ['--only', `^(${Object.keys(only).map((n) => n.replace(/[.\-]/g, '\\$&')).join('|')})$`] : [];
  const r = spawnSync('python3', [join(root, 'check.py'), join(root, family), '--cmd', `cat ${out}/$(basename {case_dir}).json`, '--report', report, ...args], { encoding: 'utf8' });
  if (r.status !== 0 && r.status !== 1) throw new Error(`check.py failed: ${r.stderr}`);
  const results = JSON.parse(readFileSync(report, 'utf8')) as { case: string; pass: boolean }[];
  return new Map(results.map((x) => [x.case, x.pass]));
}

describe.skipIf(!python)('mesh conformance corpus (check.py)', () => {
  for (const family of ['calico', 'istio', 'cilium'] as const) {
    it(`${family}: every case passes except the listed ones, each with its reason`, async () => {
      const results = await runFamily(family);
      const failing = [...results].filter(([, pass]) => !pass).map(([name]) => name).sort();
      const listed = [...results.keys()].filter((name) => name in NOT_YET).sort();
      expect(failing).toEqual(listed);
    }, 600_000);
  }
});

/** A copy of a resource with another object (same file, so locations stay meaningful). */
const remade = (r: Resource, object: Record<string, unknown>): Resource => loadText(r.source.path, JSON.stringify(object)).resources[0]!;

/** NCA's podList/namespaceList: only the topology of a file that no other role names (no policies). */
const TOPOLOGY = new Set(['Namespace', 'Pod', 'Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'ReplicationController', 'Service', 'ServiceAccount']);
const byRoles: Reading = (resources, c) => {
  const policyFiles = new Set([...(c.input_roles.policies ?? []), ...(c.input_roles.resources ?? [])].map((f) => join(c.dir!, f)));
  return resources.filter((r) => policyFiles.has(r.source.path) || TOPOLOGY.has(String(r.object.kind)));
};

/** NCA's ServiceEntry: in every namespace (a copy in each namespace a Sidecar host names). */
const entriesEverywhere: Reading = (resources) => {
  const named = new Set<string>();
  for (const r of resources) {
    if (r.object.kind !== 'Sidecar') continue;
    const egress = ((r.object.spec as { egress?: { hosts?: string[] }[] }).egress ?? []);
    for (const host of egress.flatMap((l) => l.hosts ?? [])) if (!['*', '.', '~'].includes(host.split('/')[0]!)) named.add(host.split('/')[0]!);
  }
  return resources.flatMap((r) => {
    if (r.object.kind !== 'ServiceEntry' || (r.object.spec as { exportTo?: unknown }).exportTo !== undefined) return [r];
    const md = r.object.metadata as Record<string, unknown>;
    return [r, ...[...named].map((ns) => remade(r, { ...r.object, metadata: { ...md, name: `${String(md.name)}-in-${ns}`, namespace: ns } }))];
  });
};

/** NCA's Sidecar host `ns/<svc>.<any>.svc.cluster.local`: the Services named <svc> of the host's namespace. */
const firstLabelOnly: Reading = (resources) =>
  resources.map((r) => {
    if (r.object.kind !== 'Sidecar') return r;
    const own = String((r.object.metadata as { namespace?: string }).namespace ?? 'default');
    const spec = r.object.spec as { egress: { hosts?: string[] }[] };
    const egress = spec.egress.map((l) => ({
      ...l,
      hosts: (l.hosts ?? []).map((host) => {
        const [ns, dns] = host.split('/') as [string, string];
        const m = /^([^.*]+)\.[^.]+\.svc\.cluster\.local$/.exec(dns);
        return m && ns !== '*' && ns !== '~' ? `${ns}/${m[1]!}.${ns === '.' ? own : ns}.svc.cluster.local` : host;
      }),
    }));
    return remade(r, { ...r.object, spec: { ...spec, egress } });
  });

/** NCA's mesh routes: a VirtualService with a match item naming `mesh` is bound to the mesh too. */
const meshByMatch: Reading = (resources) =>
  resources.map((r) => {
    if (r.object.kind !== 'VirtualService') return r;
    const spec = r.object.spec as { gateways?: string[]; http?: unknown[]; tls?: unknown[]; tcp?: unknown[] };
    const items = [...(spec.http ?? []), ...(spec.tls ?? []), ...(spec.tcp ?? [])].flatMap((route) => (route as { match?: { gateways?: string[] }[] }).match ?? []);
    if (!spec.gateways || spec.gateways.includes('mesh') || !items.some((m) => (m.gateways ?? []).includes('mesh'))) return r;
    return remade(r, { ...r.object, spec: { ...spec, gateways: [...spec.gateways, 'mesh'] } });
  });

/** NCA's not* sources: identities only, so plaintext never matches (as if `principals: ["*"]`, any identity, stood beside them). */
const notFieldsNeedIdentity: Reading = (resources) =>
  resources.map((r) => {
    if (r.object.kind !== 'AuthorizationPolicy') return r;
    const spec = r.object.spec as { rules?: { from?: { source?: Record<string, unknown> }[] }[] };
    const rules = (spec.rules ?? []).map((rule) => ({
      ...rule,
      ...(rule.from ? { from: rule.from.map((f) => (f.source && (f.source.notNamespaces || f.source.notPrincipals) && !f.source.namespaces && !f.source.principals ? { ...f, source: { ...f.source, principals: ['*'] } } : f)) } : {}),
    }));
    return remade(r, { ...r.object, spec: { ...spec, rules } });
  });

/** NCA's tcp routes at a gateway: a match item's `port` is not compared with the Gateway's server ports. */
const tcpPortIgnored: Reading = (resources) =>
  resources.map((r) => {
    if (r.object.kind !== 'VirtualService') return r;
    const spec = r.object.spec as { tcp?: { match?: Record<string, unknown>[] }[] };
    if (!spec.tcp) return r;
    const tcp = spec.tcp.map((route) => ({ ...route, ...(route.match ? { match: route.match.map(({ port: _port, ...rest }) => rest) } : {}) }));
    return remade(r, { ...r.object, spec: { ...spec, tcp } });
  });

describe.skipIf(!python)('mesh conformance: cases argued wrong (see NOT_YET) pass when read as NCA read them', () => {
  it('each listed case passes under its stated reading, and only under it', async () => {
    const readings: Record<string, Reading> = {
      'nca.istio_testcases.connectivity-scheme.new_online_boutique_synthesis_res.by-deployments': byRoles,
      'nca.istio_testcases.onlineboutique-multi-layer-from-live-cluster-test-scheme.onlineboutique-resources': (rs, c) => meshByMatch(entriesEverywhere(rs, c), c),
      'nca.istio_testcases.sidecars-and-gateways-test-scheme.onlineboutique-sidecars-and-gateways': (rs, c) => meshByMatch(firstLabelOnly(entriesEverywhere(rs, c), c), c),
      'nca.fw_rules_tests.istio-test1-scheme.istio-policy2': notFieldsNeedIdentity,
      'nca.istio_testcases.istio-ingress-test-scheme.istio-ingress.by-deployments': tcpPortIgnored,
    };
    expect(Object.keys(readings).sort()).toEqual(Object.keys(NOT_YET).sort());
    const results = await runFamily('istio', readings);
    expect([...results].filter(([, pass]) => !pass)).toEqual([]);
    expect(results.size).toBe(5);
    // Each part of the sidecars-and-gateways reading is needed.
    const name = 'nca.istio_testcases.sidecars-and-gateways-test-scheme.onlineboutique-sidecars-and-gateways';
    expect((await runFamily('istio', { [name]: (rs, c) => meshByMatch(entriesEverywhere(rs, c), c) })).get(name)).toBe(false);
    expect((await runFamily('istio', { [name]: (rs, c) => meshByMatch(firstLabelOnly(rs, c), c) })).get(name)).toBe(false);
    expect((await runFamily('istio', { [name]: (rs, c) => firstLabelOnly(entriesEverywhere(rs, c), c) })).get(name)).toBe(false);
  }, 600_000);
});
