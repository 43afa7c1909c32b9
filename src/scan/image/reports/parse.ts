import { compareSeverity } from '../vuln/index.js';
import { packagesFromCycloneDx, packagesFromSpdx } from './sbom.js';
import { normalizeSeverity } from './severity.js';
import type { IngestedReport, ReportedVulnerability, VexStatement } from './types.js';
import { isPlainObject } from '../../../core/object.js';

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** Trivy JSON, SchemaVersion 2: Results[].Vulnerabilities[]. A missing Status stays unknown, never "fixed". */
export function readTrivy(file: string, doc: Record<string, unknown>): IngestedReport {
  const vulnerabilities: ReportedVulnerability[] = [];
  for (const result of list(doc.Results).filter(isPlainObject)) {
    for (const v of list(result.Vulnerabilities).filter(isPlainObject)) {
      const id = str(v.VulnerabilityID);
      if (!id) continue;
      const identifier = isPlainObject(v.PkgIdentifier) ? v.PkgIdentifier : {};
      const purl = str(identifier.PURL);
      const status = str(v.Status);
      vulnerabilities.push({
        id,
        aliases: [],
        package: str(v.PkgName) ?? '',
        version: str(v.InstalledVersion) ?? '',
        ...(purl ? { purl } : {}),
        fixedIn: (str(v.FixedVersion) ?? '').split(/,\s*/).filter(Boolean),
        severity: normalizeSeverity(v.Severity),
        ...(status ? { status } : {}),
        ...(str(result.Target) ? { target: str(result.Target) as string } : {}),
      });
    }
  }
  const artifact = str(doc.ArtifactName);
  const createdAt = str(doc.CreatedAt);
  return { file, format: 'trivy', ...(artifact ? { artifact } : {}), ...(createdAt ? { createdAt } : {}), vulnerabilities, vex: [] };
}

/** Grype JSON: matches[] of {vulnerability, relatedVulnerabilities, artifact}. */
export function readGrype(file: string, doc: Record<string, unknown>): IngestedReport {
  const vulnerabilities: ReportedVulnerability[] = [];
  for (const match of list(doc.matches).filter(isPlainObject)) {
    const v = isPlainObject(match.vulnerability) ? match.vulnerability : {};
    const artifact = isPlainObject(match.artifact) ? match.artifact : {};
    const id = str(v.id);
    if (!id) continue;
    const fix = isPlainObject(v.fix) ? v.fix : {};
    const purl = str(artifact.purl);
    const status = str(fix.state);
    const location = list(artifact.locations).filter(isPlainObject)[0];
    vulnerabilities.push({
      id,
      aliases: list(match.relatedVulnerabilities).filter(isPlainObject).flatMap((r) => (str(r.id) && r.id !== id ? [r.id as string] : [])),
      package: str(artifact.name) ?? '',
      version: str(artifact.version) ?? '',
      ...(purl ? { purl } : {}),
      fixedIn: status === 'fixed' ? list(fix.versions).filter((x): x is string => typeof x === 'string') : [],
      severity: normalizeSeverity(v.severity),
      ...(status ? { status } : {}),
      ...(location && str(location.path) ? { target: location.path as string } : {}),
    });
  }
  const source = isPlainObject(doc.source) ? doc.source : {};
  const target = isPlainObject(source.target) ? str(source.target.userInput) : str(source.target);
  const descriptor = isPlainObject(doc.descriptor) ? doc.descriptor : {};
  const createdAt = str(descriptor.timestamp);
  return { file, format: 'grype', ...(target ? { artifact: target } : {}), ...(createdAt ? { createdAt } : {}), vulnerabilities, vex: [] };
}

/**
 * A CycloneDX affects[].ref: a bom-ref, or a BOM-Link `urn:cdx:<serial>/<version>#<bom-ref>`. The
 * fragment is kept as written: producers differ on encoding it, and purl matching decodes anyway.
 */
function bomRef(ref: string): string {
  const hash = ref.startsWith('urn:cdx:') ? ref.indexOf('#') : -1;
  return hash >= 0 ? ref.slice(hash + 1) : ref;
}

const CDX_VEX_STATES: Readonly<Record<string, VexStatement['status']>> = {
  not_affected: 'not_affected',
  false_positive: 'not_affected',
  resolved: 'fixed',
  resolved_with_pedigree: 'fixed',
  exploitable: 'affected',
  in_triage: 'under_investigation',
};

/**
 * CycloneDX (1.4–1.7) with vulnerabilities: each affects[].ref names a component; severity is the
 * worst of the ratings; an `analysis` is a VEX statement about the affected components.
 */
export function readCycloneDx(file: string, doc: Record<string, unknown>): IngestedReport {
  const components = new Map<string, Record<string, unknown>>();
  const walk = (items: unknown): void => {
    for (const c of list(items).filter(isPlainObject)) {
      const ref = str(c['bom-ref']);
      if (ref) components.set(ref, c);
      walk(c.components);
    }
  };
  walk(doc.components);
  const metadata = isPlainObject(doc.metadata) ? doc.metadata : {};
  if (isPlainObject(metadata.component)) walk([metadata.component]);
  const vulnerabilities: ReportedVulnerability[] = [];
  const vex: VexStatement[] = [];
  for (const v of list(doc.vulnerabilities).filter(isPlainObject)) {
    const id = str(v.id);
    if (!id) continue;
    const severity = list(v.ratings)
      .filter(isPlainObject)
      .map((r) => normalizeSeverity(r.severity))
      .reduce((worst, s) => (compareSeverity(s, worst) > 0 ? s : worst), 'unknown' as ReturnType<typeof normalizeSeverity>);
    const aliases = list(v.references).filter(isPlainObject).flatMap((r) => (str(r.id) ? [r.id as string] : []));
    const affects = list(v.affects).filter(isPlainObject).flatMap((a) => (str(a.ref) ? [{ ref: bomRef(a.ref as string), versions: list(a.versions).filter(isPlainObject) }] : []));
    const purls: string[] = [];
    for (const { ref, versions } of affects) {
      const component = components.get(ref);
      const purl = str(component?.purl) ?? (ref.startsWith('pkg:') ? ref : undefined);
      if (purl) purls.push(purl);
      vulnerabilities.push({
        id,
        aliases,
        package: str(component?.name) ?? ref,
        version: str(component?.version) ?? '',
        ...(purl ? { purl } : {}),
        // affects[].versions marked unaffected are the structured form of "fixed in".
        fixedIn: versions.flatMap((x) => (x.status === 'unaffected' && str(x.version) ? [x.version as string] : [])),
        severity,
        ...(isPlainObject(v.analysis) && str(v.analysis.state) ? { status: v.analysis.state as string } : {}),
      });
    }
    const analysis = isPlainObject(v.analysis) ? v.analysis : undefined;
    const state = analysis ? CDX_VEX_STATES[str(analysis.state) ?? ''] : undefined;
    if (analysis && state) {
      const justification = str(analysis.justification);
      vex.push({ vulnerability: id, aliases, products: purls, status: state, ...(justification ? { justification } : {}), source: file });
    }
  }
  const createdAt = str(metadata.timestamp);
  const artifact = isPlainObject(metadata.component) ? str(metadata.component.name) : undefined;
  return { file, format: 'cyclonedx', ...(artifact ? { artifact } : {}), ...(createdAt ? { createdAt } : {}), vulnerabilities, vex, packages: packagesFromCycloneDx(file, doc) };
}

/** OpenVEX v0.2.0 statements: vulnerability by @id or name, products and their subcomponents. */
export function readOpenVex(file: string, doc: Record<string, unknown>): VexStatement[] {
  const statements: VexStatement[] = [];
  for (const s of list(doc.statements).filter(isPlainObject)) {
    // OpenVEX v0.0.x names the vulnerability with a string; v0.2.0 with an object.
    const vulnerability = isPlainObject(s.vulnerability) ? s.vulnerability : { name: s.vulnerability };
    const id = str(vulnerability.name) ?? str(vulnerability['@id']);
    const status = str(s.status);
    if (!id || !status || !['not_affected', 'fixed', 'affected', 'under_investigation'].includes(status)) continue;
    const products = list(s.products)
      .filter(isPlainObject)
      .flatMap((p) => [str(p['@id']), ...list(p.subcomponents).filter(isPlainObject).map((c) => str(c['@id']))])
      .filter((p): p is string => p !== undefined);
    const justification = str(s.justification);
    statements.push({
      vulnerability: id,
      aliases: list(vulnerability.aliases).filter((a): a is string => typeof a === 'string'),
      products,
      status: status as VexStatement['status'],
      ...(justification ? { justification } : {}),
      source: file,
    });
  }
  return statements;
}

/** SPDX 2.x JSON: an SBOM without vulnerability findings, its packages for re-matching. */
export function readSpdx(file: string, doc: Record<string, unknown>): IngestedReport {
  const created = isPlainObject(doc.creationInfo) ? str(doc.creationInfo.created) : undefined;
  const name = str(doc.name);
  return { file, format: 'spdx', ...(name ? { artifact: name } : {}), ...(created ? { createdAt: created } : {}), vulnerabilities: [], vex: [], packages: packagesFromSpdx(file, doc) };
}
