import { Option, type Command } from 'commander';
import { PalisadeError } from '../core/errors.js';
import type { CatalogueEntry, InputErrorEntry } from '../audit/ruleset.js';
import { describe } from './commands.js';

const FRAMEWORK_NAMES: Record<string, string> = { pss: 'Pod Security Standards', 'nist-800-53': 'NIST SP 800-53', 'mitre-atlas': 'MITRE ATLAS', cis: 'CIS Kubernetes Benchmark', 'mitre-attack': 'MITRE ATT&CK for Containers', kubescape: 'Kubescape controls' };

export function register(program: Command): void {
  const checks = program.command('checks').description(describe('checks'));
  checks
    .command('list')
    .description('list every check with its severity and frameworks')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json', 'markdown']).default('text'))
    .option('--framework <id>', 'only checks mapped to this framework (pss, nist-800-53, mitre-atlas, cis, mitre-attack, kubescape)')
    .action(async (flags: { format: string; framework?: string }) => {
      const { catalogue, inputErrors } = await import('../audit/ruleset.js');
      let entries = catalogue();
      if (flags.framework) {
        if (!(flags.framework in FRAMEWORK_NAMES)) throw new PalisadeError('USAGE', `--framework must be one of ${Object.keys(FRAMEWORK_NAMES).join(', ')}`, { errorClass: 'fatal' });
        entries = entries.filter((e) => (e.frameworks[flags.framework as keyof CatalogueEntry['frameworks']] ?? []).length > 0);
      }
      process.stdout.write(flags.format === 'json' ? JSON.stringify(entries, null, 2) + '\n' : flags.format === 'markdown' ? markdown(entries, flags.framework ? [] : inputErrors()) : text(entries));
    });
  checks
    .command('errors')
    .description('list every input-error code a report can carry (input errors are reported like findings)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (flags: { format: string }) => {
      const { inputErrors } = await import('../audit/ruleset.js');
      const entries = inputErrors();
      process.stdout.write(flags.format === 'json' ? JSON.stringify(entries, null, 2) + '\n' : errorsText(entries));
    });
  checks
    .command('explain')
    .description('print one check: what it looks for, why, and how to fix it')
    .argument('<id>', 'check id, e.g. PSS_RESTRICTED_RUN_AS_NON_ROOT')
    .action(async (id: string) => {
      const { catalogue, inputErrors } = await import('../audit/ruleset.js');
      const entry = catalogue().find((e) => e.id.toLowerCase() === id.toLowerCase());
      const error = entry ? undefined : inputErrors().find((e) => e.code.toLowerCase() === id.toLowerCase());
      if (error) return void process.stdout.write(explainError(error));
      if (!entry) throw new PalisadeError('USAGE', `unknown check "${id}"; run palisade checks list`, { errorClass: 'fatal' });
      process.stdout.write(explain(entry));
    });
}

function frameworks(entry: CatalogueEntry): string {
  return Object.entries(entry.frameworks)
    .filter(([, ids]) => ids && ids.length > 0)
    .map(([key, ids]) => `${key} ${ids!.join(', ')}`)
    .join('; ');
}

function text(entries: CatalogueEntry[]): string {
  const width = Math.max(...entries.map((e) => e.id.length));
  return entries.map((e) => `${e.id.padEnd(width)}  ${e.severity.padEnd(8)}  ${e.title}`).join('\n') + `\n\n${entries.length} checks. palisade checks explain <id> for details.\n`;
}

/** The commands that report a family's rules; a few rules come from one command only. */
const REPORTED_BY: Partial<Record<CatalogueEntry['module'], string>> = {
  pss: 'palisade pss, palisade audit',
  audit: 'palisade audit',
  dockerfile: 'palisade scan dockerfile',
  image: 'palisade scan image',
  netpol: 'palisade netpol lint, palisade audit',
  model: 'palisade scan model',
  harden: 'palisade harden',
  auditlog: 'palisade audit-log',
  rbac: 'palisade audit, palisade rbac',
  verify: 'palisade verify',
};
const REPORTED_BY_RULE: Record<string, string> = {
  NETPOL_INTENT_BROKEN: 'palisade netpol verify',
  NETPOL_DIFF_OPENS_MODEL_SERVER: 'palisade netpol diff',
  REPORT_VULNERABILITY: 'palisade scan report',
};
const reportedBy = (e: CatalogueEntry): string => REPORTED_BY_RULE[e.id] ?? REPORTED_BY[e.module] ?? `palisade ${e.module}`;

function explain(e: CatalogueEntry): string {
  return [`${e.id} (${e.severity})`, e.title, '', e.description, '', `Fix: ${e.remediation}`, `Frameworks: ${frameworks(e) || 'none'}`, `Reported by: ${reportedBy(e)}`, ''].join('\n');
}

function errorsText(entries: InputErrorEntry[]): string {
  const width = Math.max(...entries.map((e) => e.code.length));
  return entries.map((e) => `${e.code.padEnd(width)}  ${e.module.padEnd(8)}  ${e.title}`).join('\n') + `\n\n${entries.length} input-error codes. palisade checks explain <code> for details.\n`;
}

function explainError(e: InputErrorEntry): string {
  return [`${e.code} (input error, ${e.module})`, e.title, '', e.description, '', `Fix: ${e.remediation}`, ''].join('\n');
}

/**
 * docs/checks.md is this output; a test fails when the file is stale (npm run docs rewrites it).
 * Input errors follow the rules under their own headings, so a report's link to any code it
 * carries lands on a heading.
 */
export function markdown(entries: CatalogueEntry[], errors: readonly InputErrorEntry[] = []): string {
  const lines = ['# palisade checks', '', '<!-- Generated by `npm run docs` from the checks\' metadata. Do not edit by hand. -->', '', '| id | severity | title |', '|---|---|---|'];
  for (const e of entries) lines.push(`| [${e.id}](#${e.id.toLowerCase()}) | ${e.severity} | ${e.title} |`);
  for (const e of entries) {
    lines.push('', `## ${e.id}`, '', `**Severity:** ${e.severity}. **Frameworks:** ${frameworks(e) || 'none'}. **Reported by:** \`${reportedBy(e)}\`.`, '', e.description, '', `**Fix:** ${e.remediation}`);
  }
  if (errors.length > 0) {
    lines.push('', '# Input errors', '', 'Problems with the input itself. They are reported like findings (high for errors, info for warnings) with these codes; `palisade checks errors` lists them.', '', '| code | from | title |', '|---|---|---|');
    for (const e of errors) lines.push(`| [${e.code}](#${e.code.toLowerCase()}) | ${e.module} | ${e.title} |`);
    for (const e of errors) lines.push('', `## ${e.code}`, '', `**Input error** from ${e.module}.`, '', e.description, '', `**Fix:** ${e.remediation}`);
  }
  return lines.join('\n') + '\n';
}
