/** Registry credentials, passed in (the engine never reads files or the environment itself). */
export interface Credentials {
  username: string;
  password: string;
}

export type CredentialLookup = (registry: string) => Credentials | undefined;

/** docker.io's credentials live under its v1 index URL in ~/.docker/config.json. */
const DOCKER_HUB_KEYS = ['https://index.docker.io/v1/', 'index.docker.io', 'docker.io', 'registry-1.docker.io'];

/**
 * Credentials from the text of a Docker config.json: `auths.<registry>.auth` (base64 user:password)
 * or `username`/`password`. Credential helpers (credsStore) are not run.
 */
export function dockerConfigCredentials(configText: string): CredentialLookup {
  let auths: Record<string, { auth?: string; username?: string; password?: string }> = {};
  try {
    const parsed = JSON.parse(configText) as { auths?: typeof auths };
    auths = parsed.auths ?? {};
  } catch {
    auths = {};
  }
  const byHost = new Map<string, Credentials>();
  for (const [key, entry] of Object.entries(auths)) {
    const host = key.replace(/^https?:\/\//, '').replace(/\/.*$/, '');
    let credentials: Credentials | undefined;
    if (entry.auth) {
      const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon > 0) credentials = { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
    } else if (entry.username && entry.password) credentials = { username: entry.username, password: entry.password };
    if (credentials) byHost.set(DOCKER_HUB_KEYS.includes(key) || DOCKER_HUB_KEYS.includes(host) ? 'docker.io' : host, credentials);
  }
  return (registry) => byHost.get(registry);
}

export interface Challenge {
  scheme: 'bearer' | 'basic';
  params: Record<string, string>;
}

/** `WWW-Authenticate: Bearer realm="…",service="…",scope="…"` (RFC 6750 / distribution token auth). */
export function parseChallenge(header: string | null): Challenge | undefined {
  if (!header) return undefined;
  const match = /^\s*(Bearer|Basic)\b(.*)$/i.exec(header);
  if (!match) return undefined;
  const params: Record<string, string> = {};
  for (const part of (match[2] as string).matchAll(/([A-Za-z_]+)="([^"]*)"/g)) params[(part[1] as string).toLowerCase()] = part[2] as string;
  return { scheme: (match[1] as string).toLowerCase() as Challenge['scheme'], params };
}

export function basicHeader(credentials: Credentials): string {
  return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
}
