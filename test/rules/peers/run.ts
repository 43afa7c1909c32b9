import { readFileSync } from 'node:fs';
import { audit } from '../../../src/audit/index.js';
import { loadText } from '../../../src/core/load.js';
import type { Finding } from '../../../src/core/types.js';

/**
 * Runs palisade (the library's `audit`, in-process, default options) on the labelled fixtures of
 * the peers' security checks (test/fixtures/<peer>/cases.json, copied by scripts/peer-fixtures.mjs)
 * and says, per case, whether a palisade check mapped to the peer check (mapping.json) fired.
 */
export const PEERS = ['polaris', 'kube-linter', 'kube-score', 'checkov'] as const;
export type Peer = (typeof PEERS)[number];

export interface PeerMapping {
  /** palisade check ids; `ID@text`: only findings of ID with a path (or an occurrence's path) containing text. */
  palisade: string[];
  /** `namespace`: the palisade check reports once per namespace, so it answers for every object of the file. */
  scope?: 'namespace';
  reason: string;
  note?: string;
}

export interface PeerCase {
  check: string;
  /** One fixture file, or several read together (kube-score's multi-file tests). */
  file?: string;
  files?: string[];
  /** kube-linter: the object of the file the verdict is about (its index among the file's documents). */
  object?: { kind: string; name: string; index: number; role?: number };
  expect: 'fail' | 'pass';
  name: string;
}

interface Fixtures {
  commit: string;
  files: Record<string, string>;
  cases: PeerCase[];
}

const here = (path: string): URL => new URL(path, import.meta.url);
export const MAPPING = JSON.parse(readFileSync(here('./mapping.json'), 'utf8')) as Record<Peer, { mapped: Record<string, PeerMapping>; unmapped: Record<string, string> }>;
export const fixtures = (peer: Peer): Fixtures => JSON.parse(readFileSync(here(`../../fixtures/${peer}/cases.json`), 'utf8')) as Fixtures;

/** Line ranges (1-based, inclusive) of the documents of a multi-document YAML text. */
function documentLines(text: string): Array<[number, number]> {
  const lines = text.split('\n');
  const ranges: Array<[number, number]> = [];
  let start = 1;
  lines.forEach((line, i) => {
    if (/^---\s*$/.test(line)) {
      if (lines.slice(start - 1, i).some((l) => /^kind:/.test(l))) ranges.push([start, i]);
      start = i + 2;
    }
  });
  if (lines.slice(start - 1).some((l) => /^kind:/.test(l))) ranges.push([start, lines.length]);
  return ranges;
}

/** Whether a finding answers `ID` or `ID@path text`. */
function answers(finding: Finding, want: string): boolean {
  const at = want.indexOf('@');
  if (at < 0) return finding.checkId === want;
  if (finding.checkId !== want.slice(0, at)) return false;
  const text = want.slice(at + 1);
  return [finding.path, ...(finding.occurrences ?? []).map((o) => o.path)].some((p) => p?.includes(text));
}

export interface CaseResult {
  key: string;
  item: PeerCase;
  fired: boolean;
  /** The mapped palisade checks that fired on the case. */
  found: string[];
}

/** Every case of a peer, keyed `check expect: name` (with `#n` among equal keys), judged. */
export function judge(peer: Peer): CaseResult[] {
  const { files, cases } = fixtures(peer);
  const mapping = MAPPING[peer].mapped;
  const outcomes = new Map<string, Finding[]>();
  const run = (names: string[]): Finding[] => {
    const id = names.join('\n');
    let findings = outcomes.get(id);
    if (!findings) {
      const resources = names.flatMap((name) => loadText(name, files[name]!).resources);
      findings = audit({ resources }, { now: new Date('2026-06-01') }).findings.filter((f) => f.suppressed === undefined);
      outcomes.set(id, findings);
    }
    return findings;
  };
  const seen = new Map<string, number>();
  return cases.map((item) => {
    const names = item.files ?? [item.file!];
    const entry = mapping[item.check]!;
    let findings = run(names).filter((f) => entry.palisade.some((want) => answers(f, want)));
    if (item.object && entry.scope !== 'namespace') {
      const text = files[names[0]!]!;
      const ranges = documentLines(text);
      // a binding's grant is reported on the role it grants (the object at fault, with the subject named)
      const spans = [item.object.index, ...(item.object.role === undefined ? [] : [item.object.role])].map((i) => ranges[i]!);
      findings = findings.filter((f) => f.location !== undefined && spans.some(([from, to]) => f.location!.line >= from && f.location!.line <= to));
    }
    const base = `${item.check} ${item.expect}: ${item.name}`;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return { key: n === 1 ? base : `${base} #${n}`, item, fired: findings.length > 0, found: [...new Set(findings.map((f) => f.checkId))].sort() };
  });
}
