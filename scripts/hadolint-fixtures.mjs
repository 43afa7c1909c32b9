#!/usr/bin/env node
/**
 * Copies hadolint's own labelled Dockerfile snippets (test/Hadolint/Rule/DLxxxxSpec.hs: `ruleCatches`,
 * `ruleCatchesNot` and their `onBuild…` forms) for the rules palisade maps to into
 * test/fixtures/hadolint/cases.json. Run from the repository root with the path of a hadolint
 * checkout (a git directory works: `git --git-dir … show HEAD:path` is used) and the rule codes:
 *
 *   node scripts/hadolint-fixtures.mjs <hadolint git dir> DL3002 DL3004 …
 *
 * The snippets are hadolint's (GPL-3.0); the output names the commit they came from. Assertions this
 * reader cannot read (a Haskell expression it does not know) are listed on stderr and left out.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';

const [repo, ...codes] = process.argv.slice(2);
if (!repo || codes.length === 0) {
  console.error('usage: hadolint-fixtures.mjs <hadolint git dir> DLxxxx…');
  process.exit(2);
}
const git = (...args) => execFileSync('git', ['--git-dir', repo, ...args], { encoding: 'utf8' });
const commit = git('rev-parse', 'HEAD').trim();

/** Haskell tokens: string literals (escapes and `\  \` gaps), identifiers, punctuation. */
function tokenize(text) {
  const tokens = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '-' && text[i + 1] === '-') {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '"') {
      let value = '';
      i++;
      while (i < text.length && text[i] !== '"') {
        if (text[i] === '\\') {
          const n = text[i + 1];
          if (/\s/.test(n)) {
            // a string gap: backslash, white space, backslash
            i += 1;
            while (/\s/.test(text[i])) i++;
            i++;
            continue;
          }
          const map = { n: '\n', t: '\t', '\\': '\\', '"': '"', "'": "'" };
          if (n in map) {
            value += map[n];
            i += 2;
            continue;
          }
          if (n === '&') {
            i += 2;
            continue;
          }
          throw new Error(`unknown escape \\${n}`);
        }
        value += text[i];
        i++;
      }
      i++;
      tokens.push({ type: 'string', value });
      continue;
    }
    const ident = /^[A-Za-z_?][A-Za-z0-9_'.]*/.exec(text.slice(i, i + 200));
    if (ident) {
      tokens.push({ type: 'ident', value: ident[0] });
      i += ident[0].length;
      continue;
    }
    tokens.push({ type: 'punct', value: c });
    i++;
  }
  return tokens;
}

const ASSERTIONS = new Set(['ruleCatches', 'ruleCatchesNot', 'onBuildRuleCatches', 'onBuildRuleCatchesNot']);

/** Read a list of string literals at tokens[k] (`[` …); returns [strings, next] or undefined. */
function readList(tokens, k) {
  if (tokens[k]?.value !== '[') return undefined;
  const items = [];
  k++;
  while (tokens[k] && tokens[k].value !== ']') {
    if (tokens[k].type === 'string') items.push(tokens[k].value);
    else if (tokens[k].value !== ',') return undefined;
    k++;
  }
  return [items, k + 1];
}

/** A Dockerfile expression: "literal", Text.unlines [..], Text.unlines name, name, possibly after `$` or in parentheses. */
function readDockerfile(tokens, k, env) {
  while (tokens[k] && (tokens[k].value === '$' || tokens[k].value === '(')) k++;
  const t = tokens[k];
  if (!t) return undefined;
  if (t.type === 'string') return t.value;
  if (t.type === 'ident' && /^(Text\.)?unlines$/.test(t.value)) {
    let j = k + 1;
    while (tokens[j]?.value === '$') j++;
    const list = readList(tokens, j);
    if (list) return list[0].join('\n') + '\n';
    if (tokens[j]?.type === 'ident' && env.lists.has(tokens[j].value)) return env.lists.get(tokens[j].value).join('\n') + '\n';
    return undefined;
  }
  if (t.type === 'ident' && env.texts.has(t.value)) return env.texts.get(t.value);
  return undefined;
}

/** ONBUILD form as hadolint's helper makes it: every RUN instruction wrapped in ONBUILD. */
function onBuild(dockerfile) {
  const lines = dockerfile.split('\n');
  let continued = false;
  return lines
    .map((line) => {
      const out = !continued && /^\s*RUN\b/i.test(line) ? line.replace(/^(\s*)/, '$1ONBUILD ') : line;
      continued = /\\\s*$/.test(line);
      return out;
    })
    .join('\n');
}

const cases = [];
for (const code of codes) {
  const path = `test/Hadolint/Rule/${code}Spec.hs`;
  const text = git('show', `HEAD:${path}`);
  const blocks = text.split(/\n(?=\s*it\s+")/);
  const globalRule = /let\s+rule\s*=\s*"(DL\d+)"/.exec(text)?.[1];
  for (const block of blocks) {
    const name = /^\s*it\s+"((?:[^"\\]|\\.)*)"/.exec(block)?.[1];
    if (name === undefined) continue;
    const tokens = tokenize(block);
    const env = { lists: new Map(), texts: new Map() };
    let allowedRegistries;
    for (let k = 0; k < tokens.length; k++) {
      const t = tokens[k];
      // let name = [ … ]   |   let name = Text.unlines [ … ]   |   name = Text.unlines [ … ] in
      if (t.type === 'ident' && tokens[k + 1]?.value === '=' && tokens[k + 1]?.type === 'punct' && tokens[k + 2]?.value !== '=') {
        const list = readList(tokens, k + 2);
        if (list) env.lists.set(t.value, list[0]);
        else {
          const value = readDockerfile(tokens, k + 2, env);
          if (value !== undefined && t.value !== 'rule') env.texts.set(t.value, value);
        }
      }
      if (t.value === 'allowedRegistries' && tokens[k + 1]?.value === '=') allowedRegistries = readList(tokens, k + 2)?.[0];
      if (t.type === 'ident' && ASSERTIONS.has(t.value)) {
        const codeToken = tokens[k + 1];
        const rule = codeToken?.type === 'string' ? codeToken.value : codeToken?.value === 'rule' ? globalRule : undefined;
        const dockerfile = readDockerfile(tokens, k + 2, env);
        if (rule !== code || dockerfile === undefined) {
          console.error(`${code} "${name}": cannot read ${t.value} ${tokens.slice(k + 1, k + 5).map((x) => x.value).join(' ')}`);
          continue;
        }
        const wrapped = t.value.startsWith('onBuild');
        cases.push({
          rule: code,
          name,
          expect: /CatchesNot$/.test(t.value) ? 'pass' : 'fail',
          onbuild: wrapped,
          ...(allowedRegistries ? { allowedRegistries } : {}),
          dockerfile: wrapped ? onBuild(dockerfile) : dockerfile,
        });
      }
    }
  }
}
const out = {
  source: 'https://github.com/hadolint/hadolint',
  commit,
  license: 'GPL-3.0-only (hadolint); test inputs copied for evaluation, not shipped in the package',
  generatedBy: 'scripts/hadolint-fixtures.mjs',
  cases,
};
writeFileSync('test/fixtures/hadolint/cases.json', JSON.stringify(out, null, 1) + '\n');
console.error(`${cases.length} cases from ${codes.length} rules`);
