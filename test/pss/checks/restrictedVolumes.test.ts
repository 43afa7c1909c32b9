import { restrictedVolumes } from '../../../src/pss/checks/restrictedVolumes.js';
import { checkTable } from '../harness.js';

const LEGACY_TYPES = [
  'gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'glusterfs', 'rbd', 'flexVolume', 'cinder', 'cephfs', 'flocker', 'fc',
  'azureFile', 'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk', 'portworxVolume', 'scaleIO', 'storageos', 'iscsi', 'nfs',
];

checkTable(restrictedVolumes, [
  {
    name: 'every allowed source, and a name-only volume the API server defaults to emptyDir',
    spec: {
      volumes: [
        { name: 'a', configMap: {} }, { name: 'b', csi: {} }, { name: 'c', downwardAPI: {} }, { name: 'd', emptyDir: {} }, { name: 'e', ephemeral: {} },
        { name: 'f', image: {} }, { name: 'g', persistentVolumeClaim: {} }, { name: 'h', projected: {} }, { name: 'i', secret: {} }, { name: 'j' },
      ],
    },
    expected: 'allowed',
  },
  {
    name: 'hostPath and nfs',
    spec: { volumes: [{ name: 'a', hostPath: { path: '/' } }, { name: 'b', emptyDir: {} }, { name: 'c', nfs: { server: 's', path: '/' } }, { name: 'd', configMap: { name: 'x' } }] },
    expected: {
      reason: 'restricted volume types',
      detail: 'volumes "a", "c" use restricted volume types "hostPath", "nfs"',
      fields: ['/volumes/0/hostPath', '/volumes/2/nfs'],
    },
  },
  { name: 'a source that is not an object is dropped, as Go would reject it; what remains defaults to emptyDir', spec: { volumes: [{ name: 'a', hostPath: '/etc' }] }, expected: 'allowed' },
  {
    name: 'an allowed source next to a forbidden one passes, as upstream',
    spec: { volumes: [{ name: 'a', hostPath: { path: '/' }, emptyDir: {} }] },
    expected: 'allowed',
  },
  ...LEGACY_TYPES.map((type) => ({
    name: `legacy type ${type}`,
    spec: { volumes: [{ name: 'v', [type]: {} }] },
    expected: { reason: 'restricted volume types', detail: `volume "v" uses restricted volume type "${type}"`, fields: [`/volumes/0/${type}`] },
  })),
]);
