/** Where palisade lives on the web; SARIF viewers link the tool and each rule here. */
export const HOMEPAGE = 'https://github.com/palisade-k8s/palisade';

/**
 * The documentation of a check: its heading in the generated docs/checks.md. GitHub makes a
 * heading's anchor by lower-casing it and dropping punctuation other than "-" and "_".
 */
export function checkDocsUrl(checkId: string): string {
  const anchor = checkId.toLowerCase().replace(/[^a-z0-9_\- ]/g, '').replace(/ /g, '-');
  return `${HOMEPAGE}/blob/main/docs/checks.md#${anchor}`;
}
