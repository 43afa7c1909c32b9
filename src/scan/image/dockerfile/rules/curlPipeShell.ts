import type { DockerfileRule, RuleReport } from '../rule.js';
import { programOf } from '../shell.js';
import { atCommand, runs } from './runs.js';

const DOWNLOADERS: ReadonlySet<string> = new Set(['curl', 'wget', 'fetch']);
const INTERPRETERS: ReadonlySet<string> = new Set(['sh', 'bash', 'dash', 'zsh', 'ash', 'ksh', 'python', 'python3', 'perl', 'ruby', 'node']);

/** `curl … | sh` runs whatever the server sends today, as root, with nothing checked. */
export const curlPipeShell: DockerfileRule = {
  meta: {
    id: 'DOCKERFILE_CURL_PIPE_SHELL',
    family: 'dockerfile',
    severity: 'high',
    title: 'Remote script piped into a shell',
    description: 'A downloaded script piped straight into an interpreter runs unverified code in the build; the server decides what the image contains.',
    remediation: 'Download to a file, verify it against a pinned sha256 (sha256sum -c), then run it; or install from a signed package.',
    frameworks: { 'nist-800-53': ['SI-7', 'CM-14'], 'mitre-atlas': ['AML.T0010'] },
    messages: { pipe: '{downloader} output is piped into {interpreter}' },
  },
  check(dockerfile) {
    const reports: RuleReport[] = [];
    for (const run of runs(dockerfile)) {
      const commands = run.script.commands;
      commands.forEach((command, i) => {
        const downloader = programOf(command)?.name;
        if (!downloader || !DOWNLOADERS.has(downloader)) return;
        // Follow the pipeline: curl | tee x | sh still ends in sh.
        for (let j = i + 1; j < commands.length && (commands[j] as typeof command).after === '|'; j++) {
          const program = programOf(commands[j] as typeof command)?.name;
          if (program && INTERPRETERS.has(program)) {
            reports.push(atCommand(run, command, 'pipe', { downloader, interpreter: program }));
            return;
          }
        }
      });
    }
    return reports;
  },
};
