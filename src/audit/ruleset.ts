/**
 * The registry of every family's rules and its compliance views, without loading the audit engine:
 * `checks list`, the reporters' rule descriptors and `audit --framework` read it on every run.
 */
export { allRules, catalogue, type CatalogueEntry } from './catalogue.js';
export { complianceView, filterByFramework, type ComplianceView } from './compliance.js';
export { inputErrors, type InputErrorEntry } from './inputErrors.js';
