import type { Location } from './types.js';

/**
 * Errors are values with a code and a location (DESIGN.md). Only the CLI turns them into text and
 * an exit code; tests match `code`, never the wording.
 *  - fatal: the input could not be used at all
 *  - severe: part of the input was lost; results for the rest are still true
 *  - warning: worth telling, nothing lost
 */
export type ErrorClass = 'fatal' | 'severe' | 'warning';

export type LoadErrorCode =
  | 'LOAD_NOT_FOUND'
  | 'LOAD_READ_FAILED'
  | 'LOAD_YAML_SYNTAX'
  | 'LOAD_DUPLICATE_KEY'
  | 'LOAD_NOT_AN_OBJECT'
  | 'LOAD_ALIAS_BOMB'
  | 'LOAD_BAD_LIST'
  | 'LOAD_TOO_DEEP'
  | 'LOAD_NOT_REGULAR'
  | 'LOAD_SYMLINK';

export type ConfigErrorCode = 'CONFIG_INVALID' | 'CONFIG_NOT_FOUND' | 'USAGE';

export type ErrorCode = LoadErrorCode | ConfigErrorCode | (string & {});

export class PalisadeError extends Error {
  readonly code: ErrorCode;
  readonly location?: Location;
  readonly errorClass: ErrorClass;

  constructor(code: ErrorCode, message: string, options: { location?: Location; errorClass?: ErrorClass; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'PalisadeError';
    this.code = code;
    if (options.location) this.location = options.location;
    this.errorClass = options.errorClass ?? 'severe';
  }

  /** "file:line:column: message", the way compilers print it. */
  format(): string {
    const where = this.location ? `${this.location.file}:${this.location.line}:${this.location.column}: ` : '';
    return `${where}${this.message}`;
  }

  toJSON(): { code: string; message: string; location?: Location; class: ErrorClass } {
    return { code: this.code, message: this.message, ...(this.location ? { location: this.location } : {}), class: this.errorClass };
  }
}
