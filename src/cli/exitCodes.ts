/**
 * What each command's exit code means: the README's table is rendered from this (a test keeps
 * them equal, and checks that every command the CLI registers has a row). The gate that decides 1
 * is `failsOn` in common.ts; "nothing to check" and bad usage are 2 everywhere.
 */
export interface ExitCodes {
  command: string;
  0: string;
  1: string;
  2: string;
}

const FAIL = 'a finding at or above `--fail-on` (default `high`)';
const NOTHING = 'bad usage, a missing path, nothing readable, an unwritable `-o` file; any input error with `--strict`';
/** --cluster: what makes a live read or the write-back fail as a whole (a kind refused with 403 is an input error). */
const CLUSTER = 'with `--cluster`: the API server unreachable or refusing the credentials, a bad kubeconfig; with `--write-policy-reports`, a report that could not be written';

export const EXIT_CODES: readonly ExitCodes[] = [
  { command: 'audit', 0: 'no finding fails the gate', 1: `${FAIL}, or a pod spec the PSS level in force (flag, config or enforce label) rejects, whatever the control's severity; \`warn\`/\`audit\`-only violations only with \`--fail-on …,warn\` / \`…,audit\``, 2: `${NOTHING}; ${CLUSTER}` },
  { command: 'pss', 0: 'every pod spec is allowed at the level in force', 1: 'a pod spec the level in force rejects (any severity), or a finding at or above `--fail-on`; `warn`/`audit`-only violations only with `--fail-on …,warn` / `…,audit`', 2: `${NOTHING}; ${CLUSTER}` },
  { command: 'harden', 0: 'every pod spec could be fixed', 1: 'a blocker a human must decide (high), or an input error at or above `--fail-on`', 2: `${NOTHING}; a file that could not be written` },
  { command: 'netpol matrix', 0: 'the matrix was computed', 1: FAIL, 2: `${NOTHING}; any invalid policy or intent` },
  { command: 'netpol explain', 0: 'every connection asked about is allowed', 1: 'a connection asked about is denied (like `kubectl auth can-i`), or a finding at or above `--fail-on`', 2: `${NOTHING}; any invalid policy; no peer matches --from/--to` },
  { command: 'netpol verify', 0: 'every intent holds', 1: 'an intent does not hold (high), with a counterexample', 2: `${NOTHING}; no NetworkIntents object; any invalid policy or intent` },
  { command: 'netpol lint', 0: 'no finding fails the gate', 1: FAIL, 2: `${NOTHING}; any invalid policy` },
  { command: 'netpol diff', 0: 'no change opens a connection to a model server', 1: 'a change opens a connection to a model server (high), or another finding at or above `--fail-on`', 2: `${NOTHING}; a missing or empty side; any invalid policy` },
  { command: 'netpol generate', 0: 'the policies were generated', 1: 'never', 2: `${NOTHING}; any invalid policy or intent` },
  { command: 'scan model', 0: 'no file fails the gate (the default fails on malicious files only)', 1: `${FAIL}: malicious = critical, suspicious = medium`, 2: NOTHING },
  { command: 'scan image', 0: 'no finding fails the gate; with `--sbom`, always unless `--fail-on` is typed', 1: `${FAIL}: vulnerabilities, root user, secrets, malicious model files`, 2: `${NOTHING}; not an image; an unreadable --db; with \`--cluster\`: the API server unreachable or refusing the credentials, none of the running images readable` },
  { command: 'scan dockerfile', 0: 'no finding fails the gate', 1: FAIL, 2: NOTHING },
  { command: 'scan report', 0: 'no vulnerability fails the gate', 1: FAIL, 2: `${NOTHING}; an unreadable --vex, --ignore-file or --db` },
  { command: 'checks list', 0: 'always', 1: 'never', 2: 'bad usage' },
  { command: 'checks explain', 0: 'the check exists (a rule or an input-error code)', 1: 'never', 2: 'bad usage, an unknown id' },
  { command: 'checks errors', 0: 'always', 1: 'never', 2: 'bad usage' },
  { command: 'rbac who-can', 0: 'the answer was printed', 1: 'never', 2: NOTHING },
  { command: 'rbac can', 0: 'the subject may do it', 1: 'the subject may not (like `kubectl auth can-i`)', 2: NOTHING },
  { command: 'rbac explain', 0: 'the permissions were printed', 1: 'never', 2: NOTHING },
  { command: 'rbac paths', 0: 'the paths were printed', 1: 'never', 2: NOTHING },
  { command: 'rbac least-privilege', 0: 'the Role was printed', 1: 'never', 2: NOTHING },
  { command: 'audit-log', 0: 'no alert fails the gate', 1: `${FAIL}: an alert's priority mapped to a severity`, 2: `${NOTHING}; an unreadable rules file` },
  { command: 'audit-log serve', 0: 'stopped by a signal', 1: 'never', 2: 'bad usage, an unreadable certificate or rules file' },
  { command: 'audit-log rules', 0: 'the rules loaded', 1: 'never', 2: 'a rules file that does not load' },
  { command: 'serve', 0: 'stopped by SIGTERM or SIGINT after draining', 1: 'never', 2: 'bad usage, an unreadable certificate, config or namespace file, no namespace source' },
  { command: 'db update', 0: 'the database was built', 1: 'never', 2: 'bad usage, a missing `--from`, a file that is not an OSV export, an unwritable database directory' },
  { command: 'install', 0: 'the manifests were printed', 1: 'never', 2: 'bad usage' },
  { command: 'export vap', 0: 'the policies were written; checks CEL cannot express are listed as not exported, with the reason', 1: 'never', 2: 'bad usage, an unknown `--checks` id, an unreadable or invalid `--config`, an unwritable `-o` file' },
  { command: 'export kyverno', 0: 'the policies were written; checks CEL cannot express are listed as not exported, with the reason', 1: 'never', 2: 'bad usage, an unknown `--checks` id, an unreadable or invalid `--config`, an unwritable `-o` file' },
  { command: 'export gatekeeper', 0: 'the policies were written; checks CEL cannot express are listed as not exported, with the reason', 1: 'never', 2: 'bad usage, an unknown `--checks` id, an unreadable or invalid `--config`, an unwritable `-o` file' },
  { command: 'export falco', 0: 'the rules were written (a file without rules when the input has no ML workload)', 1: 'never', 2: 'bad usage, a missing path, nothing readable, an unwritable `-o` file' },
  { command: 'verify image', 0: 'every image is verified by the policy', 1: 'not verified, with the reason (no signature, wrong identity, digest mismatch, expired, tampered, stale scan…)', 2: 'bad usage, an unreadable key, trusted root or policy, a KMS key reference' },
  { command: 'verify bundle', 0: 'the bundle verifies for the digest', 1: 'not verified, with the reason', 2: 'bad usage, an unreadable bundle, key or trusted root' },
  { command: 'verify model', 0: 'every file matches the signed manifest', 1: 'not verified: a changed, missing or added file, or a bad signature', 2: 'bad usage, a missing directory, artifact or signature' },
  { command: 'verify update-root', 0: 'the trusted root was written', 1: 'never', 2: 'bad usage, TUF could not be reached' },
];

/** The README's table (between the exit-codes markers). */
export function exitCodeTable(): string {
  const cell = (text: string): string => text.replace(/\|/g, '\\|');
  return ['| command | 0 | 1 | 2 |', '|---|---|---|---|', ...EXIT_CODES.map((row) => `| \`palisade ${row.command}\` | ${cell(row[0])} | ${cell(row[1])} | ${cell(row[2])} |`)].join('\n');
}
