import fc from 'fast-check';
import { Document, isCollection, isMap, isSeq, visit, type Node as YamlNode, type YAMLMap } from 'yaml';

/** Random ML workloads and random ways to write them, for the harden property tests. */


const securityContext = fc.record(
  {
    runAsUser: fc.constantFrom(0, 1000),
    runAsNonRoot: fc.boolean(),
    privileged: fc.boolean(),
    allowPrivilegeEscalation: fc.boolean(),
    readOnlyRootFilesystem: fc.boolean(),
    capabilities: fc.record({ add: fc.subarray(['SYS_ADMIN', 'NET_BIND_SERVICE', 'NET_RAW', 'SYS_PTRACE']), drop: fc.subarray(['ALL', 'NET_RAW']) }, { requiredKeys: [] }),
    seccompProfile: fc.record({ type: fc.constantFrom('RuntimeDefault', 'Unconfined', 'Localhost') }),
  },
  { requiredKeys: [] },
);

export const container = fc.record(
  {
    name: fc.constantFrom('app', 'model', 'sidecar', 'worker'),
    image: fc.constantFrom('rayproject/ray:2.9.0', 'vllm/vllm-openai:v0.6.3', 'nginx:1.27', 'tensorflow/serving:2.14.1', 'pytorch/torchserve:0.11.0', 'ghcr.io/acme/fraud-api:1.2', 'busybox'),
    ports: fc.array(fc.record({ containerPort: fc.constantFrom(80, 443, 8080, 8265, 6379) }), { minLength: 1, maxLength: 2 }),
    env: fc.array(fc.record({ name: fc.constantFrom('HF_HOME', 'LOG_LEVEL', 'NVIDIA_VISIBLE_DEVICES'), value: fc.constantFrom('/cache/hf', 'debug', 'all') }), { minLength: 1, maxLength: 2 }),
    resources: fc.record({ limits: fc.record({ memory: fc.constantFrom('8Gi', '512Mi'), 'nvidia.com/gpu': fc.constant(1) }, { requiredKeys: [] }) }),
    securityContext,
    volumeMounts: fc.array(fc.record({ name: fc.constantFrom('data', 'tmp'), mountPath: fc.constantFrom('/data', '/tmp') }), { minLength: 1, maxLength: 1 }),
  },
  { requiredKeys: ['name', 'image'] },
);

export const podSpec = fc.record(
  {
    containers: fc.array(container, { minLength: 1, maxLength: 3 }),
    initContainers: fc.array(container, { minLength: 1, maxLength: 1 }),
    volumes: fc.array(fc.oneof(fc.record({ name: fc.constant('data'), emptyDir: fc.constant({}) }), fc.record({ name: fc.constant('tmp'), hostPath: fc.record({ path: fc.constantFrom('/var/tmp', '/dev') }) }), fc.record({ name: fc.constant('data'), persistentVolumeClaim: fc.record({ claimName: fc.constant('models') }) })), { minLength: 1, maxLength: 2 }),
    hostIPC: fc.boolean(),
    hostNetwork: fc.boolean(),
    serviceAccountName: fc.constantFrom('default', 'ray-autoscaler'),
    automountServiceAccountToken: fc.boolean(),
    securityContext: fc.record({ runAsNonRoot: fc.boolean(), runAsUser: fc.constantFrom(0, 1000), fsGroup: fc.constant(100), seccompProfile: fc.record({ type: fc.constantFrom('RuntimeDefault', 'Unconfined') }) }, { requiredKeys: [] }),
  },
  { requiredKeys: ['containers'] },
);

/** A workload around a pod spec: a bare Pod, a Deployment, or a KubeRay head group. */
export const workload = fc.tuple(fc.constantFrom('Pod', 'Deployment', 'RayCluster'), podSpec).map(([kind, spec]) => {
  const metadata = { name: `w-${kind.toLowerCase()}` };
  if (kind === 'Pod') return { apiVersion: 'v1', kind, metadata, spec };
  if (kind === 'Deployment') return { apiVersion: 'apps/v1', kind, metadata, spec: { replicas: 1, template: { metadata: { labels: { app: 'x' } }, spec } } };
  return { apiVersion: 'ray.io/v1', kind, metadata, spec: { headGroupSpec: { rayStartParams: {}, template: { spec } } } };
});

/** How to write a document: indentation, sequence style, and per-node flow/comment/anchor choices. */
export const writing = fc.record({
  indent: fc.integer({ min: 2, max: 4 }),
  indentSeq: fc.boolean(),
  choices: fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 80, maxLength: 80 }),
  alias: fc.boolean(),
  leading: fc.boolean(),
});

/** Write an object as YAML text with the given style choices: flow maps, comments, an anchor and alias. */
export function writeYaml(value: unknown, style: { indent: number; indentSeq: boolean; choices: readonly number[]; alias: boolean; leading: boolean }): string {
  const document = new Document(value);
  let i = 0;
  const next = (): number => style.choices[i++ % style.choices.length]!;
  let commentCount = 0;
  visit(document, {
    Pair(_, pair) {
      const choice = next();
      const node = pair.value as YamlNode | null;
      if (choice === 1 && node && isCollection(node)) node.flow = true;
      if (choice === 2 && node) node.comment = ` c${commentCount++}`;
      if (choice === 3 && isMap(pair.key) === false && pair.key && typeof pair.key === 'object') (pair.key as YamlNode).commentBefore = ` before ${commentCount++}`;
    },
  });
  if (style.alias) {
    // The second container reuses the first one's securityContext through an alias.
    const spec = findSpec(document);
    const containers = spec?.get('containers', true);
    if (isSeq(containers) && containers.items.length > 1) {
      const first = containers.items[0];
      const second = containers.items[1];
      if (isMap(first) && isMap(second)) {
        const sc = first.get('securityContext', true);
        if (isMap(sc)) second.set('securityContext', document.createAlias(sc, 'sc'));
      }
    }
  }
  const text = document.toString({ indent: style.indent, indentSeq: style.indentSeq, lineWidth: 0 });
  return (style.leading ? '# generated\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\ndata: {a: "1"}\n---\n' : '') + text;
}

function findSpec(document: Document): YAMLMap | undefined {
  for (const path of [['spec'], ['spec', 'template', 'spec'], ['spec', 'headGroupSpec', 'template', 'spec']]) {
    const node = document.getIn(path, true);
    if (isMap(node) && node.has('containers')) return node;
  }
  return undefined;
}
