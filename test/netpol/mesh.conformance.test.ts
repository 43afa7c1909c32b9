import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { load } from '../../src/core/load.js';
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
 * Every case that does not pass yet, with why. The test fails when a case listed here passes (take
 * it off the list) or a case not listed fails: the count only goes up, and the list stays true.
 */
const GATEWAY =
  'the complete Istio egress-gateway flow is not modelled (NCA IstioGatewayPolicyGenerator: when a VirtualService routes mesh -> egress gateway and another routes egress gateway -> ServiceEntry host, the mesh reaches the egress gateway only for those hosts/ports, the gateway reaches the host only on the routed port, and every other pod loses its direct TCP to the host); palisade reports egress Gateways as not modelled and leaves their traffic to the other layers';
const NOT_YET: Record<string, string> = {
  'nca.istio_testcases.connectivity-scheme.new_online_boutique_synthesis_res.by-deployments': 'case not reproducible from its inputs alone: case.json input_roles puts all_auth_policies.yaml under "namespaces" (NCA reads only Namespace objects from it and ignores its 12 AuthorizationPolicies), but check.py hands every file to the tool without roles, and a tool that applies all the files, as `kubectl apply -f` would, must apply those policies too (e.g. frontend allows asm-ingressgateway GET/POST on 8080, which NCA\'s expected map lacks)',
  'nca.istio_testcases.onlineboutique-multi-layer-from-live-cluster-test-scheme.onlineboutique-resources': GATEWAY,
  'nca.istio_testcases.sidecars-and-gateways-test-scheme.onlineboutique-sidecars-and-gateways': GATEWAY,
};

interface CaseJson {
  case: string;
  family: string;
  inputs: string[];
  resolution: Resolution;
}

function cases(family: string): string[] {
  const index = JSON.parse(readFileSync(join(root, family, 'index.json'), 'utf8')) as { cases: (string | { case: string })[] };
  return index.cases.map((c) => (typeof c === 'string' ? c : c.case));
}

const out = mkdtempSync(join(tmpdir(), 'palisade-mesh-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

async function runFamily(family: string): Promise<Map<string, boolean>> {
  for (const name of cases(family)) {
    const dir = join(root, family, name);
    const c = JSON.parse(readFileSync(join(dir, 'case.json'), 'utf8')) as CaseJson;
    const loaded = await load(c.inputs.map((i) => join(dir, i)));
    await expandTopLevelSequences(loaded, (f) => readFile(f, 'utf8'));
    const model = buildMeshModel(loaded.resources);
    const connections = model.errors.length === 0 ? meshMatrix(model, c.resolution) : [];
    writeFileSync(join(out, `${name}.json`), JSON.stringify({ connections }));
  }
  const report = join(out, `${family}.report.json`);
  const r = spawnSync('python3', [join(root, 'check.py'), join(root, family), '--cmd', `cat ${out}/$(basename {case_dir}).json`, '--report', report], { encoding: 'utf8' });
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
