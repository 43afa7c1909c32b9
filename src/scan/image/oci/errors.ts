import { PalisadeError, type ErrorClass } from '../../../core/errors.js';

/** The closed set of codes image reading reports. Tests match these, never the wording. */
export type ImageErrorCode =
  | 'IMAGE_NOT_FOUND'
  | 'IMAGE_UNKNOWN_FORMAT'
  | 'IMAGE_BAD_MANIFEST'
  | 'IMAGE_MISSING_BLOB'
  | 'IMAGE_DIGEST_MISMATCH'
  | 'IMAGE_DIFF_ID_MISMATCH'
  | 'IMAGE_BAD_LAYER'
  | 'IMAGE_NO_PLATFORM'
  | 'IMAGE_REMOTE_FAILED'
  | 'IMAGE_BAD_DIGEST'
  | 'IMAGE_REMOTE_INSECURE'
  | 'IMAGE_REMOTE_LIMIT'
  | 'IMAGE_SCAN_LIMIT'
  | 'IMAGE_LINK';

export function imageError(code: ImageErrorCode, message: string, file: string, errorClass: ErrorClass = 'severe', cause?: unknown): PalisadeError {
  return new PalisadeError(code, message, { errorClass, location: { file, line: 1, column: 1 }, ...(cause === undefined ? {} : { cause }) });
}
