import { HOMEPAGE } from '../core/version.js';

/** Where palisade lives on the web (package.json `homepage`); reports omit links when it is unset. */
export { HOMEPAGE };

/**
 * The documentation of a check: its heading in the generated docs/checks.md. GitHub makes a
 * heading's anchor by lower-casing it and dropping punctuation other than "-" and "_".
 */
export function checkDocsUrl(checkId: string): string | undefined {
  if (!HOMEPAGE) return undefined;
  const anchor = checkId.toLowerCase().replace(/[^a-z0-9_\- ]/g, '').replace(/ /g, '-');
  return `${HOMEPAGE}/blob/main/docs/checks.md#${anchor}`;
}
