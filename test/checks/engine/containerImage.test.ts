import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { podContexts } from '../../../src/checks/index.js';
import { containerImage, isImagePlaceholder } from '../../../src/checks/image.js';
import { joinPointer } from '../../../src/core/pointer.js';
import { parseImageReference } from '../../../src/knowledge/index.js';
import { findPodSpecs } from '../../../src/workloads/index.js';

// The four image checks read a container's parsed image through containerImage, which now returns
// what podContext parsed once per container. The oracle is the per-call parse it replaced: the
// same answer for every container of every pod means the same findings.
function parsedEachTime(container: Record<string, unknown>, path: string): { text: string; reference: unknown; path: string } | undefined {
  const image = container.image;
  if (typeof image !== 'string' || isImagePlaceholder(image)) return undefined;
  const reference = parseImageReference(image.trim());
  return reference ? { text: image, reference, path: joinPointer(path, 'image') } : undefined;
}

const image = fc.oneof(
  fc.constantFrom('nginx', 'nginx:1.27', ' nginx:1.27 ', 'nvcr.io/nvidia/tritonserver:24.05-py3', 'vllm/vllm-openai:latest', 'ghcr.io/org/app@sha256:' + 'a'.repeat(64), 'registry:5000/a/b:c@sha256:' + 'b'.repeat(64), '${IMAGE}', '<your-image>', '{{ .Values.image }}', '', '   ', 'UPPER/Case:tag', 'a/b/c/d:1'),
  fc.string({ maxLength: 20 }),
  fc.constantFrom(undefined, null, 42, ['nginx'], { name: 'nginx' }),
);
const container = (kind: string) => fc.record({ name: fc.constantFrom('a', 'b', 'c'), image }, { requiredKeys: ['name'] }).map((c) => ({ ...c, name: `${kind}-${c.name}` }));
const pod = fc.record({
  containers: fc.array(container('c'), { minLength: 1, maxLength: 3 }),
  initContainers: fc.array(container('i'), { maxLength: 2 }),
  ephemeralContainers: fc.array(container('e'), { maxLength: 1 }),
});

describe('containerImage', () => {
  it('gives, for every container of random pods and Deployments, what parsing the image on each call gave', () => {
    fc.assert(
      fc.property(pod, fc.boolean(), (spec, deployment) => {
        const object = deployment ? { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { template: { spec } } } : { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec };
        const ref = { apiVersion: object.apiVersion, kind: object.kind, name: object.metadata.name };
        const contexts = podContexts({ ref, object }, findPodSpecs(object));
        const views = contexts.flatMap((c) => c.containers);
        expect(views.length).toBe(spec.containers.length + spec.initContainers.length + spec.ephemeralContainers.length);
        for (const view of views) expect(containerImage(view)).toEqual(parsedEachTime(view.ref.object, view.ref.path));
      }),
      { numRuns: 300 },
    );
  });

  it('reads the object as it is when the contexts are built: a changed image shows in the next run', () => {
    const object = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'a', image: 'nginx:1.27' }] } };
    const ref = { apiVersion: 'v1', kind: 'Pod', name: 'p' };
    const first = podContexts({ ref, object }, findPodSpecs(object))[0]!.containers[0]!;
    expect(containerImage(first)?.reference.tag).toBe('1.27');
    object.spec.containers[0]!.image = 'nginx@sha256:' + 'c'.repeat(64);
    const second = podContexts({ ref, object }, findPodSpecs(object))[0]!.containers[0]!;
    expect([containerImage(second)?.reference.tag, containerImage(second)?.reference.digest]).toEqual([undefined, 'sha256:' + 'c'.repeat(64)]);
  });
});
