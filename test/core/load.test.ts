import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { load, loadText } from '../../src/core/load.js';

const pod = (name: string): string => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\nspec:\n  containers:\n  - name: app\n    image: nginx\n`;

describe('loadText', () => {
  it('reads multi-document YAML and points at fields, or their nearest parent', () => {
    const text = `# leading comment\n${pod('a')}---\n${pod('b')}`;
    const { resources, errors, skipped } = loadText('x.yaml', text);
    expect(errors).toEqual([]);
    expect(skipped).toBe(0);
    expect(resources.map((r) => r.ref)).toEqual([
      { apiVersion: 'v1', kind: 'Pod', name: 'a' },
      { apiVersion: 'v1', kind: 'Pod', name: 'b' },
    ]);
    const b = resources[1]!;
    expect(b.locate('/spec/containers/0/image')).toEqual({ file: 'x.yaml', line: 18, column: 5 });
    // securityContext is missing: the container item is the nearest parent
    expect(b.locate('/spec/containers/0/securityContext/runAsNonRoot')).toEqual({ file: 'x.yaml', line: 17, column: 5 });
    expect(b.locate('')).toEqual({ file: 'x.yaml', line: 11, column: 1 });
  });

  it('handles a BOM, CRLF line ends and JSON', () => {
    const crlf = '\ufeff' + pod('c').replace(/\n/g, '\r\n');
    const r = loadText('c.yaml', crlf).resources[0]!;
    expect(r.locate('/spec/containers/0/image')).toEqual({ file: 'c.yaml', line: 8, column: 5 });
    const json = JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'j' }, spec: { containers: [{ name: 'app', image: 'x' }] } }, null, 2);
    const j = loadText('p.json', json).resources[0]!;
    expect(j.ref.name).toBe('j');
    expect(j.locate('/spec/containers/0/image')).toEqual({ file: 'p.json', line: 11, column: 9 });
  });

  it('reads JSON Lists by the fast path and still locates fields', () => {
    const list = { apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a' }, spec: { containers: [{ name: 'c', image: 'i' }] } }, 7] };
    const result = loadText('l.json', '\ufeff' + JSON.stringify(list, null, 1));
    expect(result.resources.map((r) => [r.ref.name, r.documentPointer])).toEqual([['a', '/items/0']]);
    expect(result.resources[0]!.locate('/spec/containers/0/image')).toEqual({ file: 'l.json', line: 15, column: 7 });
    expect(result.errors.map((e) => [e.code, e.location?.line])).toEqual([['LOAD_BAD_LIST', 20]]);
    expect(loadText('x.json', '{"a": 1}').skipped).toBe(1);
    // JSON.parse refuses this; the YAML path reports where
    expect(loadText('bad.json', '{"apiVersion": "v1",\n "kind": "Pod"\n').errors.map((e) => e.code)).toEqual(['LOAD_YAML_SYNTAX']);
  });

  it('resolves anchors, aliases and merge keys, and locates through them', () => {
    const text = [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata: {name: d}',
      'spec:',
      '  template:',
      '    spec:',
      '      containers:',
      '      - &c',
      '        name: app',
      '        image: nginx',
      '        securityContext: &sc {runAsNonRoot: true}',
      '      - <<: *c',
      '        name: sidecar',
      '',
    ].join('\n');
    const r = loadText('m.yaml', text).resources[0]!;
    const containers = (r.object.spec as { template: { spec: { containers: unknown[] } } }).template.spec.containers;
    expect(containers).toEqual([
      { name: 'app', image: 'nginx', securityContext: { runAsNonRoot: true } },
      { name: 'sidecar', image: 'nginx', securityContext: { runAsNonRoot: true } },
    ]);
    expect(r.locate('/spec/template/spec/containers/1/name')).toEqual({ file: 'm.yaml', line: 13, column: 9 });
    // image of the second container comes from the merged anchor
    expect(r.locate('/spec/template/spec/containers/1/image')).toEqual({ file: 'm.yaml', line: 10, column: 9 });
  });

  it('refuses alias bombs with a coded error instead of hanging', () => {
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 0; i < 9; i++) lines.push(`${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)}]`);
    const result = loadText('bomb.yaml', lines.join('\n') + '\n---\n' + pod('ok'));
    expect(result.errors.map((e) => [e.code, e.location])).toEqual([['LOAD_ALIAS_BOMB', { file: 'bomb.yaml', line: 1, column: 1 }]]);
    expect(result.resources.map((r) => r.ref.name)).toEqual(['ok']);
  });

  it('reports syntax errors with a position and keeps the other documents', () => {
    const text = `${pod('first')}---\nkind: Pod\nmetadata: {name: [unclosed\n---\n${pod('third')}`;
    const result = loadText('bad.yaml', text);
    expect(result.resources.map((r) => r.ref.name)).toEqual(['first', 'third']);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]!.code).toBe('LOAD_YAML_SYNTAX');
    expect(result.errors[0]!.location?.file).toBe('bad.yaml');
    expect(result.errors[0]!.location?.line).toBeGreaterThanOrEqual(10);
  });

  it('counts non-Kubernetes documents, rejects non-objects, ignores empty documents', () => {
    const result = loadText('mixed.yaml', `---\n# only a comment\n---\nfoo: bar\n---\n- a\n- b\n---\nplain scalar\n---\n${pod('p')}`);
    expect(result.skipped).toBe(1);
    expect(result.errors.map((e) => [e.code, e.location?.line])).toEqual([
      ['LOAD_NOT_AN_OBJECT', 6],
      ['LOAD_NOT_AN_OBJECT', 9],
    ]);
    expect(result.resources.map((r) => r.ref.name)).toEqual(['p']);
    expect(loadText('empty.yaml', '').resources).toEqual([]);
    expect(loadText('empty.yaml', '').errors).toEqual([]);
  });

  it('expands List and typed lists, taking kind from the list kind', () => {
    const text = [
      'apiVersion: v1',
      'kind: PodList',
      'items:',
      '- metadata: {name: one}',
      '  spec: {containers: [{name: a, image: x}]}',
      '- apiVersion: v1',
      '  kind: Pod',
      '  metadata: {name: two}',
      '- 42',
      '',
    ].join('\n');
    const result = loadText('list.yaml', text);
    expect(result.resources.map((r) => [r.ref, r.documentPointer, r.indexInFile])).toEqual([
      [{ apiVersion: 'v1', kind: 'Pod', name: 'one' }, '/items/0', 0],
      [{ apiVersion: 'v1', kind: 'Pod', name: 'two' }, '/items/1', 1],
    ]);
    expect(result.resources[0]!.locate('/spec/containers/0/image')).toEqual({ file: 'list.yaml', line: 5, column: 33 });
    expect(result.errors.map((e) => [e.code, e.location?.line])).toEqual([['LOAD_BAD_LIST', 9]]);
  });

  it('names unnamed objects by generateName, then kind#index', () => {
    const result = loadText('n.yaml', 'apiVersion: v1\nkind: Pod\nmetadata: {generateName: web-}\n---\napiVersion: v1\nkind: Pod\n');
    expect(result.resources.map((r) => r.ref.name)).toEqual(['web-', 'Pod#1']);
  });

  it('reads scalars as the API server does (YAML 1.1): yes/on are true, 0755 is octal, dates stay strings', () => {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata: {name: a, annotations: {expires: 2026-12-31, quoted: "yes"}}\nspec:\n  hostNetwork: on\n  containers: [{name: c, image: i, securityContext: {privileged: yes, runAsUser: 0755}}]\n';
    const object = loadText('y.yaml', text).resources[0]!.object as { metadata: { annotations: unknown }; spec: { hostNetwork: unknown; containers: Array<{ securityContext: unknown }> } };
    expect(object.spec.hostNetwork).toBe(true);
    expect(object.spec.containers[0]!.securityContext).toEqual({ privileged: true, runAsUser: 493 });
    expect(object.metadata.annotations).toEqual({ expires: '2026-12-31', quoted: 'yes' });
  });

  it('keeps the last value of a duplicate key and says so', () => {
    const result = loadText('d.yaml', 'apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  hostNetwork: true\n  hostNetwork: false\n');
    expect(result.errors.map((e) => [e.code, e.location?.line])).toEqual([['LOAD_DUPLICATE_KEY', 6]]);
    expect((result.resources[0]!.object.spec as { hostNetwork: boolean }).hostNetwork).toBe(false);
  });
});

describe('load', () => {
  it('walks directories in order, collects Dockerfiles, reads stdin, and reports missing paths', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'palisade-load-'));
    mkdirSync(join(dir, 'sub'));
    mkdirSync(join(dir, 'node_modules'));
    writeFileSync(join(dir, 'b.yaml'), pod('b'));
    writeFileSync(join(dir, 'sub', 'a.yml'), pod('a'));
    writeFileSync(join(dir, 'node_modules', 'x.yaml'), pod('ignored'));
    writeFileSync(join(dir, 'notes.txt'), 'not read');
    writeFileSync(join(dir, 'Dockerfile'), 'FROM scratch\n');
    writeFileSync(join(dir, 'serve.Dockerfile'), 'FROM scratch\n');
    const result = await load([dir, '-', join(dir, 'missing.yaml')], { stdin: async () => pod('stdin') });
    expect(result.resources.map((r) => [r.ref.name, r.file.replace(dir, '<dir>')])).toEqual([
      ['b', '<dir>/b.yaml'],
      ['a', '<dir>/sub/a.yml'],
      ['stdin', '-'],
    ]);
    expect(result.dockerfiles.map((d) => d.path.replace(dir, '<dir>'))).toEqual(['<dir>/Dockerfile', '<dir>/serve.Dockerfile']);
    expect(result.errors.map((e) => [e.code, e.errorClass])).toEqual([['LOAD_NOT_FOUND', 'fatal']]);
    expect(result.files).toBe(5);
  });
});
