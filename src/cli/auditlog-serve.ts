/**
 * `palisade audit-log serve`: the API server's audit webhook backend. The API server POSTs
 * EventList bodies (--audit-webhook-config-file points at this URL); each batch is evaluated and
 * its alerts are written to stdout, and only then answered 200, so an acknowledged batch is never
 * lost. Non-2xx answers make the API server retry the batch; re-delivered events are recognised
 * by auditID and alert once.
 */
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:https';
import { hostname } from 'node:os';
import { PalisadeError } from '../core/errors.js';
import { alertToFinding, eventsOf, falcoAlertJson, newEngine } from '../auditlog/index.js';
import { loadRulesFromFlags, type AuditLogFlags } from './auditlog.js';

export interface ServeFlags extends AuditLogFlags {
  listen: string;
  tlsCert: string;
  tlsKey: string;
  clientCa?: string;
  maxBody: number;
}

function parseListen(listen: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d+)$/.exec(listen);
  if (!m) throw new PalisadeError('USAGE', `--listen expects host:port, got "${listen}"`, { errorClass: 'fatal' });
  return { host: m[1] ?? m[2] ?? '', port: Number(m[3]) };
}

function write(text: string): Promise<void> {
  return new Promise((resolve, reject) => process.stdout.write(text, (error) => (error ? reject(error) : resolve())));
}

export async function serveAuditWebhook(flags: ServeFlags): Promise<void> {
  const { host, port } = parseListen(flags.listen);
  const read = async (path: string, what: string): Promise<Buffer> => {
    try {
      return await readFile(path);
    } catch (cause) {
      throw new PalisadeError('CONFIG_NOT_FOUND', `cannot read ${what} ${path}: ${(cause as Error).message}`, { errorClass: 'fatal', cause });
    }
  };
  const cert = await read(flags.tlsCert, '--tls-cert');
  const key = await read(flags.tlsKey, '--tls-key');
  const ca = flags.clientCa ? await read(flags.clientCa, '--client-ca') : undefined;
  const loaded = await loadRulesFromFlags(flags);
  for (const e of [...loaded.errors, ...loaded.warnings]) process.stderr.write(`palisade: ${e.format()}\n`);
  if (loaded.enabled.length === 0) throw new PalisadeError('CONFIG_INVALID', 'no rule could be loaded', { errorClass: 'fatal' });
  const engine = newEngine(loaded, { ruleMatching: flags.ruleMatching ?? 'all' });
  const host_ = hostname();
  let batches = 0;
  // One batch at a time: alerts keep the order of arrival and the auditID memory stays consistent.
  let queue: Promise<void> = Promise.resolve();

  const server = createServer({ cert, key, ...(ca ? { ca, requestCert: true, rejectUnauthorized: true } : {}) }, (req, res) => {
    const answer = (code: number, body: string): void => {
      res.writeHead(code, { 'content-type': 'application/json' });
      res.end(body);
    };
    if (req.method === 'GET' && (req.url === '/healthz' || req.url === '/readyz')) return answer(200, '{"status":"ok"}');
    if (req.method !== 'POST') return answer(405, '{"error":"POST an audit.k8s.io EventList"}');
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > flags.maxBody) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => {
      if (tooLarge) return answer(413, JSON.stringify({ error: `body larger than ${flags.maxBody} bytes` }));
      let value: unknown;
      try {
        value = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch (error) {
        return answer(400, JSON.stringify({ error: `not JSON: ${(error as Error).message}` }));
      }
      const batch = eventsOf(value);
      if ('error' in batch) return answer(400, JSON.stringify({ error: batch.error }));
      const n = ++batches;
      queue = queue.then(async () => {
        let out = '';
        batch.events.forEach((event, i) => {
          for (const alert of engine.process(event, { file: `webhook#${n}`, line: i + 1, column: 1 })) {
            out += JSON.stringify(flags.format === 'json' ? alertToFinding(alert) : falcoAlertJson(alert, host_)) + '\n';
          }
        });
        try {
          if (out) await write(out);
          answer(200, '{}');
        } catch (error) {
          answer(500, JSON.stringify({ error: `alerts could not be written: ${(error as Error).message}` }));
        }
      });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host || undefined, () => resolve());
  });
  const address = server.address();
  const shown = typeof address === 'object' && address ? `${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}` : flags.listen;
  process.stderr.write(`palisade audit-log: listening on https://${shown} (${loaded.enabled.length} rules)\n`);
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      server.close(() => resolve());
      server.closeAllConnections();
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
}
