import { PORT_ALONE_ADMIN_PORTS as ADMIN_PORTS } from '../../../../knowledge/index.js';
import { expandIn, judgedInstructions } from '../model.js';
import type { DockerfileRule, RuleReport } from '../rule.js';
import { splitWords } from '../words.js';

/** EXPOSE of a management port of an ML tool (TorchServe 8081, Ray 8265…). */
export const adminPortExposed: DockerfileRule = {
  meta: {
    id: 'DOCKERFILE_ADMIN_PORT',
    family: 'dockerfile',
    severity: 'medium',
    title: 'Admin port of an ML tool exposed',
    description: 'The image exposes a port that controls the model server or cluster (model registration, job submission, notebooks), not just inference.',
    remediation: 'Expose only the inference port; bind admin APIs to 127.0.0.1 and reach them with kubectl port-forward.',
    frameworks: { 'mitre-atlas': ['AML.T0049'], 'nist-800-53': ['CM-7', 'SC-7'] },
    messages: { port: 'EXPOSE {port}: {service} ({why})' },
  },
  check(dockerfile) {
    const reports: RuleReport[] = [];
    const byPort = new Map(ADMIN_PORTS.map((entry) => [entry.port, entry]));
    // EXPOSE is image config: it matters in the stages whose config the image inherits.
    for (const scoped of judgedInstructions(dockerfile, 'shipped')) {
      const instruction = scoped.instruction;
      if (instruction.keyword !== 'EXPOSE') continue;
      for (const word of splitWords(instruction.rest, dockerfile.escape)) {
        const value = expandIn(dockerfile, scoped, word.raw);
        const range = /^(\d+)(?:-(\d+))?(?:\/(tcp|udp|sctp))?$/i.exec(value);
        if (!range) continue;
        const low = Number(range[1]);
        const high = range[2] === undefined ? low : Number(range[2]);
        for (const entry of ADMIN_PORTS) {
          if (entry.port < low || entry.port > high || !byPort.has(entry.port)) continue;
          reports.push({ messageId: 'port', data: { port: entry.port, service: entry.service, why: entry.why }, instruction, argsIndex: instruction.restStart + word.start });
        }
      }
    }
    return reports;
  },
};
