import { describe, expect, it } from 'vitest';
import { isLoopbackHost, resolveConnection, type ConnectionEnvironment } from '../../src/cluster/index.js';
import { PalisadeError } from '../../src/core/errors.js';

/** Which cluster and which credentials: kubeconfig merge order, contexts, exec plugins, in-cluster, plain http. */

const files = (map: Record<string, string>): Pick<ConnectionEnvironment, 'readFile' | 'exists'> => ({
  readFile: (path) => {
    if (!(path in map)) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
    return map[path]!;
  },
  exists: (path) => path in map,
});

const config = (name: string, server: string, extra = ''): string => `apiVersion: v1
kind: Config
current-context: ${name}
contexts:
- name: ${name}
  context: {cluster: ${name}, user: ${name}}
clusters:
- name: ${name}
  cluster: {server: "${server}"}
users:
- name: ${name}
  user: {token: tok-${name}}
${extra}`;

const failure = (run: () => unknown): PalisadeError => {
  try {
    run();
  } catch (error) {
    if (error instanceof PalisadeError) return error;
    throw error;
  }
  throw new Error('expected a PalisadeError');
};

describe('kubeconfig resolution', () => {
  it('merges $KUBECONFIG as kubectl does: the first file to set a name or current-context wins', () => {
    const env = { env: { KUBECONFIG: '/a:/missing:/b' }, ...files({ '/a': config('prod', 'https://prod.example:6443'), '/b': config('dev', 'https://dev.example:6443') }) };
    const prod = resolveConnection({}, env);
    expect(prod.server).toBe('https://prod.example:6443');
    expect(prod.token?.()).toBe('tok-prod');
    expect(prod.origin).toBe('kubeconfig /a:/b, context prod');
    // A context from the second file, chosen by --context.
    expect(resolveConnection({ context: 'dev' }, env).server).toBe('https://dev.example:6443');
  });

  it('uses --kubeconfig over $KUBECONFIG, ~/.kube/config when neither is set, and in-cluster last', () => {
    const fs = files({ '/x': config('x', 'https://x.example'), '/home/u/.kube/config': config('home', 'https://home.example'), '/sa/ca.crt': 'CA', '/sa/token': 'sa-token\n', '/sa/namespace': 'palisade' });
    expect(resolveConnection({ kubeconfig: '/x' }, { env: { KUBECONFIG: '/home/u/.kube/config' }, ...fs }).server).toBe('https://x.example');
    expect(resolveConnection({}, { env: {}, home: '/home/u', ...fs }).server).toBe('https://home.example');
    const inCluster = resolveConnection({}, { env: { KUBERNETES_SERVICE_HOST: 'fd00::1', KUBERNETES_SERVICE_PORT: '443' }, home: '/nohome', serviceAccountDir: '/sa', ...fs });
    expect(inCluster).toMatchObject({ server: 'https://[fd00::1]:443', origin: 'in-cluster service account', namespace: 'palisade' });
    expect(inCluster.token?.()).toBe('sa-token');
    expect(inCluster.ca?.toString()).toBe('CA');
    expect(failure(() => resolveConnection({}, { env: {}, home: '/nohome', ...fs })).message).toMatch(/^no cluster to read/);
  });

  it('resolves relative certificate paths against the kubeconfig file, reads tokenFile each time', () => {
    let token = 'one';
    const text = config('c', 'https://c.example').replace('{server: "https://c.example"}', '{server: "https://c.example", certificate-authority: certs/ca.pem}').replace('{token: tok-c}', '{tokenFile: token.txt, client-certificate: /abs/cert.pem, client-key: key.pem}');
    const connection = resolveConnection(
      { kubeconfig: '/etc/kube/config' },
      {
        env: {},
        readFile: (path) => {
          const map: Record<string, string> = { '/etc/kube/config': text, '/etc/kube/certs/ca.pem': 'CA', '/abs/cert.pem': 'CERT', '/etc/kube/key.pem': 'KEY' };
          if (path === '/etc/kube/token.txt') return token;
          if (!(path in map)) throw new Error(`ENOENT ${path}`);
          return map[path]!;
        },
      },
    );
    expect([connection.ca?.toString(), connection.cert?.toString(), connection.key?.toString()]).toEqual(['CA', 'CERT', 'KEY']);
    expect(connection.token?.()).toBe('one');
    token = 'two';
    expect(connection.token?.()).toBe('two');
  });

  it('runs an exec credential plugin once and caches its token until it expires', () => {
    const calls: string[] = [];
    const text = config('eks', 'https://eks.example').replace('{token: tok-eks}', '\n    exec: {apiVersion: client.authentication.k8s.io/v1beta1, command: aws, args: [eks, get-token], env: [{name: AWS_PROFILE, value: ml}]}');
    const connection = resolveConnection(
      { kubeconfig: '/k' },
      {
        env: { PATH: '/bin' },
        ...files({ '/k': text }),
        exec: (command, args, env) => {
          calls.push(`${command} ${args.join(' ')} ${env.AWS_PROFILE} ${JSON.parse(env.KUBERNETES_EXEC_INFO ?? '{}').apiVersion}`);
          return JSON.stringify({ kind: 'ExecCredential', status: { token: 'k8s-aws-v1.abc', expirationTimestamp: '2999-01-01T00:00:00Z' } });
        },
      },
    );
    expect(connection.token?.()).toBe('k8s-aws-v1.abc');
    expect(connection.token?.()).toBe('k8s-aws-v1.abc');
    expect(calls).toEqual(['aws eks get-token ml client.authentication.k8s.io/v1beta1']);
  });

  it('names file:line:column of what is wrong', () => {
    const text = config('a', 'https://a.example').replace('context: {cluster: a,', 'context: {cluster: nowhere,');
    const error = failure(() => resolveConnection({ kubeconfig: '/k' }, { env: {}, ...files({ '/k': text }) }));
    expect(error.code).toBe('CLUSTER_CONFIG');
    expect(error.message).toBe('context "a" names cluster "nowhere", which no kubeconfig defines');
    expect(error.location).toEqual({ file: '/k', line: 6, column: 22 });
    expect(failure(() => resolveConnection({ kubeconfig: '/k', context: 'b' }, { env: {}, ...files({ '/k': config('a', 'https://a.example') }) })).message).toBe('no context named "b" in /k');
    expect(failure(() => resolveConnection({ kubeconfig: '/k' }, { env: {}, ...files({ '/k': 'clusters: [\n' }) })).location?.file).toBe('/k');
  });

  it('never sends credentials over plain http to a host that is not loopback', () => {
    const error = failure(() => resolveConnection({ kubeconfig: '/k' }, { env: {}, ...files({ '/k': config('a', 'http://10.0.0.1:8080') }) }));
    expect(error.message).toBe('server http://10.0.0.1:8080 is plain http on a non-loopback host: palisade will not send credentials in clear text (use https, or kubectl proxy on 127.0.0.1)');
    // kubectl proxy on loopback is fine.
    expect(resolveConnection({ kubeconfig: '/k' }, { env: {}, ...files({ '/k': config('a', 'http://127.0.0.1:8001') }) }).server).toBe('http://127.0.0.1:8001');
    expect(['localhost', '127.0.0.1', '127.3.4.5', '[::1]', '::ffff:127.0.0.1'].every(isLoopbackHost)).toBe(true);
    expect(['10.0.0.1', 'example.com', '128.0.0.1', 'localhost.example.com', '[::2]'].some(isLoopbackHost)).toBe(false);
  });
});
