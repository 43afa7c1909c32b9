// The audit bench's baseline: read and parse every .yaml file of a directory with the yaml package
// (positions on, as an auditor that reports lines needs), nothing else. Prints the document count.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LineCounter, parseAllDocuments } from 'yaml';

const dir = process.argv[2];
let count = 0;
for (const file of readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort()) {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(readFileSync(join(dir, file), 'utf8'), { lineCounter });
  count += Array.isArray(docs) ? docs.length : 0;
}
process.stdout.write(`${count}\n`);
