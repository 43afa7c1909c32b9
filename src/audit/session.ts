import type { Config } from '../core/config.js';
import { copyData } from '../core/copy.js';
import { annotationExemption, applyExemptions, isoDay, type AnnotationExemption } from '../core/exemptions.js';
import type { PalisadeError } from '../core/errors.js';
import { documentSpan, loadText, spanLocator, type DocumentSpan, type LoadResult, type Resource } from '../core/load.js';
import { SEVERITY_RANK, type Finding, type Location, type ResourceRef, type Severity } from '../core/types.js';
import { podContexts, runClusterChecks, runPodChecks, runResourceChecks, settleDeferred, toFinding, type DeferredReport } from '../checks/index.js';
import { formatMessage } from '../core/rule.js';
import { workloadDiscovered } from './rules/workloadDiscovered.js';
import { evaluateResources, pssCheckId, type Level, type NamespacePolicy, type Policy, type PssResult } from '../pss/index.js';
import { scanDockerfile } from '../scan/image/dockerfile/index.js';
import { findPodSpecs, malformedPodSpecs, type PodSpecRef, type WorkloadTable } from '../workloads/index.js';
import { NETPOL_CHECKS } from '../netpol/lint/index.js';
import type { ReachabilityGraph } from '../netpol/index.js';
import { NetworkCollector } from './network.js';
import { RbacCollector } from './rbac.js';
import { annotationsOf, InventoryBuilder } from './inventory.js';
import { activeChecks, dockerfileScanOptions, type ActiveChecks } from './settings.js';
import { workloadTable } from './table.js';
import { malformedFindings, workloadNoteFindings } from './workloadNotes.js';

export interface AuditOptions {
  level?: Level;
  version?: string;
  config?: Config;
  /** The policy where no namespace label decides (config `pss:`). */
  defaults?: Partial<Policy>;
  /** Namespace policies gathered beforehand, when resources arrive file by file. */
  policies?: ReadonlyMap<string, NamespacePolicy>;
  /** "Today" for exemption expiry; tests pin it. */
  now?: Date;
  /**
   * Reads a file's text again when cluster findings must be located at the end. Without it the
   * session keeps the text of each file that holds a Service, Ingress, Namespace or workload.
   */
  readText?: (file: string) => string | undefined;
}

export interface AuditOutcome {
  results: PssResult[];
  findings: Finding[];
  errors: PalisadeError[];
}

const refKey = (ref: ResourceRef): string => `${ref.apiVersion}|${ref.kind}|${ref.namespace ?? ''}|${ref.name}`;

/**
 * One audit over inputs that arrive file by file. `addFile` runs PSS and the pod-spec and resource
 * checks on one file and returns its findings (exemptions applied), then keeps only a light
 * inventory: the few small kinds cluster checks read, a summary per pod spec, and the text of files
 * that hold them. `finish` runs the cluster checks and locates their findings by re-parsing just the
 * files concerned, so no YAML tree outlives its file.
 */
export class AuditSession {
  private readonly table: WorkloadTable;
  private readonly checks: ActiveChecks;
  private readonly today: string;
  private readonly inventory: InventoryBuilder;
  private readonly exemptions = new Map<string, AnnotationExemption>();
  private readonly network: NetworkCollector;
  private readonly rbac = new RbacCollector();
  /** Reports that wait for the ServiceAccount objects and bindings of the whole input. */
  private readonly deferred: DeferredReport[] = [];

  constructor(private readonly options: AuditOptions = {}) {
    this.table = workloadTable(options.config);
    this.checks = activeChecks(options.config);
    this.today = isoDay(options.now ?? new Date());
    this.inventory = new InventoryBuilder(options.readText === undefined);
    this.network = new NetworkCollector(this.table, (file, indexInFile, pointer) => this.locateIn(file, indexInFile, pointer));
  }

  /** Ids of the checks that run, PSS excluded. */
  get enabledChecks(): ReadonlySet<string> {
    return this.checks.enabled;
  }

  addFile(part: Pick<LoadResult, 'resources'> & Partial<Pick<LoadResult, 'dockerfiles'>>): AuditOutcome {
    const { level, version, policies } = this.options;
    const podSpecs = new Map(part.resources.map((resource) => [resource, findPodSpecs(resource.object, this.table)]));
    const podSpecsOf = (resource: Resource): readonly PodSpecRef[] => podSpecs.get(resource) ?? [];
    const pss = evaluateResources(part.resources, { ...(level ? { level } : {}), ...(version ? { version } : {}), ...(policies ? { policies } : {}), ...(this.options.defaults ? { defaults: this.options.defaults } : {}), table: this.table, podSpecsOf });
    // A posture check gives way to a PSS finding on the same field only when that finding already
    // fails the gate (enforced) and is at least as severe: a stricter level never lowers a severity,
    // and a namespace that only warns does not hide the posture check.
    const pssPaths = new Map<string, Map<string, Severity>>();
    for (const f of pss.findings) {
      if (!f.resource || !f.path || f.admission !== 'enforce') continue;
      const paths = pssPaths.get(refKey(f.resource)) ?? new Map<string, Severity>();
      const key = `${f.checkId}|${f.path}`;
      const known = paths.get(key);
      if (!known || SEVERITY_RANK[f.severity] > SEVERITY_RANK[known]) paths.set(key, f.severity);
      pssPaths.set(refKey(f.resource), paths);
    }

    const findings: Finding[] = [...pss.findings, ...discoveredFindings(pss.results)];
    const fileExemptions = new Map<string, AnnotationExemption>();
    for (const resource of part.resources) {
      findings.push(...workloadNoteFindings(resource, podSpecsOf(resource)));
      findings.push(...malformedFindings(resource, malformedPodSpecs(resource.object, this.table)));
      const contexts = podContexts(resource, [...podSpecsOf(resource)]);
      const covered = pssPaths.get(refKey(resource.ref));
      findings.push(
        ...runPodChecks(this.checks.pod, resource, contexts, (ids, path, severity) =>
          ids.some((id) => {
            const pssSeverity = covered?.get(`${pssCheckId(id)}|${path}`);
            return pssSeverity !== undefined && SEVERITY_RANK[pssSeverity] >= SEVERITY_RANK[severity];
          }),
          // Copies: nothing of the file's tree outlives it (see inventory.ts).
          (deferred) => this.deferred.push({ ...deferred, report: copyData(deferred.report), finding: copyData(deferred.finding) }),
        ),
      );
      findings.push(...runResourceChecks(this.checks.resource, resource, contexts, this.today));
      const exemption = annotationExemption(annotationsOf(resource.object));
      if (exemption) fileExemptions.set(refKey(resource.ref), exemption);
      if (this.inventory.add(resource, contexts) && exemption) this.exemptions.set(refKey(resource.ref), copyData(exemption));
      const span = documentSpan(resource);
      if (span) {
        const spans = this.spans.get(resource.file) ?? [];
        spans[resource.indexInFile] = span;
        this.spans.set(resource.file, spans);
      }
    }
    // Dockerfiles among the inputs get the Dockerfile rules: the image is part of the workload.
    const errors = [...pss.errors];
    for (const dockerfile of part.dockerfiles ?? []) {
      const scan = scanDockerfile(dockerfile.path, dockerfile.text, undefined, dockerfileScanOptions(this.options.config));
      findings.push(...scan.findings);
      errors.push(...scan.errors);
    }
    this.network.add(part.resources, podSpecsOf);
    this.rbac.add(part.resources, podSpecsOf);
    const adjusted = this.checks.adjust(withoutRepeats(findings));
    applyExemptions(adjusted, { annotations: (ref) => fileExemptions.get(refKey(ref)), config: this.options.config?.exemptions ?? [], today: this.today });
    return { results: pss.results, findings: adjusted, errors };
  }

  /** Run the cluster checks and the network lint over everything added, and locate their findings. */
  finish(): AuditOutcome {
    const reports = runClusterChecks(this.checks.cluster, this.inventory.inventory);
    const findings: Finding[] = [];
    for (const { report, active } of reports) {
      findings.push(toFinding(active.check.meta, active.severity, report, report.target.ref, this.locateIn(report.target.file, report.target.indexInFile, report.path)));
    }
    const settled: Finding[] = [];
    for (const deferred of this.deferred) {
      const finding = settleDeferred(deferred, this.rbac.serviceAccount(deferred.finding.resource?.namespace, deferred.report.serviceAccount.name));
      if (finding) settled.push(finding);
    }
    this.deferred.length = 0;
    // Repeats within one file, as addFile drops them: two files may hold objects of the same name.
    findings.push(...withoutRepeats(settled, (f) => f.location?.file ?? ''));
    const network = this.networkLint();
    findings.push(...network.findings);
    findings.push(...this.checks.adjust(this.rbac.finish(this.checks.enabled, (file, indexInFile, pointer) => this.locateIn(file, indexInFile, pointer))));
    this.clearReparsed();
    applyExemptions(findings, { annotations: (ref) => this.exemptions.get(refKey(ref)), config: this.options.config?.exemptions ?? [], today: this.today });
    return { results: [], findings, errors: network.errors };
  }

  /** RBAC attack paths from the pods' service accounts (for the HTML report), after `finish`. */
  attackPaths(): ReturnType<RbacCollector['attackPaths']> {
    return this.rbac.attackPaths();
  }

  /** Who reaches the model servers (for the HTML report), after `finish`; undefined when a policy is invalid. */
  networkGraph(): ReachabilityGraph | undefined {
    const graph = this.network.graph();
    this.clearReparsed();
    return graph;
  }

  /** Files parsed again to locate findings at the end (cluster checks and network lint), each once. */
  private readonly reparsed = new Map<string, Resource[]>();
  /** Where each YAML resource's document lies in its file, by file and index in file. */
  private readonly spans = new Map<string, DocumentSpan[]>();
  /** Documents parsed again on their own, and the file texts read back for them, during `finish`. */
  private readonly relocators = new Map<string, ((pointer: string) => Location) | undefined>();
  private readonly readBack = new Map<string, string | undefined>();

  private locateIn(file: string, indexInFile: number, pointer: string): Location | undefined {
    // Most files hold many documents and few of them get a finding at the end: parse just those.
    const span = this.reparsed.has(file) ? undefined : this.spans.get(file)?.[indexInFile];
    if (span) {
      const key = `${indexInFile}|${file}`;
      if (!this.relocators.has(key)) {
        if (!this.readBack.has(file)) this.readBack.set(file, this.textOf(file));
        const text = this.readBack.get(file);
        this.relocators.set(key, text === undefined ? undefined : spanLocator(file, text, span));
      }
      const locate = this.relocators.get(key);
      if (locate) return locate(pointer);
    }
    let resources = this.reparsed.get(file);
    if (!resources) {
      const text = this.textOf(file);
      resources = text === undefined ? [] : loadText(file, text).resources;
      this.reparsed.set(file, resources);
    }
    return resources.find((r) => r.indexInFile === indexInFile)?.locate(pointer);
  }

  private clearReparsed(): void {
    this.reparsed.clear();
    this.relocators.clear();
    this.readBack.clear();
  }

  private textOf(file: string): string | undefined {
    return this.options.readText ? this.options.readText(file) : this.inventory.texts.get(file);
  }

  /** The network lint of `palisade netpol lint`, where the input has policies to judge. */
  private networkLint(): { findings: Finding[]; errors: PalisadeError[] } {
    const outcome = this.network.lint(NETPOL_CHECKS.filter((check) => this.checks.enabled.has(check.meta.id)));
    return { findings: this.checks.adjust(outcome.findings), errors: outcome.errors };
  }
}

/**
 * The same check on the same field of the same object, said the same way, is one finding: pod specs
 * that share a field (Argo templates inherit the workflow's hostNetwork and volumes) say it once.
 */
function withoutRepeats(findings: Finding[], scope: (f: Finding) => string = () => ''): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    if (!f.resource || f.path === undefined) return true;
    const key = `${scope(f)}|${refKey(f.resource)}|${f.checkId}|${f.path}|${f.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** A pod spec found by structure only: say so once per kind, so users can add it to the table. */
function discoveredFindings(results: readonly PssResult[]): Finding[] {
  const seen = new Set<string>();
  const findings: Finding[] = [];
  for (const result of results) {
    if (!result.discovered) continue;
    const key = `${result.resource.apiVersion}|${result.resource.kind}|${result.podSpecPath.replace(/\/\d+(?=\/|$)/g, '/*')}`;
    if (seen.has(key)) continue;
    seen.add(key);
    findings.push({
      checkId: workloadDiscovered.id,
      severity: workloadDiscovered.severity,
      title: workloadDiscovered.title,
      message: formatMessage(workloadDiscovered, 'discovered', { kind: result.resource.kind, apiVersion: result.resource.apiVersion, path: result.podSpecPath }),
      resource: result.resource,
      path: result.podSpecPath,
      location: result.location,
      remediation: workloadDiscovered.remediation,
    });
  }
  return findings;
}
