/**
 * palisade audit-log: Kubernetes API-server audit events in, Falco's k8s audit rules and
 * palisade's ML-serving rules evaluated on them, Falco-shaped alerts and palisade findings out.
 * Pure: texts and events come in as arguments; nothing is read, printed or fetched here.
 */
import { PalisadeError } from '../core/errors.js';
import type { Finding } from '../core/types.js';
import { bundledRuleFiles, ENGINE_VERSION, PLUGINS } from './bundled/index.js';
import { checkIdFor, registrationFor, severityOf } from './detections/index.js';
import { AuditLogEngine, type Alert, type EngineOptions } from './engine.js';
import { K8S_AUDIT_CATALOG, type AuditEvent } from './fields/index.js';
import { loadRules, type LoadedRules, type RuleFile } from './rules/loader.js';
import { SYSCALL_CATALOG, type SyscallEvent } from './fields/syscall.js';

export { AuditLogEngine, isoTime, type Alert, type EngineOptions } from './engine.js';
export { EventReader, eventsOf, readEvents, type LocatedEvent } from './events.js';
export { K8S_AUDIT_CATALOG, JSON_FIELDS, K8SAUDIT_FIELDS, PALISADE_FIELDS, fieldCatalog, type AuditEvent, type FieldCatalog, type FieldInfo } from './fields/index.js';
export { loadRules, parsePriority, PRIORITIES, type CompiledRule, type LoadedRules, type Priority, type RuleFile } from './rules/loader.js';
export { bundledRuleFiles, ENGINE_VERSION, mlRulesText, PALISADE_OVERRIDES, PLUGINS } from './bundled/index.js';
export { AUDITLOG_RULES, ML_DETECTIONS, UPSTREAM_RULES, checkIdFor, registrationFor } from './detections/index.js';

/** Loads the default files (unless left out) and then the user's, in order. */
export function loadRuleSet(userFiles: readonly RuleFile[], options: { defaults?: boolean } = {}): LoadedRules<AuditEvent> {
  const files = [...(options.defaults === false ? [] : bundledRuleFiles()), ...userFiles];
  return loadRules(files, { catalog: K8S_AUDIT_CATALOG, engineVersion: ENGINE_VERSION, plugins: PLUGINS });
}

export interface AuditLogFinding extends Finding {
  /** The Falco rule name. */
  rule: string;
  priority: string;
  output: string;
  auditID?: string;
  time: string;
  tags: string[];
}

/** An alert as a palisade Finding: the registration's id and frameworks, the severity of the priority. */
export function alertToFinding(alert: Alert): AuditLogFinding {
  const meta = registrationFor(alert.rule);
  return {
    checkId: checkIdFor(alert.rule),
    severity: severityOf(alert.priority),
    title: alert.rule,
    message: alert.output,
    location: alert.location,
    ...(meta ? { remediation: meta.remediation, frameworks: meta.frameworks } : {}),
    rule: alert.rule,
    priority: alert.priority,
    output: alert.output,
    ...(alert.auditID !== undefined ? { auditID: alert.auditID } : {}),
    time: alert.time,
    tags: alert.tags,
  };
}

/** Falco's JSON alert (falco_formats::format_event): output is "<time>: <Priority> <message>". */
export function falcoAlertJson(alert: Alert, hostname?: string): Record<string, unknown> {
  const clock = alert.time.slice(11, 29);
  return {
    hostname: hostname ?? '',
    output: `${clock}: ${alert.priority} ${alert.output}`,
    output_fields: alert.outputFields,
    priority: alert.priority,
    rule: alert.rule,
    source: alert.source,
    tags: alert.tags,
    time: alert.time,
  };
}

/** Errors and warnings of rule loading are reported like input errors. */
export function ruleErrors(loaded: LoadedRules<AuditEvent>): PalisadeError[] {
  return [...loaded.errors, ...loaded.warnings];
}

export function newEngine(loaded: LoadedRules<AuditEvent>, options?: EngineOptions): AuditLogEngine {
  return new AuditLogEngine(loaded, options);
}

export { SYSCALL_CATALOG, SYSCALL_FIELDS, type SyscallEvent } from './fields/syscall.js';

/** Loads Falco rule files of the `syscall` source (what `palisade export falco` writes), against Falco's documented syscall fields. */
export function loadSyscallRules(files: readonly RuleFile[]): LoadedRules<SyscallEvent> {
  return loadRules(files, { catalog: SYSCALL_CATALOG, engineVersion: ENGINE_VERSION, plugins: [] });
}
