import { Option, type Command } from 'commander';
import { PalisadeError } from '../core/errors.js';
import type { LoadResult } from '../core/load.js';
import { addClusterOptions, loadFilesOrCluster, type ClusterFlags } from './cluster.js';
import type { Finding, Location } from '../core/types.js';
import type { AttackPaths, Decision, PathStep, Permission, RbacModel, Request, Subject, WhoCanSubject } from '../rbac/index.js';
import { addOutputOptions, emit, errorFindings, makeReport, nothingRead, sourceLines, type OutputOptions } from './common.js';

interface ScopeOptions extends OutputOptions, ClusterFlags {
  namespace?: string;
}

const namespaceOption = (): Option => new Option('-n, --namespace <ns>', 'the namespace of the request (default: every namespace, each answer says where)');

export function register(program: Command, setExit: (code: number) => void): void {
  const rbac = program.command('rbac').description('RBAC exactly as the API server authorizes it: who-can, can, explain, attack paths, least privilege');

  addOutputOptions(
    addClusterOptions(rbac
      .command('who-can')
      .description('every subject allowed VERB on RESOURCE[.GROUP][/SUBRESOURCE][/NAME] (or a /url), with the binding and rule that grant it')
      .argument('<verb>', 'get, list, create, update, delete, bind, impersonate…')
      .argument('<resource>', 'pods, pods/exec, deployments.apps, secrets/NAME, /healthz')
      .argument('[paths...]', 'manifest files or directories', ['.'])
      .addOption(namespaceOption()), { namespace: false }),
    ['text', 'json'],
  ).action(async (verb: string, target: string, paths: string[], options: ScopeOptions) => {
    const { loaded, model, findings } = await analyse(paths, options);
    const { parseRequest, whoCan } = await import('../rbac/index.js');
    const request = parseRequest(verb, target, model, options.namespace);
    const subjects = whoCan(model, { request, ...(options.namespace ? { namespace: options.namespace } : {}) });
    const report = makeReport(paths, findings, { query: queryJson(request, options.namespace), subjects: subjects.map(subjectJson) });
    setExit(await emit(report, { ...options, failOn: 'none' }, { loadErrors: loaded.errors, nothingRead: nothingRead(loaded), sourceLine: sourceLines(loaded), extraFormats: { text: () => formatWhoCan(request, options.namespace, subjects) } }));
  });

  addOutputOptions(
    addClusterOptions(rbac
      .command('can')
      .description('may SUBJECT (user:NAME, group:NAME, sa:NS/NAME) do VERB on RESOURCE? exit 0 yes, 1 no')
      .argument('<subject>', 'user:NAME, group:NAME, sa:NAMESPACE/NAME or system:serviceaccount:NS:NAME')
      .argument('<verb>')
      .argument('<resource>', 'pods, pods/exec, deployments.apps, secrets/NAME, /healthz')
      .argument('[paths...]', 'manifest files or directories', ['.'])
      .addOption(namespaceOption()), { namespace: false }),
    ['text', 'json'],
  ).action(async (subjectText: string, verb: string, target: string, paths: string[], options: ScopeOptions) => {
    const { loaded, model, findings } = await analyse(paths, options);
    const { parseRequest, parseSubject, identityOf, authorize, requestScope, isNonResource } = await import('../rbac/index.js');
    const subject = parseSubject(subjectText);
    const request = parseRequest(verb, target, model, options.namespace);
    const identity = identityOf(subject);
    // Without -n a namespaced request is asked in every namespace a binding names (and cluster-wide).
    const namespaces = isNonResource(request) || requestScope(request.verb, request.apiGroup, request.resource) === 'cluster' ? [''] : options.namespace ? [options.namespace] : ['', ...new Set(model.grants.flatMap((g) => (g.scope ? [g.scope] : [])))];
    const answers = namespaces.map((ns) => ({ namespace: ns, decision: authorize(model, identity, isNonResource(request) ? request : { ...request, namespace: ns }) }));
    const allowedIn = answers.filter((a) => a.decision.allowed);
    const report = makeReport(paths, findings, {
      subject,
      query: queryJson(request, options.namespace),
      allowed: allowedIn.length > 0,
      answers: allowedIn.map((a) => ({ namespace: a.namespace === '' ? '*' : a.namespace, ...(a.decision.implicit ? { implicit: a.decision.implicit } : {}), grants: a.decision.reasons.map((r) => grantJson(r.grant, r.rule)) })),
    });
    const code = await emit(report, { ...options, failOn: 'none' }, { loadErrors: loaded.errors, nothingRead: nothingRead(loaded), sourceLine: sourceLines(loaded), extraFormats: { text: () => formatCan(subject, request, options.namespace, allowedIn) } });
    setExit(code === 2 ? 2 : allowedIn.length > 0 ? 0 : 1);
  });

  addOutputOptions(
    addClusterOptions(rbac
      .command('explain')
      .description("the effective permissions of SUBJECT, merged and minimal, with the bindings they come from (a ServiceAccount's groups included)")
      .argument('<subject>', 'user:NAME, group:NAME, sa:NAMESPACE/NAME or system:serviceaccount:NS:NAME')
      .argument('[paths...]', 'manifest files or directories', ['.']), { namespace: false }),
    ['text', 'json'],
  ).action(async (subjectText: string, paths: string[], options: ScopeOptions) => {
    const { loaded, model, findings } = await analyse(paths, options);
    const { parseSubject, identityOf, permissions } = await import('../rbac/index.js');
    const subject = parseSubject(subjectText);
    const identity = identityOf(subject);
    const perms = permissions(model, identity);
    const report = makeReport(paths, findings, { subject, identity, permissions: perms.map(permissionJson) });
    setExit(await emit(report, { ...options, failOn: 'none' }, { loadErrors: loaded.errors, nothingRead: nothingRead(loaded), sourceLine: sourceLines(loaded), extraFormats: { text: () => formatExplain(subject, identity.groups, perms) } }));
  });

  registerMore(rbac, setExit);
}

function registerMore(rbac: Command, setExit: (code: number) => void): void {
  addOutputOptions(
    addClusterOptions(rbac
      .command('paths')
      .description('attack paths from SUBJECT: the service accounts it can become (create pods or workloads, mint tokens, impersonate, exec, read token Secrets, kubelet), to a fixpoint, each step with its grant and file:line')
      .argument('<subject>', 'user:NAME, group:NAME, sa:NAMESPACE/NAME or system:serviceaccount:NS:NAME')
      .argument('[paths...]', 'manifest files or directories', ['.']), { namespace: false }),
    ['text', 'json', 'dot'],
  ).action(async (subjectText: string, paths: string[], options: ScopeOptions) => {
    const { loaded, model, findings } = await analyse(paths, options);
    const { parseSubject, attackPaths, pathsToDot, RbacContext } = await import('../rbac/index.js');
    const from = parseSubject(subjectText);
    const result = attackPaths(new RbacContext(model), from);
    const report = makeReport(paths, findings, { paths: result });
    setExit(await emit(report, { ...options, failOn: 'none' }, { loadErrors: loaded.errors, nothingRead: nothingRead(loaded), sourceLine: sourceLines(loaded), extraFormats: { text: () => formatPaths(result), dot: () => pathsToDot(result) } }));
  });

  addOutputOptions(
    addClusterOptions(rbac
      .command('least-privilege')
      .description('the Role that grants exactly what a service account used in audit events (as audit2rbac does), and the diff against what it holds')
      .argument('<serviceaccount>', 'sa:NAMESPACE/NAME or system:serviceaccount:NS:NAME')
      .argument('[paths...]', 'manifest files or directories with its current RBAC', ['.'])
      .requiredOption('--audit-log <file>', 'audit events, one JSON object per line (audit.k8s.io/v1 Event)')
      .option('--name <role>', 'name of the generated Role/ClusterRole'), { namespace: false }),
    ['text', 'json'],
  ).action(async (who: string, paths: string[], options: ScopeOptions & { auditLog: string; name?: string }) => {
    const { readFile } = await import('node:fs/promises');
    const { stringify } = await import('yaml');
    const { loaded, model, findings } = await analyse(paths, options);
    const { parseSubject, identityOf, readAuditEvents, leastPrivilege } = await import('../rbac/index.js');
    const subject = parseSubject(who);
    if (subject.kind !== 'ServiceAccount') throw new PalisadeError('USAGE', `least-privilege takes a service account (sa:NAMESPACE/NAME), got ${who}`, { errorClass: 'fatal' });
    let text: string;
    try {
      text = await readFile(options.auditLog, 'utf8');
    } catch (error) {
      throw new PalisadeError('LOAD_NOT_FOUND', `cannot read --audit-log ${options.auditLog}: ${(error as Error).message}`, { errorClass: 'fatal' });
    }
    const identity = identityOf(subject);
    const events = readAuditEvents(text, options.auditLog, identity.user);
    const result = leastPrivilege(model, identity, events.used, options.name ?? `${subject.name}-least-privilege`);
    const report = makeReport(paths, [...findings, ...errorFindings(events.errors)], { subject, requests: events.used.length, roles: result.roles, missing: result.missing, unused: result.unused.map(permissionJson) });
    const yaml = result.roles.map((r) => stringify(r)).join('---\n');
    const textOut = (): string =>
      [
        `# ${events.used.length} distinct requests by ${subjectText(subject)} in ${options.auditLog}`,
        yaml.trimEnd(),
        ...(result.missing.length ? ['# used but not granted now (denied):', ...result.missing.map((r) => `#   ${requestText(r)}`)] : []),
        ...(result.unused.length ? ['# granted now and never used (dropped):', ...result.unused.map((p) => `#   ${p.scope ?? 'cluster-wide'}: ${p.verbs.join(',')} ${p.nonResourceURL ?? `${p.resource} (${p.apiGroup === '' ? 'core' : p.apiGroup})`}`)] : []),
      ].join('\n') + '\n';
    setExit(await emit(report, { ...options, failOn: 'none' }, { loadErrors: loaded.errors, nothingRead: nothingRead(loaded), sourceLine: sourceLines(loaded), extraFormats: { text: textOut } }));
  });
}

function formatPaths(result: AttackPaths): string {
  const lines = [`attack paths from ${subjectText(result.from)}:`];
  if (result.reached.length === 0 && result.admin.length === 0) lines.push('  none: it can become no other account');
  const chain = (steps: readonly PathStep[]): void => {
    steps.forEach((step, i) => {
      const pad = '  '.repeat(i + 1);
      lines.push(`${pad}└─ ${step.action}  [${step.via}${step.location ? `, ${where(step.location)}` : ''}]`);
      if (step.to) lines.push(`${pad}   → ${subjectText(step.to)}`);
      else lines.push(`${pad}   → ${step.admin === 'cluster' ? 'cluster-admin' : `admin of namespace ${step.admin}`}`);
    });
  };
  for (const a of result.admin) {
    lines.push(`  ${a.scope === 'cluster' ? 'CLUSTER-ADMIN' : `ADMIN OF ${a.scope}`}:`);
    chain(a.path);
  }
  for (const r of result.reached) {
    lines.push(`  ${subjectText(r.subject)}${r.powers.length ? `: can ${r.powers.join('; ')}` : ''}`);
    chain(r.path);
  }
  return lines.join('\n') + '\n';
}

async function analyse(paths: string[], flags: ClusterFlags): Promise<{ loaded: LoadResult; model: RbacModel; findings: Finding[] }> {
  // --cluster: the live RBAC objects and workloads of every namespace (-n keeps its meaning: the request's namespace).
  const { loaded } = await loadFilesOrCluster(paths, flags);
  const { buildModel } = await import('../rbac/index.js');
  const model = buildModel(loaded.resources);
  const problems: Finding[] = model.problems.map((p) => ({ checkId: p.code, severity: 'medium', title: 'RBAC object problem', message: p.message, resource: p.ref, ...(p.location ? { location: p.location } : {}) }));
  if (loaded.errors.length === 0 && loaded.resources.length === 0) throw new PalisadeError('USAGE', `no Kubernetes objects found in ${paths.join(', ')}`, { errorClass: 'fatal' });
  return { loaded, model, findings: [...errorFindings(loaded.errors), ...problems] };
}

const where = (location: Location | undefined): string => (location ? `${location.file}:${location.line}` : '');

function queryJson(request: Request, namespace: string | undefined): Record<string, unknown> {
  if ('path' in request) return { verb: request.verb, nonResourceURL: request.path };
  return { verb: request.verb, apiGroup: request.apiGroup, resource: request.resource, ...(request.subresource ? { subresource: request.subresource } : {}), ...(request.name ? { name: request.name } : {}), namespace: namespace ?? '*' };
}

function subjectJson(entry: WhoCanSubject): Record<string, unknown> {
  const { subject } = entry;
  const implicit = entry.implicit ? [{ implicit: entry.implicit, reason: 'members of system:masters bypass RBAC: every request is allowed without a binding' }] : [];
  return { kind: subject.kind, name: subject.name, ...(subject.namespace ? { namespace: subject.namespace } : {}), grants: [...implicit, ...entry.grants.map((g) => grantJson(g.grant, g.rule))] };
}

function grantJson(grant: Decision['reasons'][number]['grant'], rule: Decision['reasons'][number]['rule']): Record<string, unknown> {
  const b = grant.binding;
  const r = grant.role.id;
  const source = rule.role;
  const aggregated = source.kind !== r.kind || source.name !== r.name || source.namespace !== r.namespace;
  return {
    scope: grant.scope ?? '*',
    binding: { kind: b.kind, name: b.name, ...(b.namespace ? { namespace: b.namespace } : {}), ...(b.location ? { location: b.location } : {}) },
    role: { kind: r.kind, name: r.name, ...(r.namespace ? { namespace: r.namespace } : {}) },
    ...(aggregated ? { aggregatedFrom: { kind: source.kind, name: source.name } } : {}),
    rule: { index: rule.index, ...rule.rule, ...(rule.location ? { location: rule.location } : {}) },
  };
}

function permissionJson(p: Permission): Record<string, unknown> {
  return {
    scope: p.scope ?? '*',
    ...(p.nonResourceURL !== undefined ? { nonResourceURL: p.nonResourceURL } : { apiGroup: p.apiGroup, resource: p.resource }),
    ...(p.resourceNames.length ? { resourceNames: p.resourceNames } : {}),
    verbs: p.verbs,
    from: p.from.map((r) => grantJson(r.grant, r.rule)),
  };
}

const subjectText = (s: Subject): string => (s.kind === 'ServiceAccount' ? `ServiceAccount ${s.namespace}/${s.name}` : `${s.kind} ${s.name}`);

function requestText(request: Request, namespace?: string): string {
  if ('path' in request) return `${request.verb} ${request.path}`;
  const res = `${request.resource}${request.subresource ? `/${request.subresource}` : ''}`;
  return `${request.verb} ${res} (${request.apiGroup === '' ? 'core' : request.apiGroup})${request.name ? ` named "${request.name}"` : ''}${namespace ? ` in namespace ${namespace}` : ''}`;
}

function grantLine(grant: Decision['reasons'][number]['grant'], rule: Decision['reasons'][number]['rule']): string {
  const b = grant.binding;
  const r = grant.role.id;
  const role = `${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name}`;
  const via = rule.role.name !== r.name || rule.role.kind !== r.kind ? ` (aggregated from ClusterRole ${rule.role.name})` : '';
  const scope = grant.scope ? `in ${grant.scope}` : 'cluster-wide';
  const names = rule.rule.resourceNames.length ? ` names=${rule.rule.resourceNames.join(',')}` : '';
  return `${scope}: ${b.kind} ${b.namespace ? `${b.namespace}/` : ''}${b.name} → ${role}${via} rules[${rule.index}]${names}  ${where(rule.location) || where(b.location)}`;
}

function formatWhoCan(request: Request, namespace: string | undefined, subjects: WhoCanSubject[]): string {
  const lines = [`who can ${requestText(request, namespace)}${!namespace && !('path' in request) ? ' (any namespace)' : ''}:`];
  for (const entry of subjects) {
    lines.push(`  ${subjectText(entry.subject)}`);
    if (entry.implicit) lines.push(`      implicit: system:masters bypasses RBAC`);
    for (const g of entry.grants) lines.push(`      ${grantLine(g.grant, g.rule)}`);
  }
  return lines.join('\n') + '\n';
}

function formatCan(subject: Subject, request: Request, namespace: string | undefined, allowedIn: Array<{ namespace: string; decision: Decision }>): string {
  if (allowedIn.length === 0) return `no: ${subjectText(subject)} may not ${requestText(request, namespace)}\n`;
  const lines = [`yes: ${subjectText(subject)} may ${requestText(request)}`];
  for (const a of allowedIn) {
    if (a.decision.implicit) lines.push(`  implicit: member of system:masters`);
    for (const r of a.decision.reasons) lines.push(`  ${grantLine(r.grant, r.rule)}`);
  }
  return [...new Set(lines)].join('\n') + '\n';
}

function formatExplain(subject: Subject, groups: readonly string[], perms: Permission[]): string {
  const lines = [`${subjectText(subject)}${groups.length ? ` (groups: ${groups.join(', ')})` : ''}`];
  if (perms.length === 0) lines.push('  no permissions from the bindings in the input');
  for (const p of perms) {
    const what = p.nonResourceURL !== undefined ? p.nonResourceURL : `${p.resource} (${p.apiGroup === '' ? 'core' : p.apiGroup})`;
    const names = p.resourceNames.length ? ` names=${p.resourceNames.join(',')}` : '';
    const from = [...new Set(p.from.map((r) => `${r.grant.binding.kind} ${r.grant.binding.namespace ? `${r.grant.binding.namespace}/` : ''}${r.grant.binding.name}`))].join(', ');
    lines.push(`  ${(p.scope ?? 'cluster-wide').padEnd(14)} ${p.verbs.join(',').padEnd(28)} ${what}${names}   via ${from}`);
  }
  return lines.join('\n') + '\n';
}
