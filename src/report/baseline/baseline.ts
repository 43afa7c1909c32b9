import { z } from 'zod';
import type { Finding } from '../../core/types.js';
import { findingFingerprint, occurrenceFingerprint, occurrenceFingerprints } from '../fingerprint.js';

/**
 * A baseline is an earlier report (`--format json`, or `--format sarif`): findings it already holds
 * are not reported again. Matching is by check, object and a fingerprint that ignores lines and
 * columns (see fingerprint.ts), so edits above a finding do not make it new, while a new container
 * with an old problem is new.
 */
export interface Baseline {
  /** Fingerprints of single occurrences (check, object, pointer). */
  occurrences: ReadonlySet<string>;
  /** Fingerprints of whole findings (check, object), from SARIF files that carry no occurrence list. */
  findings: ReadonlySet<string>;
}

const ResourceSchema = z.object({ apiVersion: z.string(), kind: z.string(), namespace: z.string().optional(), name: z.string() });
const LocationSchema = z.object({ file: z.string(), line: z.number(), column: z.number() });
const JsonFindingSchema = z.object({
  checkId: z.string(),
  message: z.string(),
  resource: ResourceSchema.optional(),
  path: z.string().optional(),
  location: LocationSchema.optional(),
  occurrences: z.array(z.object({ message: z.string(), path: z.string().optional() })).optional(),
});
const JsonReportSchema = z.object({ tool: z.object({ name: z.string() }), findings: z.array(JsonFindingSchema) });
const SarifSchema = z.object({
  version: z.literal('2.1.0'),
  runs: z.array(
    z.object({
      results: z
        .array(
          z.object({
            partialFingerprints: z.record(z.string(), z.string()).optional(),
            properties: z.object({ fingerprints: z.array(z.string()).optional() }).passthrough().optional(),
          }),
        )
        .default([]),
    }),
  ),
});

/** Read a baseline; a string is an error message (what was expected). */
export function parseBaseline(text: string): Baseline | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return `not JSON (${(error as Error).message}); expected a palisade --format json or --format sarif report`;
  }
  const json = JsonReportSchema.safeParse(value);
  if (json.success) {
    const occurrences = new Set<string>();
    for (const finding of json.data.findings) for (const fp of occurrenceFingerprints(finding as Finding)) occurrences.add(fp);
    return { occurrences, findings: new Set() };
  }
  const sarif = SarifSchema.safeParse(value);
  if (sarif.success) {
    const occurrences = new Set<string>();
    const findings = new Set<string>();
    for (const run of sarif.data.runs) {
      for (const result of run.results) {
        const listed = result.properties?.fingerprints;
        // palisade 0.1 wrote one result per occurrence, with its occurrence fingerprint as v1.
        const v1 = result.partialFingerprints?.['palisadeFinding/v1'];
        if (listed) for (const fp of listed) occurrences.add(fp);
        else if (v1) occurrences.add(v1);
        else if (result.partialFingerprints?.[FINGERPRINT_KEY]) findings.add(result.partialFingerprints[FINGERPRINT_KEY]);
      }
    }
    return { occurrences, findings };
  }
  return 'expected a palisade report: --format json ({tool, findings: [...]}) or --format sarif (SARIF 2.1.0)';
}

/** The SARIF partialFingerprints key; bump it when the fingerprint's inputs change. */
export const FINGERPRINT_KEY = 'palisadeFinding/v2';

/** Findings (not yet grouped) that the baseline does not hold, and those it held. */
export function newFindings(findings: readonly Finding[], baseline: Baseline): { findings: Finding[]; known: Finding[] } {
  const kept: Finding[] = [];
  const known: Finding[] = [];
  for (const f of findings) {
    const occurrences = f.occurrences ?? [{ path: f.path, message: f.message }];
    const fresh = occurrences.filter((o) => !baseline.occurrences.has(occurrenceFingerprint(f.resource ? f : { ...f, message: o.message }, o.path)));
    (fresh.length > 0 && !baseline.findings.has(findingFingerprint(f)) ? kept : known).push(f);
  }
  return { findings: kept, known };
}
