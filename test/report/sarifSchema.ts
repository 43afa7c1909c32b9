import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

/**
 * The official SARIF 2.1.0 schema as @microsoft/jest-sarif ships it. It is draft-04; the only
 * draft-04 keyword it uses that Ajv 8 (draft-07) reads differently is the top-level `id`.
 */
export function sarifValidator(): ValidateFunction {
  const require = createRequire(import.meta.url);
  const packageJson = require.resolve('@microsoft/jest-sarif/package.json');
  const schema = JSON.parse(readFileSync(new URL('lib/schemas/sarif-2.1.0-rtm.5.json', pathToFileURL(packageJson)), 'utf8')) as Record<string, unknown>;
  if (schema.$schema !== 'http://json-schema.org/draft-04/schema#') throw new Error(`unexpected SARIF schema dialect ${String(schema.$schema)}`);
  const { $schema: _draft, id: _id, ...draft07 } = schema;
  // The schema's `language` pattern has a stray "]", legal only in non-unicode regular expressions.
  const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
  // ajv-formats is CommonJS: under NodeNext the default import is module.exports, whose `default` is the plugin.
  addFormatsModule.default(ajv);
  return ajv.compile(draft07);
}

