import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadText } from '../../src/core/load.js';
import { buildMeshModel, meshMatrix } from '../../src/netpol/layers/matrix.js';

/**
 * The seed scenario (examples/ml-serving-mesh): Calico default deny with TCP 8080 open to iris from
 * the gateway and the notebook, Istio mTLS STRICT, and an AuthorizationPolicy that lets only the
 * gateway's service account POST /v1/models/iris:predict. Loosening the policy shows the notebook.
 */
const dir = fileURLToPath(new URL('../../examples/ml-serving-mesh/', import.meta.url));
const files = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();

function matrixOf(edit: (file: string, text: string) => string = (_f, t) => t) {
  const resources = files.flatMap((f) => loadText(join(dir, f), edit(f, readFileSync(join(dir, f), 'utf8'))).resources);
  const model = buildMeshModel(resources);
  expect(model.errors).toEqual([]);
  return meshMatrix(model, 'deployment').filter((c) => !c.src.startsWith('ip:') && !c.dst.startsWith('ip:'));
}

describe('examples/ml-serving-mesh', () => {
  it('only the gateway may POST /v1/models/iris:predict, on 8080, and nothing else moves', () => {
    expect(matrixOf()).toEqual([{ src: 'ml-serving/gateway', dst: 'ml-serving/iris', conns: [{ protocol: '6', ports: '8080', methods: ['POST'], paths: ['/v1/models/iris:predict'] }] }]);
  });

  it('loosened to the whole namespace, the notebook may POST predictions too', () => {
    const loose = matrixOf((f, t) => (f === 'istio.yaml' ? t.replace('principals: [cluster.local/ns/ml-serving/sa/gateway]', 'namespaces: [ml-serving]') : t));
    expect(loose.map((c) => `${c.src} -> ${c.dst}`)).toEqual(['ml-serving/gateway -> ml-serving/iris', 'ml-serving/notebook -> ml-serving/iris']);
    expect(loose[1]!.conns).toEqual([{ protocol: '6', ports: '8080', methods: ['POST'], paths: ['/v1/models/iris:predict'] }]);
  });

  it('a notebook without a sidecar has no identity and cannot speak plaintext to the STRICT model server', () => {
    const loose = matrixOf((f, t) =>
      f === 'istio.yaml' ? t.replace('principals: [cluster.local/ns/ml-serving/sa/gateway]', 'namespaces: [ml-serving]') : f === 'workloads.yaml' ? t.replace('metadata: {labels: {app: notebook}}', 'metadata: {labels: {app: notebook}, annotations: {sidecar.istio.io/inject: "false"}}') : t,
    );
    expect(loose.map((c) => `${c.src} -> ${c.dst}`)).toEqual(['ml-serving/gateway -> ml-serving/iris']);
  });
});
