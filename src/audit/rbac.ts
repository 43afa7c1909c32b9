import type { Resource } from '../core/load.js';
import type { Finding, Location } from '../core/types.js';
import { addObject, attackPaths, buildAnalysis, DEFAULT_NAMESPACE, emptyInput, isRbacKind, RbacContext, type AttackPaths, type RbacInput, type RbacModel } from '../rbac/index.js';
import type { PodSpecRef } from '../workloads/index.js';

/**
 * The RBAC part of an audit: roles, bindings, service accounts and the account of every pod spec,
 * kept as plain data as files go by; at the end, the RBAC rules over all of it. RBAC objects are
 * located as they are read (they are few); pods too when that costs no parse (block YAML), else at
 * the end, and only those a finding names, so a large JSON input never has its YAML trees built
 * for RBAC's sake.
 */
export class RbacCollector {
  private readonly input: RbacInput = emptyInput();
  /** Where each object's first pod spec is: its location when that cost no parse, else where to find it again. */
  private readonly podSources = new Map<string, Location | { file: string; indexInFile: number; pointer: string }>();
  private hasRbac = false;
  private model: RbacModel | undefined;

  add(resources: readonly Resource[], podSpecsOf: (resource: Resource) => readonly PodSpecRef[]): void {
    for (const resource of resources) {
      const { apiVersion, kind } = resource.ref;
      const rbacKind = isRbacKind(apiVersion, kind) || kind.endsWith('WebhookConfiguration');
      if (rbacKind) this.hasRbac = true;
      const eager = rbacKind || kind === 'ServiceAccount' || kind === 'Secret';
      const pods = podSpecsOf(resource);
      addObject(this.input, { object: resource.object, ref: resource.ref, ...(eager ? { locate: (p: string) => resource.locate(p) } : {}) }, pods);
      const first = pods[0];
      // Located now when the file's positions are at hand (most pods of an insecure input get an RBAC finding: finding each again at the end read its document twice).
      if (first) this.podSources.set(refKey(resource.ref), resource.locateIfCheap(first.podSpecPath) ?? { file: resource.file, indexInFile: resource.indexInFile, pointer: first.podSpecPath });
    }
  }

  /**
   * After `finish`: the attack paths from the service account each pod spec runs as (what an
   * attacker who takes over that pod holds), those that lead anywhere; none without RBAC objects.
   */
  attackPaths(): AttackPaths[] {
    if (!this.model) return [];
    const context = new RbacContext(this.model);
    const seen = new Set<string>();
    const out: AttackPaths[] = [];
    for (const pod of this.input.pods) {
      const key = `${pod.namespace}/${pod.serviceAccount}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const paths = attackPaths(context, { kind: 'ServiceAccount', namespace: pod.namespace, name: pod.serviceAccount });
      if (paths.reached.length > 0 || paths.admin.length > 0) out.push(paths);
    }
    return out;
  }

  /**
   * What the input says of one service account: the `automountServiceAccountToken` its object
   * writes, and the first binding that names it (the bootstrap bindings aside). `namespace`
   * undefined is the default namespace, as for the objects themselves.
   */
  serviceAccount(namespace: string | undefined, name: string): { automount?: boolean; binding?: { binding: string; role: string } } {
    if (!this.accounts) {
      this.accounts = new Map();
      for (const sa of this.input.serviceAccounts) if (sa.automount !== undefined) this.accounts.set(`${sa.namespace}/${sa.name}`, { automount: sa.automount });
      for (const binding of this.input.bindings) {
        if (binding.labels['kubernetes.io/bootstrapping'] === 'rbac-defaults') continue;
        for (const { subject, inert } of binding.subjects) {
          if (inert || subject.kind !== 'ServiceAccount') continue;
          const key = `${subject.namespace ?? ''}/${subject.name}`;
          const entry = this.accounts.get(key) ?? {};
          entry.binding ??= { binding: `${binding.kind} ${binding.namespace ? `${binding.namespace}/` : ''}${binding.name}`, role: `${binding.roleRef.kind} ${binding.roleRef.name}` };
          this.accounts.set(key, entry);
        }
      }
    }
    return this.accounts.get(`${namespace || DEFAULT_NAMESPACE}/${name}`) ?? {};
  }

  private accounts: Map<string, { automount?: boolean; binding?: { binding: string; role: string } }> | undefined;

  /** The RBAC findings, or none when the input has no RBAC object to judge. */
  finish(enabled: ReadonlySet<string>, locate: (file: string, indexInFile: number, pointer: string) => Location | undefined): Finding[] {
    if (!this.hasRbac) return [];
    const { findings, model } = buildAnalysis(this.input, { enabled });
    this.model = model;
    for (const finding of findings) {
      if (finding.location || !finding.resource) continue;
      const source = this.podSources.get(refKey(finding.resource));
      const location = source && ('pointer' in source ? locate(source.file, source.indexInFile, source.pointer) : source);
      if (location) finding.location = location;
    }
    return findings;
  }
}

export interface RbacCollectorPaths {
  /** From the service account of every pod spec in the input: what a compromised pod can become. */
  attackPaths: AttackPaths[];
}

const refKey = (ref: { apiVersion: string; kind: string; namespace?: string; name: string }): string => `${ref.apiVersion}|${ref.kind}|${ref.namespace ?? ''}|${ref.name}`;
