#!/usr/bin/env node
/**
 * The import boundaries of docs/architecture.md, checked over every import in src/: static imports,
 * re-exports, `import type` and dynamic `import()` alike (TypeScript's own pre-processor lists them;
 * a dynamic import of a computed path is itself a violation, since no checker can follow it).
 *
 *   node scripts/boundaries.mjs           exit 1 with one line per violation
 *   node scripts/boundaries.mjs --graph   the part-to-part import graph
 *
 * `npm run lint` runs it; test/architecture/boundaries.test.ts checks the checker on small trees.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/** Layers from top to bottom, and the layers each may import. Engines may import other engines. */
export const LAYERS = {
  cli: { parts: ['cli'], may: ['api', 'admission', 'audit', 'report', 'engine', 'knowledge', 'workloads', 'core'] },
  api: { parts: ['index.ts'], may: ['admission', 'audit', 'report', 'engine', 'knowledge', 'workloads', 'core'] },
  admission: { parts: ['admission'], may: ['audit', 'engine', 'knowledge', 'workloads', 'core'] },
  audit: { parts: ['audit'], may: ['engine', 'knowledge', 'workloads', 'core'] },
  report: { parts: ['report'], may: ['core'] },
  engine: {
    parts: ['pss', 'checks', 'netpol', 'harden', 'scan/model', 'scan/image', 'scan/archive', 'rbac', 'auditlog', 'verify', 'cluster', 'export', 'mesh'],
    may: ['engine', 'knowledge', 'workloads', 'core'],
  },
  workloads: { parts: ['workloads'], may: ['knowledge', 'core'] },
  knowledge: { parts: ['knowledge'], may: ['core'] },
  core: { parts: ['core'], may: [] },
};

/**
 * What another part may import: a part's `index.ts`, its `ruleset.ts` (its rules without its
 * engine), and the `index.ts` of a folder inside it (a sub-part, e.g. scan/image/dockerfile, so a
 * command loads only what it runs). core is the shared kernel: each of its modules is public.
 */
export const OPEN_PARTS = ['core'];
/** Files of src/ that may import something outside src/, and what. */
export const OUTSIDE_SRC = { 'core/version.ts': ['../../package.json'] };

const LAYER_OF_PART = new Map(Object.entries(LAYERS).flatMap(([layer, { parts }]) => parts.map((part) => [part, layer])));

/** The part a file of src/ belongs to: `scan/model/pickle/vm.ts` → `scan/model`, `index.ts` → `index.ts`. */
export function partOf(file) {
  const segments = file.split('/');
  if (segments.length === 1) return file;
  if (segments[0] === 'scan' && segments.length > 2) return `scan/${segments[1]}`;
  return segments[0];
}

/** Whether `target` (a file of src/) is a door of its part `to`. */
export function isDoor(target, to) {
  if (OPEN_PARTS.includes(to) || to === target) return true;
  const inside = target.slice(to.length + 1);
  return inside === 'index.ts' || inside === 'ruleset.ts' || inside.endsWith('/index.ts');
}

/** Every module specifier of a source text, and the lines of dynamic imports whose path is computed. */
export function importsOf(text) {
  const specifiers = ts.preProcessFile(text, true, true).importedFiles.map((f) => f.fileName);
  const computed = [];
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, ts.LanguageVariant.Standard, text);
  // Tokens, not a regex: `import(` inside strings, comments and template text is not an import.
  let previous = ts.SyntaxKind.Unknown;
  for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
    if (previous === ts.SyntaxKind.ImportKeyword && kind === ts.SyntaxKind.OpenParenToken) {
      const at = scanner.getTokenEnd();
      const next = scanner.scan();
      const closes = scanner.lookAhead(() => scanner.scan() === ts.SyntaxKind.CloseParenToken || scanner.getToken() === ts.SyntaxKind.CommaToken);
      if (next !== ts.SyntaxKind.StringLiteral && next !== ts.SyntaxKind.NoSubstitutionTemplateLiteral) computed.push(text.slice(0, at).split('\n').length);
      else if (!closes) computed.push(text.slice(0, at).split('\n').length);
      previous = next;
      continue;
    }
    previous = kind;
  }
  return { specifiers, computed };
}

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : name.endsWith('.ts') && !name.endsWith('.d.ts') ? [path] : [];
  });
}

const posix = (path) => path.split(sep).join('/');

/** A relative specifier (`../core/load.js`) as the file of src/ it names, as NodeNext resolves it. */
function resolveSpecifier(srcRoot, fromFile, specifier) {
  const base = resolve(dirname(join(srcRoot, fromFile)), specifier);
  for (const candidate of [base.replace(/\.js$/, '.ts'), `${base}.ts`, join(base, 'index.ts'), base]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return posix(relative(srcRoot, candidate));
  }
  return posix(relative(srcRoot, base.replace(/\.js$/, '.ts')));
}

/** The part graph's cycles (each once, as a path), found by depth-first search. */
function cycles(edges) {
  const next = new Map();
  for (const key of edges.keys()) {
    const [from, to] = key.split(' -> ');
    next.set(from, [...(next.get(from) ?? []), to]);
  }
  const found = new Set();
  const visit = (node, path) => {
    for (const to of next.get(node) ?? []) {
      const at = path.indexOf(to);
      if (at >= 0) {
        const loop = path.slice(at);
        const start = loop.indexOf([...loop].sort()[0]);
        found.add([...loop.slice(start), ...loop.slice(0, start), loop[start]].join(' -> '));
      } else visit(to, [...path, to]);
    }
  };
  for (const node of [...next.keys()].sort()) visit(node, [node]);
  return [...found].sort();
}

/**
 * Checks every file of `srcRoot` (a folder laid out like src/): one problem per broken boundary,
 * `src/<file>:<line>: <what>`, and the part-to-part edges with their import counts.
 */
export function check(srcRoot) {
  const problems = [];
  const edges = new Map();
  const files = walk(srcRoot).map((f) => posix(relative(srcRoot, f))).sort();
  for (const file of files) {
    const text = readFileSync(join(srcRoot, file), 'utf8');
    const from = partOf(file);
    const fromLayer = LAYER_OF_PART.get(from);
    if (!fromLayer) {
      problems.push(`src/${file}: part ${from}/ is in no layer (add it to LAYERS in scripts/boundaries.mjs and to docs/architecture.md)`);
      continue;
    }
    const { specifiers, computed } = importsOf(text);
    for (const line of computed) problems.push(`src/${file}:${line}: import() of a computed path: import a string literal so the boundaries can be checked`);
    for (const specifier of specifiers) {
      if (!specifier.startsWith('.')) continue; // a package or node: builtin
      const target = resolveSpecifier(srcRoot, file, specifier);
      if (target.startsWith('..')) {
        if (!(OUTSIDE_SRC[file] ?? []).includes(specifier)) problems.push(`src/${file}: imports ${specifier}, outside src/`);
        continue;
      }
      const to = partOf(target);
      if (to === from) continue;
      const key = `${from} -> ${to}`;
      edges.set(key, (edges.get(key) ?? 0) + 1);
      const toLayer = LAYER_OF_PART.get(to);
      if (!toLayer) problems.push(`src/${file}: imports ${specifier}: part ${to}/ is in no layer`);
      else if (!LAYERS[fromLayer].may.includes(toLayer)) problems.push(`src/${file}: ${from}/ (${fromLayer}) may not import ${to}/ (${toLayer}): ${specifier}`);
      if (!isDoor(target, to)) problems.push(`src/${file}: imports ${specifier}, inside ${to}/: import its index.ts (export what you need there)`);
    }
  }
  for (const loop of cycles(edges)) problems.push(`parts import each other in a cycle: ${loop}`);
  return { problems, edges };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { problems, edges } = check(fileURLToPath(new URL('../src/', import.meta.url)));
  if (process.argv.includes('--graph')) for (const [edge, count] of [...edges].sort()) process.stdout.write(`${edge} (${count})\n`);
  for (const problem of problems) process.stderr.write(`${problem}\n`);
  if (problems.length > 0) {
    process.stderr.write(`\n${problems.length} import boundary violations: docs/architecture.md says which way imports point.\n`);
    process.exitCode = 1;
  }
}
