import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/core/config.js';
import { compileGlob, globMatches, policiesFor, policiesFromConfig, readClusterImagePolicies } from '../../src/verify/index.js';
import { POLICY_CONTROLLER } from './fixtures.js';

/** policy-controller's own glob table (sigstore/policy-controller pkg/apis/glob/glob_test.go). */
const UPSTREAM: Array<[image: string, glob: string, match: boolean]> = [
  ['foo', 'index.docker.io/library/foo:latest', true],
  ['foo', 'index.docker.io/library/foo:*', true],
  ['foo', 'index.docker.io/library/*', true],
  ['foo', 'index.docker.io/library/*:latest', true],
  ['foo', 'index.docker.io/*/*', true],
  ['foo', 'index.docker.io/**', true],
  ['foo', 'index.docker.**', true],
  ['foo', 'inde**', true],
  ['foo', '**', true],
  ['foo', 'foo', true],
  ['foo', 'foo*', true],
  ['foo', 'foo**', true],
  ['myuser/myapp', 'index.docker.io/myuser/myapp:latest', true],
  ['myuser/myapp', 'index.docker.io/myuser/myapp:*', true],
  ['myuser/myapp', 'index.docker.io/myuser/*', true],
  ['myuser/myapp', 'index.docker.io/myuser/*:latest', true],
  ['myuser/myapp', 'index.docker.io/*/*', true],
  ['myuser/myapp', 'index.docker.io/**', true],
  ['myuser/myapp', 'myuser/myapp', true],
  ['myuser/myapp', 'myuser/myapp*', true],
  ['ghcr.io/foo/bar', 'ghcr.io/*/*', true],
  ['ghcr.io/foo/bar', 'ghcr.io/**', true],
  ['ghcr.io/foo', 'ghcr.io/*/*', false],
  ['ghcr.io/foo', 'ghcr.io/**', true],
  ['ghcr.io/foo', 'ghc**', true],
  ['ghcr.io/foo', '*/**', true],
  ['ghcr.io/foo', 'ghcr.io/foo*', true],
  ['prefix-ghcr.io/foo', 'ghcr.io/foo', false],
  ['ghcr.io/foo-suffix', 'ghcr.io/foo', false],
  ['ghcrxio/foo', 'ghcr.io/**', false],
  ['invalid&name', '**', false],
  ['invalid-glob', '.+', false],
  ['invalid-glob', '[a-z]*', false],
  ['foo', '*', true],
  ['myuser/myapp', '*/*', true],
];

describe('policy-controller globs', () => {
  it.each(UPSTREAM)('%s against %s', (image, glob, match) => {
    expect(globMatches(glob, image)).toBe(match);
  });

  it('agrees with a naive matcher on generated names (property)', () => {
    // Oracle: * is [^/]*, ** is anything, by backtracking over the pattern characters.
    const naive = (glob: string, name: string): boolean => {
      const go = (g: number, n: number): boolean => {
        if (g === glob.length) return n === name.length;
        if (glob.startsWith('**', g)) return Array.from({ length: name.length - n + 1 }, (_, k) => k).some((k) => go(g + 2, n + k));
        if (glob[g] === '*') {
          for (let k = 0; n + k <= name.length; k++) {
            if (k > 0 && name[n + k - 1] === '/') break;
            if (go(g + 1, n + k)) return true;
          }
          return false;
        }
        return n < name.length && glob[g] === name[n] && go(g + 1, n + 1);
      };
      return go(0, 0);
    };
    const part = fc.constantFrom('a', 'b', 'x.io', 'ml', 'v1');
    const name = fc.tuple(part, part, part).map(([r, a, b]) => `${r}/${a}/${b}:1`);
    const globPart = fc.constantFrom('a', 'b', 'x.io', 'ml', '*', '**', 'v1', ':1', '/');
    fc.assert(
      fc.property(name, fc.array(globPart, { minLength: 1, maxLength: 6 }), (n, parts) => {
        const glob = parts.join('');
        if (glob === '*' || glob === '*/*') return;
        const re = compileGlob(glob);
        expect(re?.test(n)).toBe(naive(glob, n));
      }),
      { numRuns: 300 },
    );
  });
});

describe('ClusterImagePolicy, read as it is', () => {
  const read = (file: string) => readClusterImagePolicies(file, readFileSync(join(POLICY_CONTROLLER, file), 'utf8'));

  it('reads key and keyless authorities, identities and mode', () => {
    const key = read('cip-key.yaml');
    expect(key.errors).toEqual([]);
    expect(key.policies.map((p) => [p.name, p.globs, p.mode, p.policy.authorities.map((a) => (a.keys ? `key:${a.keys[0]?.details}` : 'keyless')), p.unsupported])).toEqual([['ClusterImagePolicy/image-policy-key', ['**demo**'], 'enforce', ['key:PKIX_ECDSA_P256_SHA_256'], []]]);
    const keyless = read('cip-keyless.yaml');
    expect(keyless.policies[0]?.policy.authorities).toEqual([{ name: 'authority-0', identities: [{ subjectRegExp: '.*kubernetes.io/namespaces/default/serviceaccounts/default', issuerRegExp: '.*kubernetes.default.*' }] }]);
    expect(read('cip-keyless-warn.yaml').policies[0]?.mode).toBe('warn');
    expect(read('cip-static-fail.yaml').policies[0]?.staticAction).toEqual({ action: 'fail' });
  });

  it('reports cue and rego attestation bodies as unsupported, never ignores them', () => {
    const withAtt = read('cip-key-with-attestations.yaml');
    const policy = withAtt.policies[0]!;
    expect(policy.policy.attestations?.map((a) => [a.name, a.predicateType])).toEqual([['custom-match-predicate', 'https://cosign.sigstore.dev/attestation/v1']]);
    expect(policy.unsupported).toEqual(['verify custom attestation: attestation custom-match-predicate: policy type cue (cue and rego bodies are not evaluated; use images.policies[].scan for the scan gate)']);
    const keylessAtt = read('cip-keyless-with-attestations.yaml').policies[0]!;
    expect(keylessAtt.unsupported.length).toBeGreaterThan(0);
    expect(policiesFor('registry.local/demo/app:1', [policy]).map((p) => p.name)).toEqual(['ClusterImagePolicy/image-policy-key-with-attestations']);
  });

  it('names file:line:column of a broken policy', () => {
    const text = 'apiVersion: policy.sigstore.dev/v1beta1\nkind: ClusterImagePolicy\nmetadata:\n  name: broken\nspec:\n  images:\n  - glob: "[a-z]*"\n  authorities:\n  - key: {kms: "gcpkms://x"}\n';
    const out = readClusterImagePolicies('cip.yaml', text);
    expect(out.errors.map((e) => [e.code, e.format()])).toEqual([['VERIFY_BAD_POLICY', 'cip.yaml:7:5: ClusterImagePolicy broken: invalid glob "[a-z]*"']]);
    const kms = readClusterImagePolicies('cip.yaml', text.replace('"[a-z]*"', '"ghcr.io/**"'));
    expect(kms.policies[0]?.unsupported).toEqual(['authority-0: key.kms gcpkms://x (gcpkms; export the public key into key.data)']);
  });
});

describe('images: in .palisade.yaml', () => {
  it('validates the section and builds policies', () => {
    const config = parseConfig('.palisade.yaml', 'images:\n  trustedRoot: root.json\n  policies:\n  - name: ml\n    images: ["registry.example.com/ml/**"]\n    keyless:\n    - subject: https://github.com/acme/ml/.github/workflows/release.yml@refs/heads/main\n      issuer: https://token.actions.githubusercontent.com\n    scan: {maxAge: 7d, maxSeverity: high}\n');
    expect(config.images?.noMatch).toBe('deny');
    const [policy] = policiesFromConfig(config.images!, '.palisade.yaml', () => '');
    expect(policy?.policy.scanGate).toEqual({ maxAgeMs: 7 * 86_400_000, maxSeverity: 'high' });
    expect(policy?.policy.authorities.map((a) => a.name)).toEqual(['ml/keyless']);
    expect(() => parseConfig('.palisade.yaml', 'images:\n  policies:\n  - name: x\n    images: ["a/**"]\n    scan: {maxAge: week, maxSeverity: high}\n')).toThrow(/images\.policies\.0\.scan\.maxAge: a duration such as 7d or 168h/);
  });
});
