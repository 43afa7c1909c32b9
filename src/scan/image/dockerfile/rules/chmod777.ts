import { judgedInstructions } from '../model.js';
import type { DockerfileRule, RuleReport } from '../rule.js';
import { programOf } from '../shell.js';
import { atCommand, runs } from './runs.js';

const WORLD_WRITABLE = /^(?:0?[0-7]?[0-7][0-7][2367]|[ugoa]*[+=][rwxXst]*w[rwxXst]*)$/;

/** World-writable files let any process in the container replace the server's code or model. */
export const chmod777: DockerfileRule = {
  meta: {
    id: 'DOCKERFILE_WORLD_WRITABLE',
    family: 'dockerfile',
    severity: 'medium',
    title: 'chmod makes files world-writable',
    description: 'chmod 777 (or o+w) lets any user in the container overwrite code and model files the server loads.',
    remediation: 'Give ownership to the runtime user (COPY --chown=10001:10001) and use 755/644 modes.',
    frameworks: { 'nist-800-53': ['AC-3', 'AC-6'] },
    messages: { mode: 'chmod {mode} makes files writable by every user' },
  },
  check(dockerfile) {
    const reports: RuleReport[] = [];
    for (const run of runs(dockerfile)) {
      for (const command of run.script.commands) {
        const program = programOf(command);
        if (program?.name !== 'chmod') continue;
        const mode = program.args.find((a) => !a.startsWith('-'));
        if (mode && mode.split(',').some((part) => WORLD_WRITABLE.test(part) && (/^\d/.test(part) || /^[ao]|^[+=]/.test(part)))) reports.push(atCommand(run, command, 'mode', { mode }));
      }
    }
    for (const { instruction } of judgedInstructions(dockerfile)) {
      const flag = instruction.flags.find((f) => f.name === 'chmod');
      if ((instruction.keyword === 'COPY' || instruction.keyword === 'ADD') && flag?.value && /^0?[0-7]?[0-7][0-7][2367]$/.test(flag.value)) {
        reports.push({ messageId: 'mode', data: { mode: flag.value }, instruction, argsIndex: flag.start });
      }
    }
    return reports;
  },
};
