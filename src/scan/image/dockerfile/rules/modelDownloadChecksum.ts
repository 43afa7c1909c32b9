import { MODEL_HOSTS, modelExtension } from '../../../../knowledge/index.js';
import type { DockerfileRule, RuleReport } from '../rule.js';
import { programOf, type ShellCommand } from '../shell.js';
import { atCommand, runs } from './runs.js';

const CHECKSUM_TOOLS = /\b(sha256sum|sha512sum|shasum|b3sum|cosign\s+verify|gpg\s+--verify|model_signing\s+verify)\b/;

function downloadsModel(command: ShellCommand): boolean {
  const program = programOf(command);
  if (!program) return false;
  if (['huggingface-cli', 'hf'].includes(program.name) && program.args[0] === 'download') return !program.args.includes('--revision');
  if (!['curl', 'wget'].includes(program.name)) return false;
  return program.args.some((a) => /^https?:\/\//.test(a) && (MODEL_HOSTS.some((host) => host.test(a)) || modelExtension(a.replace(/[?#].*$/, '')) !== undefined));
}

/** Weights fetched during the build and never verified: the build trusts the host at that minute. */
export const modelDownloadChecksum: DockerfileRule = {
  meta: {
    id: 'DOCKERFILE_MODEL_DOWNLOAD_UNVERIFIED',
    family: 'dockerfile',
    severity: 'medium',
    title: 'Model weights downloaded without a checksum',
    description: 'The build downloads model weights and never checks a digest or signature; a changed repository or host changes the model you ship.',
    remediation: 'Pin the revision (huggingface-cli download --revision <commit>) or verify with sha256sum -c / model_signing verify in the same RUN.',
    frameworks: { 'mitre-atlas': ['AML.T0010', 'AML.T0018'], 'nist-800-53': ['SI-7'] },
    messages: { download: 'model weights are downloaded by {program} without a checksum or pinned revision' },
  },
  check(dockerfile) {
    const reports: RuleReport[] = [];
    for (const run of runs(dockerfile)) {
      if (CHECKSUM_TOOLS.test(run.script.text)) continue;
      const command = run.script.commands.find(downloadsModel);
      if (command) reports.push(atCommand(run, command, 'download', { program: programOf(command)?.name ?? '' }));
    }
    return reports;
  },
};
