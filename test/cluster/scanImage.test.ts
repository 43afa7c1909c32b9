import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseImageId, runningImages, type ClusterObject } from '../../src/cluster/index.js';
import { buildImage, type BuiltImage } from '../scan/image/imageBuilder.js';
import { APP_LAYER, DEBIAN_BASE } from '../scan/image/rootfs.js';
import { startFakeApiServer, type FakeApi } from './fakeApiServer.js';
import { palisadeAsync, writeKubeconfig } from './helpers.js';

/**
 * `scan image --cluster`: the images of the running pods, one scan per image (deduplicated by the
 * digest the kubelet reports in the pod status), against the fake API server and a registry on
 * loopback.
 */

const D1 = `sha256:${'1'.repeat(64)}`;
const D2 = `sha256:${'2'.repeat(64)}`;

function pod(namespace: string, name: string, containers: Array<{ name: string; image: string; imageID?: string }>, init: Array<{ name: string; image: string; imageID?: string }> = []): ClusterObject {
  const statuses = (list: typeof containers): Array<Record<string, unknown>> => list.filter((c) => c.imageID !== undefined).map((c) => ({ name: c.name, image: c.image, imageID: c.imageID, ready: true }));
  return {
    object: { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace }, spec: { containers: containers.map(({ name, image }) => ({ name, image })), ...(init.length ? { initContainers: init.map(({ name, image }) => ({ name, image })) } : {}) } },
    status: { phase: 'Running', containerStatuses: statuses(containers), ...(init.length ? { initContainerStatuses: statuses(init) } : {}) },
    served: { group: '', version: 'v1', kind: 'Pod', resource: 'pods', namespaced: true } as never,
    url: `https://k/api/v1/namespaces/${namespace}/pods/${name}`,
  };
}

describe('runningImages', () => {
  it('parses the imageID forms the runtimes report', () => {
    expect(parseImageId(`docker-pullable://registry.example.com/ml/serve@${D1}`)).toEqual({ reference: `registry.example.com/ml/serve@${D1}`, digest: D1 });
    expect(parseImageId(`registry.example.com:5000/ml/serve@${D1}`)).toEqual({ reference: `registry.example.com:5000/ml/serve@${D1}`, digest: D1 });
    expect(parseImageId(`docker://${D2}`)).toEqual({ digest: D2 });
    expect(parseImageId(D2)).toEqual({ digest: D2 });
    expect(parseImageId('')).toBeUndefined();
    expect(parseImageId('registry.example.com/ml/serve:1.0')).toBeUndefined();
  });

  it('one entry per digest whatever the tag; local ids key but scan the spec image; pending pods key by spec image', () => {
    const images = runningImages([
      pod('ml', 'a', [{ name: 'server', image: 'registry.example.com/ml/serve:1.0', imageID: `registry.example.com/ml/serve@${D1}` }], [{ name: 'init', image: 'busybox:1.36', imageID: `docker://${D2}` }]),
      pod('ml', 'b', [{ name: 'server', image: 'registry.example.com/ml/serve:latest', imageID: `docker-pullable://registry.example.com/ml/serve@${D1}` }]),
      pod('other', 'c', [{ name: 'server', image: 'registry.example.com/ml/serve:1.0' }, { name: 'side', image: 'busybox:1.36', imageID: D2 }]),
      { ...pod('x', 'deploy', []), object: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { template: { spec: { containers: [{ name: 'x', image: 'nope:1' }] } } } } },
    ]);
    expect(images).toEqual([
      { reference: 'busybox:1.36', digest: D2, specImages: ['busybox:1.36'], containers: [{ namespace: 'ml', pod: 'a', container: 'init' }, { namespace: 'other', pod: 'c', container: 'side' }] },
      { reference: `registry.example.com/ml/serve@${D1}`, digest: D1, specImages: ['registry.example.com/ml/serve:1.0', 'registry.example.com/ml/serve:latest'], containers: [{ namespace: 'ml', pod: 'a', container: 'server' }, { namespace: 'ml', pod: 'b', container: 'server' }] },
      { reference: 'registry.example.com/ml/serve:1.0', specImages: ['registry.example.com/ml/serve:1.0'], containers: [{ namespace: 'other', pod: 'c', container: 'server' }] },
    ]);
  });
});

describe('scan image --cluster', () => {
  let api: FakeApi;
  let registry: Server;
  let host = '';
  let image: BuiltImage;
  const pulls: string[] = [];
  beforeAll(async () => {
    image = await buildImage({ layers: [{ files: DEBIAN_BASE }, { files: APP_LAYER }], config: { User: '0' } });
    const blobs = new Map([...image.blobs].map(([hex, b]) => [`sha256:${hex}`, b]));
    registry = createServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      const manifest = /^\/v2\/ml\/serve\/manifests\/(.+)$/.exec(path)?.[1];
      if (manifest) {
        pulls.push(manifest);
        return void (manifest === image.manifestDigest ? res.writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json' }).end(image.manifest) : res.writeHead(404).end());
      }
      const body = blobs.get(/^\/v2\/ml\/serve\/blobs\/(.+)$/.exec(path)?.[1] ?? '');
      return void (body ? res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(body) : res.writeHead(404).end());
    });
    await new Promise<void>((r) => registry.listen(0, '127.0.0.1', () => r()));
    host = `127.0.0.1:${(registry.address() as AddressInfo).port}`;
    const running = (ns: string, name: string, tag: string): Record<string, unknown> => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace: ns, uid: `${ns}-${name}`, resourceVersion: '7' },
      spec: { containers: [{ name: 'server', image: `${host}/ml/serve:${tag}` }] },
      status: { phase: 'Running', containerStatuses: [{ name: 'server', image: `${host}/ml/serve:${tag}`, imageID: `${host}/ml/serve@${image.manifestDigest}`, ready: true }] },
    });
    api = await startFakeApiServer({
      objects: [
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ml' } },
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } },
        running('ml', 'serve-a', '1.0'),
        running('ml', 'serve-b', '1.0'),
        running('team', 'serve-c', 'latest'),
      ],
    });
  });
  afterAll(async () => {
    await api.close();
    await new Promise<void>((r) => registry.close(() => r()));
  });

  it('scans each running image once, by the digest the pods run, and names the containers that run it', async () => {
    const kubeconfig = writeKubeconfig(api);
    const run = await palisadeAsync(['scan', 'image', '--cluster', '--kubeconfig', kubeconfig, '-f', 'json', '--fail-on', 'none', '--no-models']);
    expect(run.status).toBe(0);
    const report = JSON.parse(run.stdout) as { inputs: string[]; images: Array<{ reference: string; digest: string; specImages: string[]; containers: unknown[]; packages: unknown[]; image: { format?: string } }>; findings: Array<{ checkId: string; message: string }> };
    expect(report.inputs).toEqual([api.url]);
    expect(report.images.map((i) => [i.reference, i.digest, i.specImages, i.containers.length])).toEqual([[`${host}/ml/serve@${image.manifestDigest}`, image.manifestDigest, [`${host}/ml/serve:1.0`, `${host}/ml/serve:latest`], 3]]);
    expect(report.images[0]!.packages.length).toBeGreaterThan(0);
    // One pull of the manifest by digest, never by tag.
    expect(pulls).toEqual([image.manifestDigest]);
    // Only pods were listed.
    expect(api.requests.filter((r) => r.startsWith('GET /api/v1/pods') || r.includes('/deployments')).map((r) => r.split('?')[0])).toEqual(['GET /api/v1/pods']);
    const root = report.findings.find((f) => f.checkId === 'IMAGE_ROOT_USER');
    expect(root?.message.startsWith(`${host}/ml/serve@${image.manifestDigest}: `)).toBe(true);
  });

  it('-n reads one namespace; an image and --cluster together, or neither, is bad usage', async () => {
    const kubeconfig = writeKubeconfig(api);
    pulls.length = 0;
    const run = await palisadeAsync(['scan', 'image', '--cluster', '--kubeconfig', kubeconfig, '-n', 'team', '-f', 'json', '--fail-on', 'none', '--no-models']);
    expect(run.status).toBe(0);
    const report = JSON.parse(run.stdout) as { images: Array<{ containers: Array<{ namespace: string; pod: string }> }> };
    expect(report.images.map((i) => i.containers)).toEqual([[{ namespace: 'team', pod: 'serve-c', container: 'server' }]]);
    const both = await palisadeAsync(['scan', 'image', 'x:1', '--cluster', '--kubeconfig', kubeconfig]);
    expect([both.status, both.stderr.includes('either an image or --cluster')]).toEqual([2, true]);
    const neither = await palisadeAsync(['scan', 'image']);
    expect([neither.status, neither.stderr.includes('missing image')]).toEqual([2, true]);
  });
});
