/**
 * Dockerfiles, generated and mutated: long heredocs and continuation chains, escape directives,
 * quotes, exec forms, flags. Each is scanned: no throw, bounded time and memory, and every finding
 * and diagnostic has a position inside the file.
 */
import { scanDockerfile } from '../../dist/scan/image/dockerfile/index.js';
import { check, failure, loop, mutateText } from '../lib/hostile.mjs';

export const name = 'dockerfiles';

const ALPHABET = ['\\', '`', '\n', '\r\n', ' ', '\t', '"', "'", '<<EOF', '<<-EOF', 'EOF', '#', '# escape=`', '&&', '|', ';', '$', '${A:-b}', '[', ']', '--mount=type=secret', 'RUN ', 'FROM ', 'USER root', 'curl x | sh'];

function seed(rng) {
  const n = rng.pick([1, 10, 200, 5000]);
  switch (rng.int(4)) {
    case 0:
      return `FROM python:3.11\nRUN <<EOF\n${'pip install torch\n'.repeat(n)}EOF\nUSER 1000\n`;
    case 1:
      return `FROM ubuntu:22.04\nRUN apt-get update \\\n${' && apt-get install -y curl \\\n'.repeat(n)} && true\n`;
    case 2:
      return `# escape=\`\nFROM mcr.microsoft.com/windows:ltsc2022\nRUN echo a \`\n  && echo b\nCOPY ["a b", "c"]\nUSER ContainerUser\n`;
    default:
      return `FROM --platform=$BUILDPLATFORM golang:1.22 AS build\nARG MODEL=hf://x/y\nENV HF_TOKEN=hf_abcdefghijklmnopqrstuvwxyz123456\nADD https://example.com/model.bin /models/\nRUN curl -fsSL https://x | sh\nEXPOSE 8080 7070\nCMD ["python", "serve.py", "--trust-remote-code"]\n`;
  }
}

export async function run({ budgetMs, rng }) {
  const pool = [];
  return loop(budgetMs, async () => {
    const base = seed(rng);
    pool.push(base);
    if (pool.length > 16) pool.shift();
    const text = rng.chance(0.3) ? base : mutateText(rng, base, pool, ALPHABET);
    const out = await check(name, text, () => scanDockerfile('Dockerfile', text));
    if (out.failure) return out.failure;
    const lines = text.split(/\r?\n/).length;
    const bad = [...out.value.findings.map((f) => f.location), ...out.value.errors.map((e) => e.location)].find((l) => l && (l.line < 1 || l.line > lines || l.column < 1));
    if (bad) return failure(name, `position outside the file: ${JSON.stringify(bad)} (${lines} lines)`, text);
    return undefined;
  });
}
