import { createRequire } from 'node:module';
import type { Severity } from '../../../core/types.js';

// A 190 KB CommonJS bundle (40 ms to load): required on the first v4 vector, not at start-up.
type Calculator = typeof import('ae-cvss-calculator');
let calculator: Calculator | undefined;
const loadCalculator = (): Calculator => (calculator ??= createRequire(import.meta.url)('ae-cvss-calculator') as Calculator);

/**
 * CVSS scores from vector strings: v3.1 and v2 by the formulas of their specifications (FIRST);
 * v4.0 by ae-cvss-calculator (its MacroVector lookup tables and interpolation are those of FIRST's
 * reference calculator), after the vector is checked here against the v4.0 specification, since
 * the library scores a malformed vector as 0 instead of refusing it.
 */
const V3_WEIGHTS = {
  AV: { N: 0.85, A: 0.62, L: 0.55, P: 0.2 },
  AC: { L: 0.77, H: 0.44 },
  UI: { N: 0.85, R: 0.62 },
  CIA: { H: 0.56, L: 0.22, N: 0 },
} as const;

function metrics(vector: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const part of vector.split('/')) {
    const [key, value] = part.split(':');
    if (key && value) map.set(key, value);
  }
  return map;
}

/** CVSS v3.1 Roundup: the smallest number with one decimal that is >= the input. */
function roundUp(value: number): number {
  const integer = Math.round(value * 100000);
  return integer % 10000 === 0 ? integer / 100000 : (Math.floor(integer / 10000) + 1) / 10;
}

function pick<T extends Record<string, number>>(table: T, value: string | undefined): number | undefined {
  return value !== undefined && Object.hasOwn(table, value) ? table[value as keyof T] : undefined;
}

export function cvss3BaseScore(vector: string): number | undefined {
  if (!/^CVSS:3\.[01]\//.test(vector)) return undefined;
  const m = metrics(vector);
  const scope = m.get('S');
  const av = pick(V3_WEIGHTS.AV, m.get('AV'));
  const ac = pick(V3_WEIGHTS.AC, m.get('AC'));
  const ui = pick(V3_WEIGHTS.UI, m.get('UI'));
  const pr = pick(scope === 'C' ? { N: 0.85, L: 0.68, H: 0.5 } : { N: 0.85, L: 0.62, H: 0.27 }, m.get('PR'));
  const c = pick(V3_WEIGHTS.CIA, m.get('C'));
  const i = pick(V3_WEIGHTS.CIA, m.get('I'));
  const a = pick(V3_WEIGHTS.CIA, m.get('A'));
  if (av === undefined || ac === undefined || ui === undefined || pr === undefined || c === undefined || i === undefined || a === undefined || (scope !== 'U' && scope !== 'C')) return undefined;
  const iss = 1 - (1 - c) * (1 - i) * (1 - a);
  const impact = scope === 'U' ? 6.42 * iss : 7.52 * (iss - 0.029) - 3.25 * Math.pow(iss - 0.02, 15);
  const exploitability = 8.22 * av * ac * pr * ui;
  if (impact <= 0) return 0;
  return scope === 'U' ? roundUp(Math.min(impact + exploitability, 10)) : roundUp(Math.min(1.08 * (impact + exploitability), 10));
}

export function cvss2BaseScore(vector: string): number | undefined {
  const m = metrics(vector.replace(/^\(|\)$/g, ''));
  const av = pick({ L: 0.395, A: 0.646, N: 1.0 }, m.get('AV'));
  const ac = pick({ H: 0.35, M: 0.61, L: 0.71 }, m.get('AC'));
  const au = pick({ M: 0.45, S: 0.56, N: 0.704 }, m.get('Au'));
  const cia = { N: 0, P: 0.275, C: 0.66 };
  const c = pick(cia, m.get('C'));
  const i = pick(cia, m.get('I'));
  const a = pick(cia, m.get('A'));
  if (av === undefined || ac === undefined || au === undefined || c === undefined || i === undefined || a === undefined) return undefined;
  const impact = 10.41 * (1 - (1 - c) * (1 - i) * (1 - a));
  const exploitability = 20 * av * ac * au;
  const f = impact === 0 ? 0 : 1.176;
  return Math.round((0.6 * impact + 0.4 * exploitability - 1.5) * f * 10) / 10;
}

/**
 * The metrics of CVSS v4.0 and their values (specification §2–§5, and §7's vector string): the
 * eleven base metrics are required, the threat, environmental and supplemental ones optional.
 */
const V4_METRICS: Readonly<Record<string, readonly string[]>> = {
  AV: ['N', 'A', 'L', 'P'], AC: ['L', 'H'], AT: ['N', 'P'], PR: ['N', 'L', 'H'], UI: ['N', 'P', 'A'],
  VC: ['H', 'L', 'N'], VI: ['H', 'L', 'N'], VA: ['H', 'L', 'N'], SC: ['H', 'L', 'N'], SI: ['H', 'L', 'N'], SA: ['H', 'L', 'N'],
  E: ['X', 'A', 'P', 'U'],
  CR: ['X', 'H', 'M', 'L'], IR: ['X', 'H', 'M', 'L'], AR: ['X', 'H', 'M', 'L'],
  MAV: ['X', 'N', 'A', 'L', 'P'], MAC: ['X', 'L', 'H'], MAT: ['X', 'N', 'P'], MPR: ['X', 'N', 'L', 'H'], MUI: ['X', 'N', 'P', 'A'],
  MVC: ['X', 'H', 'L', 'N'], MVI: ['X', 'H', 'L', 'N'], MVA: ['X', 'H', 'L', 'N'], MSC: ['X', 'H', 'L', 'N'], MSI: ['X', 'S', 'H', 'L', 'N'], MSA: ['X', 'S', 'H', 'L', 'N'],
  S: ['X', 'N', 'P'], AU: ['X', 'N', 'Y'], R: ['X', 'A', 'U', 'I'], V: ['X', 'D', 'C'], RE: ['X', 'L', 'M', 'H'], U: ['X', 'Clear', 'Green', 'Amber', 'Red'],
};
const V4_BASE = ['AV', 'AC', 'AT', 'PR', 'UI', 'VC', 'VI', 'VA', 'SC', 'SI', 'SA'];

/** CVSS v4.0 score (CVSS-B, or CVSS-BT/BE/BTE when the vector carries those metrics); undefined for a malformed vector. */
export function cvss4Score(vector: string): number | undefined {
  const [prefix, ...parts] = vector.trim().split('/');
  if (prefix !== 'CVSS:4.0') return undefined;
  const seen = new Set<string>();
  for (const part of parts) {
    const [key, value, extra] = part.split(':');
    if (key === undefined || value === undefined || extra !== undefined || seen.has(key) || !Object.hasOwn(V4_METRICS, key) || !V4_METRICS[key]!.includes(value)) return undefined;
    seen.add(key);
  }
  if (!V4_BASE.every((k) => seen.has(k))) return undefined;
  const score = new (loadCalculator().Cvss4P0)(vector.trim()).calculateScores().overall;
  return typeof score === 'number' && Number.isFinite(score) ? score : undefined;
}

/** CVSS v3 and v4 qualitative rating (the same bands); v2 scores use NVD's three bands. */
export function severityOfScore(score: number, version: 2 | 3 | 4): Severity | 'none' {
  if (version === 2) return score >= 7 ? 'high' : score >= 4 ? 'medium' : 'low';
  if (score === 0) return 'none';
  return score >= 9 ? 'critical' : score >= 7 ? 'high' : score >= 4 ? 'medium' : 'low';
}
