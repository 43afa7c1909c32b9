import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';

/**
 * Just enough X.509 to give the webhook a CA and a serving certificate without openssl:
 * ECDSA P-256 keys, DER written by hand (RFC 5280 field order), signed with node:crypto.
 * Used by `palisade install --print` (self-signed CA, caBundle filled in) and the tests.
 */

type Bytes = Buffer;

function length(n: number): Bytes {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}
const tlv = (tag: number, content: Bytes): Bytes => Buffer.concat([Buffer.from([tag]), length(content.length), content]);
const seq = (...items: Bytes[]): Bytes => tlv(0x30, Buffer.concat(items));
const set = (...items: Bytes[]): Bytes => tlv(0x31, Buffer.concat(items));
const explicit = (n: number, content: Bytes): Bytes => tlv(0xa0 + n, content);
const octets = (content: Bytes): Bytes => tlv(0x04, content);
const bits = (content: Bytes, unused = 0): Bytes => tlv(0x03, Buffer.concat([Buffer.from([unused]), content]));
const bool = (value: boolean): Bytes => tlv(0x01, Buffer.from([value ? 0xff : 0]));
const utf8 = (text: string): Bytes => tlv(0x0c, Buffer.from(text, 'utf8'));

function integer(value: Bytes): Bytes {
  let start = 0;
  while (start < value.length - 1 && value[start] === 0 && (value[start + 1]! & 0x80) === 0) start++;
  const trimmed = value.subarray(start);
  return tlv(0x02, trimmed[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed);
}

function oid(text: string): Bytes {
  const parts = text.split('.').map(Number);
  const out: number[] = [parts[0]! * 40 + parts[1]!];
  for (const part of parts.slice(2)) {
    const chunk: number[] = [part & 0x7f];
    for (let v = Math.floor(part / 128); v > 0; v = Math.floor(v / 128)) chunk.unshift((v & 0x7f) | 0x80);
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}

/** UTCTime until 2049, GeneralizedTime after (RFC 5280 4.1.2.5). */
function time(date: Date): Bytes {
  const iso = date.toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z';
  return date.getUTCFullYear() < 2050 ? tlv(0x17, Buffer.from(iso.slice(2), 'ascii')) : tlv(0x18, Buffer.from(iso, 'ascii'));
}

const name = (commonName: string): Bytes => seq(set(seq(oid('2.5.4.3'), utf8(commonName))));
const ECDSA_SHA256 = seq(oid('1.2.840.10045.4.3.2'));

function extension(id: string, critical: boolean, value: Bytes): Bytes {
  return seq(oid(id), ...(critical ? [bool(true)] : []), octets(value));
}

/** The 20-byte key identifier of RFC 5280 4.2.1.2 method 1 (SHA-1 of the public key bits). */
function keyId(spki: Bytes): Bytes {
  // An EC SubjectPublicKeyInfo ends with the BIT STRING of the 65-byte uncompressed point.
  return createHash('sha1').update(spki.subarray(spki.length - 65)).digest();
}

export interface CertificateOptions {
  commonName: string;
  /** DNS names and IP addresses for the subjectAltName. */
  dnsNames?: readonly string[];
  ipAddresses?: readonly string[];
  isCA?: boolean;
  notBefore?: Date;
  notAfter: Date;
  /** Signer; self-signed when absent. */
  issuer?: { commonName: string; key: KeyObject; spki: Bytes };
}

export interface KeyAndCertificate {
  key: KeyObject;
  keyPem: string;
  certPem: string;
  spki: Bytes;
}

function ipBytes(ip: string): Bytes {
  if (ip.includes(':')) {
    const [head, tail] = ip.split('::');
    const h = head ? head.split(':') : [];
    const t = tail !== undefined && tail !== '' ? tail.split(':') : [];
    const groups = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
    return Buffer.concat(groups.map((g) => Buffer.from(g.padStart(4, '0'), 'hex')));
  }
  return Buffer.from(ip.split('.').map(Number));
}

export function createCertificate(options: CertificateOptions): KeyAndCertificate {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const serial = randomBytes(16);
  serial[0] = serial[0]! & 0x7f;
  const issuerName = options.issuer?.commonName ?? options.commonName;
  const signer = options.issuer?.key ?? privateKey;
  const extensions: Bytes[] = [];
  if (options.isCA) {
    extensions.push(extension('2.5.29.19', true, seq(bool(true))));
    extensions.push(extension('2.5.29.15', true, bits(Buffer.from([0x86]), 1))); // digitalSignature, keyCertSign, cRLSign
  } else {
    extensions.push(extension('2.5.29.19', true, seq()));
    extensions.push(extension('2.5.29.15', true, bits(Buffer.from([0xa0]), 5))); // digitalSignature, keyEncipherment
    extensions.push(extension('2.5.29.37', false, seq(oid('1.3.6.1.5.5.7.3.1')))); // serverAuth
  }
  const altNames = [...(options.dnsNames ?? []).map((dns) => tlv(0x82, Buffer.from(dns, 'ascii'))), ...(options.ipAddresses ?? []).map((ip) => tlv(0x87, ipBytes(ip)))];
  if (altNames.length > 0) extensions.push(extension('2.5.29.17', false, seq(...altNames)));
  extensions.push(extension('2.5.29.14', false, octets(keyId(spki))));
  if (options.issuer) extensions.push(extension('2.5.29.35', false, seq(tlv(0x80, keyId(options.issuer.spki)))));
  const tbs = seq(
    explicit(0, integer(Buffer.from([2]))),
    integer(serial),
    ECDSA_SHA256,
    name(issuerName),
    seq(time(options.notBefore ?? new Date(Date.now() - 60_000)), time(options.notAfter)),
    name(options.commonName),
    spki,
    explicit(3, seq(...extensions)),
  );
  const signature = sign('sha256', tbs, signer);
  const der = seq(tbs, ECDSA_SHA256, bits(signature));
  const certPem = `-----BEGIN CERTIFICATE-----\n${der.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END CERTIFICATE-----\n`;
  return { key: privateKey, keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, certPem, spki };
}

/** A CA and a serving certificate signed by it, for `<service>.<namespace>.svc`. */
export function createServingPair(dnsNames: readonly string[], days: number, ipAddresses: readonly string[] = [], now = new Date()): { ca: KeyAndCertificate; serving: KeyAndCertificate } {
  const notAfter = new Date(now.getTime() + days * 86_400_000);
  const ca = createCertificate({ commonName: 'palisade-webhook-ca', isCA: true, notBefore: new Date(now.getTime() - 60_000), notAfter: new Date(notAfter.getTime() + 86_400_000) });
  const serving = createCertificate({ commonName: dnsNames[0] ?? 'palisade-webhook', dnsNames, ipAddresses, notBefore: new Date(now.getTime() - 60_000), notAfter, issuer: { commonName: 'palisade-webhook-ca', key: ca.key, spki: ca.spki } });
  return { ca, serving };
}
