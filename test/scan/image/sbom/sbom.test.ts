import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeReport } from '../../../../src/cli/common.js';
import type { Report } from '../../../../src/core/types.js';
import { scanImage } from '../../../../src/scan/image/index.js';
import { cyclonedx, spdx } from '../../../../src/scan/image/sbom/index.js';
import { buildImage, writeOciLayout } from '../imageBuilder.js';
import { APP_LAYER, DEBIAN_BASE } from '../rootfs.js';

const require = createRequire(import.meta.url);
const SCHEMAS = join(dirname(require.resolve('@cyclonedx/cyclonedx-library/package.json')), 'res', 'schema');

/** The CycloneDX 1.6 JSON schema as the library ships it, with the schemas it references. */
function cyclonedxValidator() {
  const ajv = new Ajv({ strict: false, allErrors: true });
  // ajv-formats is CommonJS: under NodeNext its plugin is the default export's `default`.
  addFormatsModule.default(ajv);
  // draft 2019 formats the schema names; checked here by the URL parser and a plain shape.
  ajv.addFormat('iri-reference', (value: string) => {
    try {
      new URL(value, 'http://base.invalid/');
      return true;
    } catch {
      return false;
    }
  });
  ajv.addFormat('idn-email', /^[^@\s]+@[^@\s]+$/);
  const load = (name: string) => JSON.parse(readFileSync(join(SCHEMAS, name), 'utf8')) as Record<string, unknown>;
  for (const name of ['spdx.SNAPSHOT.schema.json', 'jsf-0.82.SNAPSHOT.schema.json']) ajv.addSchema({ ...load(name), $id: `http://cyclonedx.org/schema/${name}` });
  return ajv.compile(load('bom-1.6.SNAPSHOT.schema.json'));
}

let report: Report;
beforeAll(async () => {
  const built = await buildImage({ layers: [{ files: DEBIAN_BASE }, { files: APP_LAYER }] });
  const dir = await mkdtemp(join(tmpdir(), 'palisade-sbom-'));
  await writeOciLayout(dir, built, 'serve:1');
  const scan = await scanImage(dir, { now: new Date('2026-01-02T03:04:05.678Z') });
  report = makeReport([dir], scan.findings, { image: scan.image, packages: scan.packages, vulnerabilities: scan.vulnerabilities, models: scan.models });
});

describe('CycloneDX SBOM', () => {
  it('validates against the CycloneDX 1.6 schema and lists every package and model', () => {
    const bom = JSON.parse(cyclonedx(report));
    const validate = cyclonedxValidator();
    expect([validate(bom), validate.errors ?? []]).toEqual([true, []]);
    expect(bom.specVersion).toBe('1.6');
    expect(bom.metadata.component).toMatchObject({ type: 'container', name: 'serve:1', 'bom-ref': 'image' });
    // Sorted by the library (sortLists), npm scopes as groups.
    expect(bom.components.map((c: { type: string; group?: string; name: string; purl?: string }) => [c.type, c.group ?? null, c.name, c.purl ?? null])).toEqual([
      ['machine-learning-model', null, 'model.pt', null],
      ['library', null, 'libc6', 'pkg:deb/debian/libc6@2.36-9+deb12u3?arch=amd64&distro=debian-12'],
      ['library', null, 'libssl3', 'pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64&distro=debian-12'],
      ['library', null, 'zlib1g', 'pkg:deb/debian/zlib1g@1:1.2.13.dfsg-1+b1?arch=amd64&distro=debian-12'],
      ['library', '@scope', 'tool', 'pkg:npm/%40scope/tool@2.0.0-beta.1'],
      ['library', null, 'left-pad', 'pkg:npm/left-pad@1.3.0'],
      ['library', null, 'PyYAML', 'pkg:pypi/pyyaml@5.3.1'],
      ['library', null, 'torch_serve', 'pkg:pypi/torch-serve@0.8.0'],
    ]);
    expect(cyclonedx(report)).toBe(cyclonedx(report));
  });

  it('is rejected by the schema when broken, so the validation above can fail', () => {
    const bom = JSON.parse(cyclonedx(report));
    bom.components[0].type = 'not-a-type';
    expect(cyclonedxValidator()(bom)).toBe(false);
  });
});

describe('SPDX SBOM', () => {
  it('has every field SPDX 2.3 requires of a document and its packages', () => {
    const doc = JSON.parse(spdx(report));
    expect([doc.spdxVersion, doc.dataLicense, doc.SPDXID, doc.name]).toEqual(['SPDX-2.3', 'CC0-1.0', 'SPDXRef-DOCUMENT', 'serve:1']);
    expect(doc.documentNamespace).toMatch(/^https:\/\/[^#]+$/);
    expect(doc.creationInfo).toEqual({ created: '2026-01-02T03:04:05Z', creators: ['Tool: palisade-0.1.0'] });
    const ids = new Set<string>();
    for (const pkg of doc.packages) {
      expect(pkg.SPDXID).toMatch(/^SPDXRef-[A-Za-z0-9.-]+$/);
      expect(ids.has(pkg.SPDXID)).toBe(false);
      ids.add(pkg.SPDXID);
      expect(typeof pkg.name).toBe('string');
      expect(pkg.downloadLocation).toBe('NOASSERTION');
    }
    expect(doc.packages).toHaveLength(9);
    expect(doc.relationships[0]).toEqual({ spdxElementId: 'SPDXRef-DOCUMENT', relationshipType: 'DESCRIBES', relatedSpdxElement: 'SPDXRef-Image' });
    expect(doc.relationships.slice(1).every((r: { relationshipType: string; relatedSpdxElement: string }) => r.relationshipType === 'CONTAINS' && ids.has(r.relatedSpdxElement))).toBe(true);
    expect(doc.packages.find((p: { name: string }) => p.name === 'libc6').externalRefs).toEqual([{ referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: 'pkg:deb/debian/libc6@2.36-9+deb12u3?arch=amd64&distro=debian-12' }]);
  });
});
