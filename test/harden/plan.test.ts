import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { imageUsersFromDockerfiles, planResource, type HardenOptions, type ImageUserLookup } from '../../src/harden/index.js';
import { DEFAULT_HARDEN_OPTIONS } from '../../src/harden/types.js';

/** The plan as data: exact changes (pointer → value) and blockers (check @ pointer) per case. */
interface Case {
  name: string;
  yaml: string;
  options?: Partial<HardenOptions>;
  imageUsers?: ImageUserLookup;
  changes: Record<string, unknown>;
  blockers?: string[];
  skipped?: string[];
}

const plan = (c: Case) => planResource(parse(c.yaml) as Record<string, unknown>, { ...DEFAULT_HARDEN_OPTIONS, ...c.options }, c.imageUsers);

const CASES: Case[] = [
  {
    name: 'a bare pod of an unknown image gets the restricted minimum and a numeric UID',
    yaml: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - {name: app, image: busybox}\n',
    changes: {
      '/spec/containers/0/securityContext/capabilities/drop': ['ALL'],
      '/spec/containers/0/securityContext/allowPrivilegeEscalation': false,
      '/spec/securityContext/runAsNonRoot': true,
      '/spec/securityContext/runAsUser': 65532,
      '/spec/securityContext/runAsGroup': 65532,
      '/spec/securityContext/fsGroup': 65532,
      '/spec/securityContext/seccompProfile/type': 'RuntimeDefault',
    },
    skipped: ['/spec/containers/0/securityContext/readOnlyRootFilesystem'],
  },
  {
    name: 'a port below 1024 keeps NET_BIND_SERVICE; a drop list gets ALL appended; --uid is used',
    yaml: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  securityContext: {runAsNonRoot: true, runAsGroup: 5, seccompProfile: {type: Localhost}}\n  containers:\n  - name: web\n    image: busybox\n    ports: [{containerPort: 80}]\n    securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [NET_RAW]}}\n',
    options: { uid: 1234 },
    changes: {
      '/spec/containers/0/securityContext/capabilities/add': ['NET_BIND_SERVICE'],
      '/spec/containers/0/securityContext/capabilities/drop/1': 'ALL',
      '/spec/securityContext/runAsUser': 1234,
      '/spec/securityContext/fsGroup': 1234,
    },
    skipped: ['/spec/containers/0/securityContext/readOnlyRootFilesystem'],
  },
  {
    name: 'runAsUser: 0 on purpose is a blocker and the identity is left alone',
    yaml: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  securityContext: {seccompProfile: {type: RuntimeDefault}}\n  containers:\n  - {name: app, image: busybox, securityContext: {runAsUser: 0, allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}}\n',
    changes: {},
    blockers: ['runAsUser@/spec/containers/0/securityContext/runAsUser', 'runAsNonRoot@/spec/containers/0/securityContext/runAsUser'],
    skipped: ['/spec/containers/0/securityContext/readOnlyRootFilesystem'],
  },
  {
    name: 'root on purpose in a pod with its own user namespace (hostUsers: false) passes restricted from v1.35: nothing to ask (was: a blocker)',
    yaml: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  hostUsers: false\n  securityContext: {seccompProfile: {type: RuntimeDefault}}\n  containers:\n  - {name: app, image: busybox, securityContext: {runAsNonRoot: false, runAsUser: 0, allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}}\n',
    options: { version: 'v1.35' },
    changes: {},
    skipped: ['/spec/containers/0/securityContext/readOnlyRootFilesystem'],
  },
  {
    name: 'the same pod before v1.35, where restricted rejects it: both fields are blockers',
    yaml: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  hostUsers: false\n  securityContext: {seccompProfile: {type: RuntimeDefault}}\n  containers:\n  - {name: app, image: busybox, securityContext: {runAsNonRoot: false, runAsUser: 0, allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}}\n',
    options: { version: 'v1.34' },
    changes: {},
    blockers: ['runAsUser@/spec/containers/0/securityContext/runAsUser', 'runAsNonRoot@/spec/containers/0/securityContext/runAsUser', 'runAsNonRoot@/spec/containers/0/securityContext/runAsNonRoot'],
    skipped: ['/spec/containers/0/securityContext/readOnlyRootFilesystem'],
  },
  {
    name: 'runAsUser: 0 under runAsNonRoot: true never starts (the kubelet refuses it), even where the level allows it',
    yaml: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  hostUsers: false\n  securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}\n  containers:\n  - {name: app, image: busybox, securityContext: {runAsUser: 0, allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}}\n',
    options: { version: 'v1.35' },
    changes: {},
    blockers: ['runAsUser@/spec/containers/0/securityContext/runAsUser'],
    skipped: ['/spec/containers/0/securityContext/readOnlyRootFilesystem'],
  },
  {
    name: 'privileged goes when nothing uses devices, and a forbidden capability is removed',
    yaml: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - {name: app, image: busybox, securityContext: {privileged: true, capabilities: {add: [SYS_ADMIN, CHOWN]}}}\n',
    options: { level: 'baseline' },
    changes: {
      '/spec/containers/0/securityContext/privileged': false,
      '/spec/containers/0/securityContext/capabilities/add': ['CHOWN'],
    },
  },
  {
    name: 'a privileged GPU container is a blocker, and so is its privilege escalation',
    yaml: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  securityContext: {runAsNonRoot: true, runAsUser: 1000, seccompProfile: {type: RuntimeDefault}}\n  containers:\n  - {name: cuda, image: busybox, resources: {limits: {nvidia.com/gpu: 1}}, securityContext: {privileged: true, capabilities: {drop: [ALL]}}}\n',
    changes: {},
    blockers: ['privileged@/spec/containers/0/securityContext/privileged', 'allowPrivilegeEscalation@/spec/containers/0/securityContext/allowPrivilegeEscalation'],
    skipped: ['/spec/containers/0/securityContext/readOnlyRootFilesystem'],
  },
  {
    name: 'an explicit Unconfined seccomp profile, host namespaces and hostPath are blockers',
    yaml: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  hostNetwork: true\n  securityContext: {runAsNonRoot: true, runAsUser: 1000, seccompProfile: {type: Unconfined}}\n  volumes: [{name: h, hostPath: {path: /var/lib/x}}]\n  containers:\n  - {name: app, image: busybox, securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}}\n',
    changes: {},
    blockers: ['seccompProfile_restricted@/spec/securityContext/seccompProfile/type', 'hostNamespaces@/spec/hostNetwork', 'restrictedVolumes@/spec/volumes/0/hostPath'],
    skipped: ['/spec/containers/0/securityContext/readOnlyRootFilesystem'],
  },
  {
    name: 'Ray gets a read-only root with /tmp/ray and a sized memory /dev/shm; a PVC named like the volume is not reused',
    yaml: 'apiVersion: ray.io/v1\nkind: RayCluster\nmetadata: {name: r}\nspec:\n  headGroupSpec:\n    template:\n      spec:\n        securityContext: {runAsNonRoot: true, runAsUser: 1000, seccompProfile: {type: RuntimeDefault}}\n        volumes: [{name: tmp-ray, persistentVolumeClaim: {claimName: c}}]\n        containers:\n        - {name: head, image: rayproject/ray:2.9.0, resources: {limits: {memory: 8Gi}}, securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}}\n',
    changes: {
      '/spec/headGroupSpec/template/spec/volumes/1': { name: 'tmp-ray-2', emptyDir: {} },
      '/spec/headGroupSpec/template/spec/containers/0/volumeMounts': [{ name: 'tmp-ray-2', mountPath: '/tmp/ray' }],
      '/spec/headGroupSpec/template/spec/volumes/2': { name: 'dshm', emptyDir: { medium: 'Memory', sizeLimit: '2Gi' } },
      '/spec/headGroupSpec/template/spec/containers/0/volumeMounts/1': { name: 'dshm', mountPath: '/dev/shm' },
      '/spec/headGroupSpec/template/spec/containers/0/securityContext/readOnlyRootFilesystem': true,
      '/spec/headGroupSpec/template/spec/automountServiceAccountToken': false,
    },
  },
  {
    name: 'the KubeRay autoscaler keeps its token; an existing /tmp mount covers the server path; HF_HOME is mounted',
    yaml: 'apiVersion: ray.io/v1\nkind: RayCluster\nmetadata: {name: r}\nspec:\n  enableInTreeAutoscaling: true\n  headGroupSpec:\n    template:\n      spec:\n        securityContext: {runAsNonRoot: true, runAsUser: 1000, seccompProfile: {type: RuntimeDefault}}\n        volumes: [{name: scratch, emptyDir: {}}, {name: dshm, emptyDir: {medium: Memory}}]\n        containers:\n        - name: head\n          image: rayproject/ray:2.9.0\n          env: [{name: HF_HOME, value: /models/hf/}]\n          volumeMounts: [{name: scratch, mountPath: /tmp}]\n          securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}\n',
    changes: {
      '/spec/headGroupSpec/template/spec/containers/0/volumeMounts/1': { name: 'dshm', mountPath: '/dev/shm' },
      '/spec/headGroupSpec/template/spec/volumes/2': { name: 'models-hf', emptyDir: {} },
      '/spec/headGroupSpec/template/spec/containers/0/volumeMounts/2': { name: 'models-hf', mountPath: '/models/hf' },
      '/spec/headGroupSpec/template/spec/containers/0/securityContext/readOnlyRootFilesystem': true,
    },
    skipped: ['/spec/headGroupSpec/template/spec/automountServiceAccountToken'],
  },
  {
    name: 'a KServe model-format predictor: container fields on the model object, pod fields on the component',
    yaml: 'apiVersion: serving.kserve.io/v1beta1\nkind: InferenceService\nmetadata: {name: i}\nspec:\n  predictor:\n    model:\n      modelFormat: {name: sklearn}\n      storageUri: s3://m\n',
    changes: {
      '/spec/predictor/model/securityContext/capabilities/drop': ['ALL'],
      '/spec/predictor/model/securityContext/allowPrivilegeEscalation': false,
      '/spec/predictor/securityContext/runAsNonRoot': true,
      '/spec/predictor/securityContext/runAsUser': 65532,
      '/spec/predictor/securityContext/runAsGroup': 65532,
      '/spec/predictor/securityContext/fsGroup': 65532,
      '/spec/predictor/securityContext/seccompProfile/type': 'RuntimeDefault',
    },
    skipped: ['/spec/predictor/model/securityContext/readOnlyRootFilesystem'],
  },
  {
    name: 'a Seldon explainer has no pod fields: everything goes on the container',
    yaml: 'apiVersion: machinelearning.seldon.io/v1\nkind: SeldonDeployment\nmetadata: {name: s}\nspec:\n  predictors:\n  - name: default\n    graph: {name: m, implementation: SKLEARN_SERVER}\n    explainer:\n      type: AnchorTabular\n      containerSpec: {name: explainer, image: seldonio/alibiexplainer:1.17.1}\n',
    changes: {
      '/spec/predictors/0/explainer/containerSpec/securityContext/capabilities/drop': ['ALL'],
      '/spec/predictors/0/explainer/containerSpec/securityContext/allowPrivilegeEscalation': false,
      '/spec/predictors/0/explainer/containerSpec/securityContext/runAsNonRoot': true,
      '/spec/predictors/0/explainer/containerSpec/securityContext/runAsUser': 65532,
      '/spec/predictors/0/explainer/containerSpec/securityContext/runAsGroup': 65532,
      '/spec/predictors/0/explainer/containerSpec/securityContext/seccompProfile/type': 'RuntimeDefault',
    },
    skipped: ['/spec/predictors/0/explainer/containerSpec/securityContext/readOnlyRootFilesystem'],
  },
  {
    name: 'a ServingRuntime has volumes but no pod securityContext or token field: identity goes on the container',
    yaml: 'apiVersion: serving.kserve.io/v1alpha1\nkind: ClusterServingRuntime\nmetadata: {name: triton}\nspec:\n  supportedModelFormats: [{name: onnx}]\n  containers:\n  - {name: kserve-container, image: nvcr.io/nvidia/tritonserver:24.01-py3, securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}}\n',
    changes: {
      '/spec/containers/0/securityContext/runAsNonRoot': true,
      '/spec/containers/0/securityContext/runAsUser': 65532,
      '/spec/containers/0/securityContext/runAsGroup': 65532,
      '/spec/containers/0/securityContext/seccompProfile/type': 'RuntimeDefault',
      '/spec/volumes': [{ name: 'tmp', emptyDir: {} }],
      '/spec/containers/0/volumeMounts': [{ name: 'tmp', mountPath: '/tmp' }],
      '/spec/volumes/1': { name: 'dshm', emptyDir: { medium: 'Memory', sizeLimit: '1Gi' } },
      '/spec/containers/0/volumeMounts/1': { name: 'dshm', mountPath: '/dev/shm' },
      '/spec/containers/0/securityContext/readOnlyRootFilesystem': true,
    },
  },
  {
    name: 'at v1.18 restricted has no seccomp check, so no seccomp change',
    yaml: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  securityContext: {runAsNonRoot: true, runAsUser: 7}\n  containers:\n  - {name: app, image: busybox, securityContext: {allowPrivilegeEscalation: false}}\n',
    options: { version: 'v1.18' },
    changes: {},
    skipped: ['/spec/containers/0/securityContext/readOnlyRootFilesystem'],
  },
  {
    name: 'a Windows pod gets runAsNonRoot but no numeric UID',
    yaml: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  os: {name: windows}\n  containers:\n  - {name: app, image: mcr.microsoft.com/windows/servercore}\n',
    changes: { '/spec/securityContext/runAsNonRoot': true },
    skipped: ['/spec/containers/0/securityContext/readOnlyRootFilesystem'],
  },
];

const dockerfiles = imageUsersFromDockerfiles([
  { path: 'images/fraud-api/Dockerfile', text: 'FROM python:3.12\nUSER 1001\n' },
  { path: 'images/Dockerfile.trainer', text: 'FROM python:3.12\nUSER root\n' },
  { path: 'images/Dockerfile.named', text: 'FROM python:3.12\nRUN useradd app\nUSER app\n' },
]);
const POD = (image: string) => `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  securityContext: {seccompProfile: {type: RuntimeDefault}}\n  containers:\n  - {name: app, image: ${image}, securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}}\n`;
CASES.push(
  { name: 'a Dockerfile in the input with a numeric USER decides the UID: nothing more to set', yaml: POD('ghcr.io/acme/fraud-api:1.2'), imageUsers: dockerfiles, changes: { '/spec/securityContext/runAsNonRoot': true }, skipped: ['/spec/containers/0/securityContext/readOnlyRootFilesystem'] },
  {
    name: 'a Dockerfile that runs as root gets the default UID',
    yaml: POD('registry.local/trainer:3'),
    imageUsers: dockerfiles,
    changes: { '/spec/securityContext/runAsNonRoot': true, '/spec/securityContext/runAsUser': 65532, '/spec/securityContext/runAsGroup': 65532, '/spec/securityContext/fsGroup': 65532 },
    skipped: ['/spec/containers/0/securityContext/readOnlyRootFilesystem'],
  },
);

describe('planResource', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const plans = plan(c);
      expect(Object.fromEntries(plans.flatMap((p) => p.changes.map((x) => [x.pointer, x.value])))).toEqual(c.changes);
      expect(plans.flatMap((p) => p.blockers.map((b) => `${b.check}@${b.pointer}`))).toEqual(c.blockers ?? []);
      expect(plans.flatMap((p) => p.skipped.map((s) => s.pointer))).toEqual(c.skipped ?? []);
    });
  }

  it('says why, naming the Dockerfile that runs the image as root', () => {
    const [p] = planResource(parse(POD('registry.local/trainer:3')) as Record<string, unknown>, DEFAULT_HARDEN_OPTIONS, dockerfiles);
    expect(p!.changes.find((c) => c.pointer === '/spec/securityContext/runAsUser')!.reason).toBe(
      'the kubelet starts a runAsNonRoot container only with a numeric non-zero UID; the Dockerfile at images/Dockerfile.trainer:2 runs registry.local/trainer:3 as root (USER root): check that it works as a non-root UID',
    );
  });

  it('a named Dockerfile user is not enough for the kubelet', () => {
    const [p] = planResource(parse(POD('x/named')) as Record<string, unknown>, DEFAULT_HARDEN_OPTIONS, dockerfiles);
    expect(p!.changes.map((c) => [c.pointer, c.value])).toEqual([
      ['/spec/securityContext/runAsNonRoot', true],
      ['/spec/securityContext/runAsUser', 65532],
      ['/spec/securityContext/runAsGroup', 65532],
      ['/spec/securityContext/fsGroup', 65532],
    ]);
  });

  it('plans nothing for what it already hardened', () => {
    for (const c of CASES) {
      const object = parse(c.yaml) as Record<string, unknown>;
      const first = planResource(object, { ...DEFAULT_HARDEN_OPTIONS, ...c.options }, c.imageUsers);
      for (const change of first.flatMap((p) => p.changes)) setPointer(object, change.pointer, change.value);
      expect(planResource(object, { ...DEFAULT_HARDEN_OPTIONS, ...c.options }, c.imageUsers).flatMap((p) => p.changes), c.name).toEqual([]);
    }
  });
});

function setPointer(root: Record<string, unknown>, pointer: string, value: unknown): void {
  const tokens = pointer.slice(1).split('/');
  let node: Record<string, unknown> = root;
  for (const token of tokens.slice(0, -1)) {
    if (node[token] === undefined) node[token] = {};
    node = node[token] as Record<string, unknown>;
  }
  (node as Record<string, unknown>)[tokens[tokens.length - 1]!] = value;
}
