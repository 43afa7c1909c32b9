import type { Variables } from '../words.js';
import type { DockerfileRule, RuleReport } from '../rule.js';
import { programOf, type ShellCommand } from '../shell.js';
import { atCommand, runs } from './runs.js';

/**
 * How each package manager names a version, from its manual: apk-add(8) `name=ver`, `name~ver`,
 * `name>=ver`…; dnf(8)/yum(8) NEVRA `name-version[-release]` with optional `epoch:`, and
 * `module install name:stream`; zypper(8) `name=ver`, `name>=ver`; npm-install(1) `name@version`,
 * a folder, a tarball, a git URL with `#ref`; gem-install(1) `name:version` or `-v`; `go help
 * install`/`go help get`: `path@version`, where latest, upgrade and patch are queries, not versions.
 */
interface Manager {
  /** Words after the program that start an install, and how many words they are. */
  verbs: ReadonlyArray<readonly string[]>;
  /** Options whose value is the next word (when not written `--opt=value`). */
  valued: ReadonlySet<string>;
  pinned(word: string): boolean;
  /** Stop reading packages here (gem's `--` starts build flags; `go run` runs the first one). */
  stop?(word: string, packagesSeen: number): boolean;
}

const LOCAL = /^(\.{0,2}\/|~\/|\.$)/;
const RPM_VERSIONED = /-[0-9]|:[0-9]|\.rpm$/;
const GO_QUERIES = new Set(['latest', 'upgrade', 'patch', 'master', 'main', 'none']);

const RPM: Manager = {
  verbs: [['install'], ['module', 'install'], ['reinstall']],
  valued: new Set(['-c', '--config', '--installroot', '--releasever', '--enablerepo', '--disablerepo', '--repo', '--repoid', '-x', '--exclude', '--setopt', '--forcearch', '--destdir']),
  pinned: (word) => RPM_VERSIONED.test(word) || LOCAL.test(word) || /^https?:/.test(word),
};

export const MANAGERS: Readonly<Record<string, Manager>> = {
  apk: {
    verbs: [['add']],
    valued: new Set(['-X', '--repository', '-t', '--virtual', '-p', '--root', '--keys-dir', '--arch', '--cache-dir', '--repositories-file']),
    pinned: (word) => /[=~<>]/.test(word) || /\.apk$/.test(word) || LOCAL.test(word),
  },
  yum: RPM,
  dnf: RPM,
  microdnf: RPM,
  zypper: {
    verbs: [['install'], ['in']],
    valued: new Set(['-t', '--type', '-r', '--repo', '--from', '-n']),
    pinned: (word) => /[=<>]/.test(word) || /\.rpm$/.test(word) || LOCAL.test(word),
  },
  npm: {
    verbs: [['install'], ['i'], ['add'], ['isntall']],
    valued: new Set(['--registry', '--loglevel', '--prefix', '--cache', '--tag', '--userconfig', '--workspace', '-w', '--omit', '--include']),
    pinned: (word) => {
      if (LOCAL.test(word) || /\.(tar|tgz|tar\.gz)$/.test(word)) return true;
      if (/^(git(\+[a-z]+)?|https?):/.test(word)) return word.includes('#');
      // name@version; a scope's leading @ is part of the name
      return /^@?[^@]+@.+/.test(word);
    },
  },
  gem: {
    verbs: [['install'], ['i']],
    valued: new Set(['-v', '--version', '-i', '--install-dir', '-n', '--bindir', '-s', '--source', '-P', '--trust-policy', '--platform', '-g', '--file']),
    pinned: (word) => /:[0-9]/.test(word) || /\.gem$/.test(word) || LOCAL.test(word),
    stop: (word) => word === '--',
  },
  go: {
    verbs: [['install'], ['get'], ['run']],
    valued: new Set(['-o', '-C', '-ldflags', '-gcflags', '-asmflags', '-tags', '-mod', '-modfile', '-p', '-pkgdir', '-buildmode', '-compiler', '-gccgoflags', '-installsuffix', '-overlay', '-pgo', '-exec', '-toolexec']),
    pinned: (word) => {
      if (LOCAL.test(word)) return true;
      const at = word.lastIndexOf('@');
      return at > 0 && !GO_QUERIES.has(word.slice(at + 1));
    },
  },
};

/** Expand `$NAME` and `${NAME}` with the ARG/ENV values in scope (the shell gets them as its environment). */
function expand(word: string, variables: Variables): string {
  return word.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (_, braced: string | undefined, bare: string | undefined) => variables.get((braced ?? bare) as string) ?? '');
}

/** The unpinned packages of one install command, or undefined when the command installs nothing by name. */
export function unpinnedPackages(command: ShellCommand, variables: Variables): { manager: string; packages: string[] } | undefined {
  const program = programOf(command);
  if (!program) return undefined;
  const manager = MANAGERS[program.name];
  if (!manager) return undefined;
  const args = program.args;
  // The verb comes after the manager's own options (`dnf -y install`, `npm --silent install`).
  let start = -1;
  let verbLength = 0;
  for (let i = 0; i < args.length && start < 0; i++) {
    const word = args[i] as string;
    if (word.startsWith('-')) {
      if (!word.includes('=') && manager.valued.has(word)) i++;
      continue;
    }
    const verb = manager.verbs.find((v) => v.every((part, k) => args[i + k] === part));
    if (!verb) return undefined; // the first plain word is another subcommand (group install, run, ci…)
    start = i;
    verbLength = verb.length;
  }
  if (start < 0) return undefined;
  const module = args[start] === 'module';
  const loose: string[] = [];
  let seen = 0;
  let versionFlag = false;
  for (let i = start + verbLength; i < args.length; i++) {
    const word = args[i] as string;
    if (manager.stop?.(word, seen)) break;
    if (word.startsWith('-')) {
      const name = word.split('=', 1)[0] as string;
      if (name === '-v' || name === '--version') versionFlag = true;
      if (!word.includes('=') && manager.valued.has(word)) i++;
      // an option this table does not know: a true/false after it is its value
      else if (/^(true|false)$/.test(args[i + 1] ?? '') && !manager.valued.has(name)) i++;
      continue;
    }
    seen++;
    const value = expand(word, variables);
    const pinned = module ? /:[^:]+/.test(value) : manager.pinned(value);
    if (!pinned) loose.push(word);
    // `go run pkg args…`: the words after the package are the program's
    if (program.name === 'go' && args[start] === 'run') break;
  }
  // gem's -v pins the gems of the command
  if (versionFlag && program.name === 'gem') return undefined;
  return loose.length > 0 ? { manager: program.name, packages: loose } : undefined;
}

/** Packages installed without a version change between builds; a compromised release walks in. hadolint DL3016/3018/3028/3033/3037/3041/3062. */
export const packageUnpinned: DockerfileRule = {
  meta: {
    id: 'DOCKERFILE_PACKAGE_UNPINNED',
    family: 'dockerfile',
    severity: 'low',
    title: 'Packages installed without a pinned version',
    description:
      'apk, yum, dnf, microdnf, zypper, npm, gem or go install a package by name only, so each build takes whatever is newest that day. (apt is left out on purpose: Debian and Ubuntu drop superseded versions from their archives, so an apt pin breaks the next build; pin the base image by digest instead. pip has DOCKERFILE_PIP_UNPINNED.)',
    remediation: 'Name the version: apk add curl=8.9.1-r1, dnf install curl-8.6.0, zypper in curl=8.6.0, npm install express@4.19.2, gem install rails:7.1.3, go install example.com/tool@v1.2.3.',
    frameworks: { 'nist-800-53': ['CM-2', 'SR-4'], 'mitre-atlas': ['AML.T0010'] },
    messages: { unpinned: '{manager} installs {packages} without a pinned version' },
  },
  check(dockerfile) {
    const reports: RuleReport[] = [];
    for (const run of runs(dockerfile)) {
      for (const command of run.script.commands) {
        const found = unpinnedPackages(command, run.scoped.variables);
        if (found) reports.push(atCommand(run, command, 'unpinned', { manager: found.manager, packages: found.packages.join(', ') }));
      }
    }
    return reports;
  },
};
