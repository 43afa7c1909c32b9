import { LineCounter, parseDocument, isNode } from 'yaml';
import { z } from 'zod';
import { PalisadeError } from '../../../core/errors.js';
import { DEFAULT_MAX_DEPTH, jsonTooDeepAt } from '../../../core/load.js';
import type { Location } from '../../../core/types.js';

/**
 * The parts of each report format whose shape decides which vulnerabilities palisade sees, as zod
 * schemas. A report that is wrong there (`Results` that is not a list, a Trivy vulnerability
 * without an id, a VEX status outside the spec) is refused with the field named, instead of being
 * read as "no vulnerabilities" and passing the gate. Metadata (names, times, targets) and every
 * other field are left to the readers, which take what is usable: scanners' versions differ there
 * (an old Trivy writes CreatedAt as a number), and that must not refuse a report.
 * Sources: Trivy's JSON report (pkg/types/report.go), Grype's JSON presenter (grype/presenter/models),
 * CycloneDX 1.4–1.7 `vulnerabilities`, OpenVEX v0.2.0 (and v0.0.x, whose `vulnerability` is a string).
 */
const optionalText = z.string().nullish();
const listOf = <T extends z.ZodType>(item: T) => z.array(item).nullish();
const anyObject = z.looseObject({});

export const TRIVY_REPORT = z.looseObject({
  Results: listOf(z.looseObject({ Vulnerabilities: listOf(z.looseObject({ VulnerabilityID: z.string().min(1), PkgIdentifier: anyObject.nullish() })) })),
});

export const GRYPE_REPORT = z.looseObject({
  matches: z.array(
    z.looseObject({
      vulnerability: z.looseObject({ id: z.string().min(1), fix: z.looseObject({ versions: listOf(z.string()) }).nullish() }),
      relatedVulnerabilities: listOf(anyObject),
      artifact: anyObject,
    }),
  ),
});

export const CYCLONEDX_VULNERABILITIES = z.looseObject({
  vulnerabilities: listOf(
    z.looseObject({
      // optional in the CycloneDX schema; an entry without one names nothing to gate on
      id: optionalText,
      ratings: listOf(anyObject),
      affects: listOf(z.looseObject({ ref: z.string().min(1), versions: listOf(anyObject) })),
      analysis: anyObject.nullish(),
    }),
  ),
});

export const VEX_STATUSES = ['not_affected', 'affected', 'fixed', 'under_investigation'] as const;

export const OPENVEX_DOCUMENT = z.looseObject({
  '@context': z.string(),
  statements: z.array(
    z.looseObject({
      vulnerability: z.union([z.string().min(1), z.looseObject({ name: optionalText, '@id': optionalText, aliases: listOf(z.string()) })]),
      status: z.enum(VEX_STATUSES),
      products: listOf(z.looseObject({ subcomponents: listOf(anyObject) })),
    }),
  ),
});

const MAX_LOCATED_TEXT = 32 * 1024 * 1024;

/** The JSON text's position of a path ("Results", 2, "Vulnerabilities"...), or of its nearest parent that exists. */
function locate(file: string, text: string, path: ReadonlyArray<PropertyKey>): Location {
  // Positions come from a YAML parse of the JSON text: skipped for texts too large or too deep to parse twice safely.
  if (text.length > MAX_LOCATED_TEXT || jsonTooDeepAt(text, 0, text.length, DEFAULT_MAX_DEPTH) >= 0) return { file, line: 1, column: 1 };
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, uniqueKeys: false });
  for (let depth = path.length; depth >= 0; depth--) {
    const node: unknown = document.getIn(path.slice(0, depth).map((k) => (typeof k === 'symbol' ? String(k) : k)), true);
    if (isNode(node) && node.range) {
      const { line, col } = lineCounter.linePos(node.range[0]);
      return { file, line, column: col };
    }
  }
  return { file, line: 1, column: 1 };
}

const pathText = (path: ReadonlyArray<PropertyKey>): string => path.reduce<string>((out, k) => (typeof k === 'number' ? `${out}[${k}]` : `${out}${out ? '.' : ''}${String(k)}`), '') || '(top level)';

/**
 * `doc` checked against `schema`; on failure, REPORT_INVALID naming the first fields that are wrong
 * (what was expected), located at the first one. Reports are at most a few hundred MB of JSON; the
 * text is parsed for positions only when the report is refused.
 */
export function validateReport<T extends z.ZodType>(schema: T, file: string, text: string, doc: unknown, format: string): { value: z.infer<T> } | { error: PalisadeError } {
  const checked = schema.safeParse(doc);
  if (checked.success) return { value: checked.data };
  const issues = checked.error.issues.slice(0, 3).map((i) => `${pathText(i.path)}: ${i.message}`);
  const more = checked.error.issues.length > 3 ? ` (and ${checked.error.issues.length - 3} more)` : '';
  const location = locate(file, text, checked.error.issues[0]?.path ?? []);
  return { error: new PalisadeError('REPORT_INVALID', `${file}: not a valid ${format} document: ${issues.join('; ')}${more}`, { errorClass: 'fatal', location }) };
}
