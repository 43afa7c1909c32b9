import type { ImagePackage } from '../types.js';
import type { OsvDatabase } from './db.js';
import { normalizePackageName } from './db.js';
import { evaluateAffected } from './range.js';
import { severityOf, type VulnerabilitySeverity } from './severity.js';
import { schemeForEcosystem } from './versions/index.js';

export interface VulnerabilityMatch {
  id: string;
  aliases: string[];
  package: string;
  version: string;
  ecosystem: string;
  purl: string;
  /** The fixed version(s) above the installed one; empty when unfixed. */
  fixedIn: string[];
  severity: VulnerabilitySeverity;
  /** Where the severity came from: "CVSS v3", "database"… */
  severitySource: string;
  score?: number;
  /** affected: the version is in a range. not-evaluable: the advisory names the package but its ranges cannot be evaluated. */
  status: 'affected' | 'not-evaluable';
  reason?: string;
  summary?: string;
  /** The source package the advisory names, when it is not the binary package. */
  sourcePackage?: string;
  layer?: string;
  path: string;
}

/**
 * OSV ecosystems with a release ("Debian:12", "Ubuntu:22.04:LTS") match an image's ecosystem when
 * one is a component-wise prefix of the other; an advisory without a release applies to all.
 */
export function ecosystemMatches(advisoryEcosystem: string, packageEcosystem: string): boolean {
  if (advisoryEcosystem === packageEcosystem) return true;
  const a = advisoryEcosystem.split(':');
  const p = packageEcosystem.split(':');
  const shorter = Math.min(a.length, p.length);
  for (let i = 0; i < shorter; i++) if (a[i] !== p[i]) return false;
  return true;
}

/** The name and version OS advisories use: the source package, for Debian and Alpine. */
function advisoryIdentity(pkg: ImagePackage): { name: string; version: string } {
  return { name: pkg.source?.name ?? pkg.name, version: pkg.source?.version ?? pkg.version };
}

/** Every advisory that affects (or cannot be evaluated against) each package. Pure. */
export function matchPackages(packages: readonly ImagePackage[], database: OsvDatabase): VulnerabilityMatch[] {
  const matches: VulnerabilityMatch[] = [];
  for (const pkg of packages) {
    const identity = advisoryIdentity(pkg);
    const scheme = schemeForEcosystem(pkg.ecosystem);
    const wanted = normalizePackageName(pkg.ecosystem, identity.name);
    for (const advisory of database.lookup(pkg.ecosystem, identity.name)) {
      let result: VulnerabilityMatch | undefined;
      for (const affected of advisory.affected) {
        if (!affected.package || !ecosystemMatches(affected.package.ecosystem, pkg.ecosystem)) continue;
        if (normalizePackageName(pkg.ecosystem, affected.package.name) !== wanted) continue;
        const verdict = evaluateAffected(identity.version, affected, scheme);
        if (verdict.status === 'not-affected') continue;
        const severity = severityOf(advisory, affected);
        const match: VulnerabilityMatch = {
          id: advisory.id,
          aliases: advisory.aliases,
          package: pkg.name,
          version: pkg.version,
          ecosystem: pkg.ecosystem,
          purl: pkg.purl,
          fixedIn: verdict.status === 'affected' ? verdict.fixedIn : [],
          severity: severity.severity,
          severitySource: severity.source,
          ...(severity.score !== undefined ? { score: severity.score } : {}),
          status: verdict.status,
          ...(verdict.status === 'not-evaluable' ? { reason: verdict.reason } : {}),
          ...(advisory.summary !== undefined ? { summary: advisory.summary } : {}),
          ...(identity.name !== pkg.name ? { sourcePackage: identity.name } : {}),
          ...(pkg.layer !== undefined ? { layer: pkg.layer } : {}),
          path: pkg.path,
        };
        // An affected verdict from any entry wins over a not-evaluable one.
        if (!result || (result.status === 'not-evaluable' && match.status === 'affected')) result = match;
        if (result.status === 'affected') break;
      }
      if (result) matches.push(result);
    }
  }
  return matches;
}
