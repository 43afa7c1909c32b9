import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const pkg = require('../../package.json') as { version: string; homepage?: string };

/** The package version, read once from package.json (dist/core → ../../package.json). */
export const VERSION: string = pkg.version;

/** Where the project is published, when package.json says so; reports link there only then. */
export const HOMEPAGE: string | undefined = pkg.homepage;
