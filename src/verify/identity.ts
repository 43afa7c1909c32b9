import { PalisadeError } from '../core/errors.js';
import type { IdentityMatcher, SignerInfo } from './types.js';

/**
 * Identity matching as cosign's --certificate-identity(-regexp) and --certificate-oidc-issuer(-regexp):
 * exact strings compare exactly; regular expressions must match the whole value (Go's regexp
 * MatchString is unanchored, but an unanchored identity pattern is a classic bypass:
 * `acme` matching `evil-acme.example`; anchoring is the safe reading).
 */
export function compileMatcher(matcher: IdentityMatcher, where: string): IdentityMatcher {
  if (matcher.subject === undefined && matcher.subjectRegExp === undefined) throw new PalisadeError('VERIFY_BAD_IDENTITY', `${where}: a keyless identity needs a subject (--certificate-identity) or subjectRegExp`, { errorClass: 'fatal' });
  if (matcher.issuer === undefined && matcher.issuerRegExp === undefined) throw new PalisadeError('VERIFY_BAD_IDENTITY', `${where}: a keyless identity needs an OIDC issuer (--certificate-oidc-issuer) or issuerRegExp`, { errorClass: 'fatal' });
  for (const pattern of [matcher.subjectRegExp, matcher.issuerRegExp]) {
    if (pattern === undefined) continue;
    try {
      new RegExp(pattern, 'u');
    } catch (cause) {
      throw new PalisadeError('VERIFY_BAD_IDENTITY', `${where}: ${pattern} is not a regular expression: ${(cause as Error).message}`, { errorClass: 'fatal', cause });
    }
  }
  return matcher;
}

function whole(pattern: string, value: string): boolean {
  return new RegExp(`^(?:${pattern})$`, 'u').test(value);
}

export function identityMatches(matcher: IdentityMatcher, signer: SignerInfo): boolean {
  const subject = signer.subject ?? '';
  const issuer = signer.issuer ?? '';
  if (matcher.subject !== undefined && matcher.subject !== subject) return false;
  if (matcher.subjectRegExp !== undefined && !whole(matcher.subjectRegExp, subject)) return false;
  if (matcher.issuer !== undefined && matcher.issuer !== issuer) return false;
  if (matcher.issuerRegExp !== undefined && !whole(matcher.issuerRegExp, issuer)) return false;
  return true;
}

export function describeMatcher(matcher: IdentityMatcher): string {
  const subject = matcher.subject ?? `/${matcher.subjectRegExp ?? ''}/`;
  const issuer = matcher.issuer ?? `/${matcher.issuerRegExp ?? ''}/`;
  return `${subject} from ${issuer}`;
}
