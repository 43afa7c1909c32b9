import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * What `palisade serve` loads at start: every module a webhook loads stays in its heap, and each
 * full garbage collection marks all of it (the pauses that land in the webhook's p99). The Sigstore
 * verifier (the verify engine and @sigstore, ~2.3 MB of heap) is imported on demand, only when
 * `images:` names a policy, so admission/index.ts must not reach it through static imports. Nor the
 * audit part: its rule catalogue imports every family's rules (several with their engines) and its
 * session the network and RBAC analyses, ~2.6 MB of heap no decision reads; `palisade serve` loads
 * the catalogue only to validate a `checks:` entry that is not a posture check.
 */

const SRC = resolve(__dirname, '../../src');

/** The src/ files a module loads when imported: static value imports and re-exports, not `import type` or `import()`. */
function staticClosure(entry: string): Set<string> {
  const seen = new Set<string>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const source = ts.createSourceFile(file, readFileSync(join(SRC, file), 'utf8'), ts.ScriptTarget.Latest);
    for (const statement of source.statements) {
      let specifier: string | undefined;
      if (ts.isImportDeclaration(statement) && !statement.importClause?.isTypeOnly && ts.isStringLiteral(statement.moduleSpecifier)) {
        const bindings = statement.importClause?.namedBindings;
        // `import { type A, type B }` loads nothing either.
        const onlyTypes = bindings !== undefined && ts.isNamedImports(bindings) && statement.importClause?.name === undefined && bindings.elements.length > 0 && bindings.elements.every((e) => e.isTypeOnly);
        if (!onlyTypes) specifier = statement.moduleSpecifier.text;
      } else if (ts.isExportDeclaration(statement) && !statement.isTypeOnly && statement.moduleSpecifier && ts.isStringLiteral(statement.moduleSpecifier)) {
        const clause = statement.exportClause;
        const onlyTypes = clause !== undefined && ts.isNamedExports(clause) && clause.elements.length > 0 && clause.elements.every((e) => e.isTypeOnly);
        if (!onlyTypes) specifier = statement.moduleSpecifier.text;
      }
      if (specifier === undefined || !specifier.startsWith('.')) continue;
      const base = resolve(dirname(join(SRC, file)), specifier);
      const target = [base.replace(/\.js$/, '.ts'), join(base, 'index.ts')].find((candidate) => existsSync(candidate));
      if (target) queue.push(relative(SRC, target).split('\\').join('/'));
    }
  }
  return seen;
}

describe('what the webhook loads', () => {
  it('the admission module reaches the Sigstore verifier and the verify engine only on demand', () => {
    const loaded = staticClosure('admission/index.ts');
    expect(loaded.has('admission/engine.ts')).toBe(true); // the walk follows imports
    expect(loaded.has('checks/index.ts')).toBe(true);
    expect([...loaded].filter((file) => file === 'admission/sigstore/index.ts' || file === 'verify/index.ts')).toEqual([]);
  });

  it('the admission module does not reach the audit part (its rule catalogue and session)', () => {
    const loaded = staticClosure('admission/index.ts');
    expect(loaded.has('checks/configured.ts')).toBe(true);
    expect([...loaded].filter((file) => file.startsWith('audit/') || file.startsWith('netpol/') || file.startsWith('rbac/') || file.startsWith('auditlog/'))).toEqual([]);
  });
});
