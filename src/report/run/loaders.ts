import type { Reporter } from '../types.js';

/**
 * Each format's module, loaded only when that format is written: a text report of a small scan
 * never pays for the HTML page's client code (start-up of `palisade scan model`, issue 23).
 */
export const REPORTER_MODULES: Record<string, (() => Promise<Reporter>) | undefined> = {
  text: async () => (await import('../text.js')).text,
  json: async () => (await import('../json.js')).json,
  sarif: async () => (await import('../sarif.js')).sarif,
  junit: async () => (await import('../junit.js')).junit,
  policyreport: async () => (await import('../policyreport.js')).policyreport,
  github: async () => (await import('../github.js')).github,
  html: async () => (await import('../html/index.js')).html,
};

/** The PolicyReport documents themselves (for writing them back to a cluster), loaded on use. */
export const loadPolicyReportDocuments = async (): Promise<typeof import('../policyreport.js').policyReportDocuments> => (await import('../policyreport.js')).policyReportDocuments;
