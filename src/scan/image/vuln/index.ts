export { cvss2BaseScore, cvss3BaseScore, severityOfScore } from './cvss.js';
export { indexAdvisories, listFiles, loadOsvDatabase, normalizePackageName, type LoadedDatabase, type OsvDatabase } from './db.js';
export { ecosystemMatches, matchPackages, type VulnerabilityMatch } from './match.js';
export { readAdvisory, type OsvAdvisory, type OsvAffected, type OsvRange } from './osv.js';
export { evaluateAffected, inRange, type AffectedVerdict } from './range.js';
export { compareSeverity, severityOf, type VulnerabilitySeverity } from './severity.js';
export * from './versions/index.js';
