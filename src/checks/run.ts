import type { Finding, Location, ResourceRef, Severity } from '../core/types.js';
import type { PodSpecRef } from '../workloads/index.js';
import { podContext } from './context.js';
import { formatMessage } from '../core/rule.js';
import type { Check, CheckMeta, CheckReport, ClusterCheck, ClusterReport, Inventory, PodCheck, PodContext, ResourceCheck, ResourceContext, ServiceAccountCondition } from './types.js';

/**
 * The small runner of style.md rule 3: checks report `{messageId, data, path}`; this file turns a
 * report into a Finding (text from the template, location from the resource, frameworks from meta).
 */

/** A check made ready to run: params validated, severity possibly overridden by config. */
export interface ActiveCheck<C extends Check = Check> {
  check: C;
  severity: Severity;
  run: ReturnType<C['create']>;
}

export function activate<C extends Check>(check: C, params: unknown, severity: Severity = check.meta.severity): ActiveCheck<C> {
  return { check, severity, run: check.create(params as never) as ReturnType<C['create']> };
}


export interface Locatable {
  ref: ResourceRef;
  object: Readonly<Record<string, unknown>>;
  locate(pointer: string): Location;
}

export function toFinding(meta: CheckMeta<unknown>, severity: Severity, report: CheckReport, resource: ResourceRef, location: Location | undefined, container?: string): Finding {
  const finding: Finding = {
    checkId: meta.id,
    // A report's own severity counts unless the config changed the check's severity.
    severity: report.severity !== undefined && severity === meta.severity ? report.severity : severity,
    title: meta.title,
    message: formatMessage(meta, report.messageId, report.data),
    resource,
    path: report.path,
    ...(location ? { location } : {}),
    remediation: meta.remediation,
    frameworks: meta.frameworks,
  };
  if (container) finding.container = container;
  return finding;
}

/** Skip a report when a PSS finding of an overlapping check already names the same field (at least as severe, the caller decides). */
export type PssCovered = (pssCheckIds: readonly string[], path: string, severity: Severity) => boolean;

/** Pod contexts are built once per resource and shared by the pod checks, the resource checks and the inventory. */
export function podContexts(resource: Pick<Locatable, 'ref' | 'object'>, pods: readonly PodSpecRef[]): PodContext[] {
  return pods.map((pod) => podContext(resource.ref, resource.object, pod));
}

/** A report that waits for the ServiceAccount objects of the whole input (CheckReport.serviceAccount). */
export interface DeferredReport {
  meta: CheckMeta<unknown>;
  severity: Severity;
  report: CheckReport & { serviceAccount: ServiceAccountCondition };
  /** The finding as it stands when no ServiceAccount object or binding changes it. */
  finding: Finding;
}

/**
 * Reports that depend on the pod's ServiceAccount go to `defer` when given (an audit settles them
 * once every file is read); without it (a single pod at admission) they stand as made.
 */
export function runPodChecks(active: ReadonlyArray<ActiveCheck<PodCheck>>, resource: Locatable, contexts: readonly PodContext[], pssCovered: PssCovered = () => false, defer?: (deferred: DeferredReport) => void): Finding[] {
  const findings: Finding[] = [];
  for (const context of contexts) {
    const pod = context.pod;
    for (const { check, severity, run } of active) {
      for (const report of run(context)) {
        if (check.meta.overlapsPss && pssCovered(check.meta.overlapsPss, report.path, severity)) continue;
        const finding = toFinding(check.meta, severity, report, resource.ref, resource.locate(report.path), containerAt(pod, report.path));
        if (defer && report.serviceAccount) defer({ meta: check.meta, severity, report: { ...report, serviceAccount: report.serviceAccount }, finding });
        else findings.push(finding);
      }
    }
  }
  return findings;
}

/**
 * Settle a deferred report against the input's ServiceAccount objects and bindings: undefined when
 * the account's object turns the token off and the pod left the field unset.
 */
export function settleDeferred(deferred: DeferredReport, account: { automount?: boolean; binding?: { binding: string; role: string } }): Finding | undefined {
  const { meta, severity, report, finding } = deferred;
  if (report.serviceAccount.podAutomountUnset && account.automount === false) return undefined;
  const bound = report.serviceAccount.whenBound;
  if (!bound || !account.binding || !finding.resource) return finding;
  const rebuilt = toFinding(meta, severity, { ...report, messageId: bound.messageId, data: { ...report.data, ...account.binding }, severity: bound.severity }, finding.resource, finding.location, finding.container);
  return finding.suppressed ? { ...rebuilt, suppressed: finding.suppressed } : rebuilt;
}

/** What resource checks see; a caller that runs them one at a time builds it once so they share what it memoizes (modelUriFields). */
export function resourceContext(resource: Pick<Locatable, 'ref' | 'object'>, contexts: readonly PodContext[], today: string): ResourceContext {
  return { ref: resource.ref, object: resource.object, today, pods: contexts };
}

export function runResourceChecks(active: ReadonlyArray<ActiveCheck<ResourceCheck>>, resource: Locatable, contexts: readonly PodContext[], today: string, context: ResourceContext = resourceContext(resource, contexts, today)): Finding[] {
  const findings: Finding[] = [];
  for (const { check, severity, run } of active) {
    for (const report of run(context)) findings.push(toFinding(check.meta, severity, report, resource.ref, resource.locate(report.path)));
  }
  return findings;
}

/** Cluster reports, not yet located: the session resolves their positions from the files concerned. */
export function runClusterChecks(active: ReadonlyArray<ActiveCheck<ClusterCheck>>, inventory: Inventory): Array<{ report: ClusterReport; active: ActiveCheck<ClusterCheck> }> {
  const out: Array<{ report: ClusterReport; active: ActiveCheck<ClusterCheck> }> = [];
  for (const entry of active) for (const report of entry.run(inventory)) out.push({ report, active: entry });
  return out;
}

function containerAt(pod: PodSpecRef, path: string): string | undefined {
  return pod.containers.find((c) => path === c.path || path.startsWith(c.path + '/'))?.name;
}
