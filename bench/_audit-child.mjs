// One measured run in a fresh process: `baseline` parses every file with the yaml package
// (positions on), `audit` runs palisade's audit engine the way the CLI does. Prints {ms, rssMb}.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LineCounter, parseAllDocuments } from 'yaml';

const [mode, dir] = process.argv.slice(2);
const files = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort().map((f) => join(dir, f));
const start = performance.now();
let count = 0;
if (mode === 'baseline') {
  for (const file of files) {
    const lineCounter = new LineCounter();
    count += parseAllDocuments(readFileSync(file, 'utf8'), { lineCounter }).length;
  }
} else {
  const { loadText } = await import('../dist/core/load.js');
  // One session over every file, as the CLI runs it: per-file checks, then cluster checks once
  // (their findings are located by reading just the files concerned again).
  const { AuditSession } = await import('../dist/audit/index.js');
  const session = new AuditSession({ readText: (file) => readFileSync(file, 'utf8') });
  for (const file of files) {
    const part = loadText(file, readFileSync(file, 'utf8'));
    count += session.addFile(part).findings.length;
  }
  count += session.finish().findings.length;
}
const ms = performance.now() - start;
process.stdout.write(JSON.stringify({ ms, rssMb: process.resourceUsage().maxRSS / 1024, count }) + '\n');
