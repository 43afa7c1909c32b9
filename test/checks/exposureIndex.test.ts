import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backendService, selects, workloadsSelectedBy } from '../../src/checks/exposure.js';
import type { Inventory, InventoryObject, WorkloadSummary } from '../../src/checks/types.js';

// The exposure checks look Services' selectors up in a label index; the oracle is the linear scan
// they replaced: every workload of the Service's namespace whose labels the selector matches.
const labelKey = fc.constantFrom('app', 'tier', 'component', 'version');
const labelValue = fc.constantFrom('a', 'b', '1');
const labels = fc.dictionary(labelKey, labelValue, { maxKeys: 3 });
const namespace = fc.constantFrom('', 'ml', 'infra');

const workload = (ns: string, l: Record<string, string>, i: number, controlled: boolean): WorkloadSummary =>
  ({ ref: { apiVersion: 'apps/v1', kind: 'Deployment', name: `w${i}`, ...(ns ? { namespace: ns } : {}) }, file: 'f.yaml', indexInFile: i, namespace: ns, podSpecPath: '/spec/template/spec', labels: l, containers: [], requestsGpu: false, ...(controlled ? { controlled: true as const } : {}) }) as unknown as WorkloadSummary;
const service = (ns: string, name: string, selector: unknown, i: number): InventoryObject =>
  ({ ref: { apiVersion: 'v1', kind: 'Service', name, ...(ns ? { namespace: ns } : {}) }, file: 's.yaml', indexInFile: i, object: { spec: { selector } } }) as unknown as InventoryObject;

const inventoryOf = (workloads: WorkloadSummary[], services: InventoryObject[]): Inventory => ({ services, ingresses: [], networkPolicies: [], namespaces: [], quotas: [], workloads });

describe('exposure index', () => {
  it('selects the same workloads as a linear scan, in the same order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(namespace, labels, fc.boolean()), { maxLength: 12 }),
        fc.array(fc.tuple(namespace, fc.oneof(labels, fc.constant(null), fc.constant({ app: 1 }))), { minLength: 1, maxLength: 4 }),
        (ws, ss) => {
          const workloads = ws.map(([ns, l, c], i) => workload(ns, l, i, c));
          const services = ss.map(([ns, sel], i) => service(ns, `s${i}`, sel, i));
          const inventory = inventoryOf(workloads, services);
          for (const s of services) {
            const selected = workloads.filter((w) => w.namespace === (s.ref.namespace ?? '') && selects((s.object.spec as { selector: unknown }).selector, w.labels));
            const owners = selected.filter((w) => !w.controlled);
            expect(workloadsSelectedBy(s, inventory)).toEqual(owners.length > 0 ? owners : selected);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('finds an Ingress backend by namespace and name, the first of a name, and sees services added later', () => {
    const services = [service('ml', 'api', {}, 0), service('ml', 'api', {}, 1), service('infra', 'api', {}, 2)];
    const inventory = inventoryOf([], services);
    const ingress = service('ml', 'ing', {}, 9);
    expect(backendService(ingress, { path: '/spec', service: 'api', port: 80 }, inventory)?.indexInFile).toBe(0);
    expect(backendService(ingress, { path: '/spec', service: 'web', port: 80 }, inventory)).toBeUndefined();
    services.push(service('ml', 'web', {}, 3));
    expect(backendService(ingress, { path: '/spec', service: 'web', port: 80 }, inventory)?.indexInFile).toBe(3);
  });
});
