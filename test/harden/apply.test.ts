import { describe, expect, it } from 'vitest';
import { applyEdits, type DocumentEdits } from '../../src/harden/apply.js';

/** The edit engine on its own: exact output text for each kind of site and style. */
const one = (changes: DocumentEdits['changes'], documentIndex = 0, documentPointer = ''): DocumentEdits[] => [{ documentIndex, documentPointer, changes }];

describe('applyEdits', () => {
  it('inserts missing keys into a block mapping after its last entry, keeping comments', () => {
    const text = ['# head', 'spec:', '  # about containers', '  containers:', '  - name: a   # the app', '    image: x', '  restartPolicy: Always  # keep', ''].join('\n');
    const result = applyEdits(text, one([
      { pointer: '/spec/securityContext/runAsNonRoot', value: true },
      { pointer: '/spec/securityContext/seccompProfile/type', value: 'RuntimeDefault' },
      { pointer: '/spec/containers/0/securityContext/allowPrivilegeEscalation', value: false },
    ]));
    expect(result.rejected.size).toBe(0);
    expect(result.text).toBe(['# head', 'spec:', '  # about containers', '  containers:', '  - name: a   # the app', '    image: x', '    securityContext:', '      allowPrivilegeEscalation: false', '  restartPolicy: Always  # keep', '  securityContext:', '    runAsNonRoot: true', '    seccompProfile:', '      type: RuntimeDefault', ''].join('\n'));
  });

  it('follows the indentation step and sequence style of the file', () => {
    const text = ['spec:', '    volumes:', '        - name: a', '          emptyDir: {}', '    containers:', '        - name: c', '          image: x', ''].join('\n');
    const result = applyEdits(text, one([
      { pointer: '/spec/volumes/1', value: { name: 'tmp', emptyDir: {} } },
      { pointer: '/spec/containers/0/volumeMounts', value: [{ name: 'tmp', mountPath: '/tmp' }] },
    ]));
    expect(result.text).toBe(['spec:', '    volumes:', '        - name: a', '          emptyDir: {}', '        - name: tmp', '          emptyDir: {}', '    containers:', '        - name: c', '          image: x', '          volumeMounts:', '              - name: tmp', '                mountPath: /tmp', ''].join('\n'));
  });

  it('adds to flow collections in their own style, JSON included', () => {
    const yamlText = 'spec: {containers: [{name: a, securityContext: {capabilities: {drop: [NET_RAW]}}}]}\n';
    expect(applyEdits(yamlText, one([
      { pointer: '/spec/containers/0/securityContext/capabilities/drop/1', value: 'ALL' },
      { pointer: '/spec/containers/0/securityContext/runAsNonRoot', value: true },
    ])).text).toBe('spec: {containers: [{name: a, securityContext: {capabilities: {drop: [NET_RAW, ALL]}, runAsNonRoot: true}}]}\n');
    const json = '{\n  "spec": {\n    "containers": [{"name": "a"}]\n  }\n}\n';
    expect(applyEdits(json, one([{ pointer: '/spec/securityContext', value: { runAsNonRoot: true } }])).text).toBe('{\n  "spec": {\n    "containers": [{"name": "a"}], "securityContext": {"runAsNonRoot":true}\n  }\n}\n');
    const compact = '{"spec":{"containers":[{"name":"a"}]}}';
    expect(applyEdits(compact, one([{ pointer: '/spec/containers/0/securityContext', value: { privileged: false } }, { pointer: '/spec/hostUsers', value: false }])).text).toBe('{"spec":{"containers":[{"name":"a","securityContext":{"privileged":false}}],"hostUsers":false}}');
    expect(applyEdits('a: { }\nb: {}\n', one([{ pointer: '/a/x', value: 1 }, { pointer: '/b/w', value: [1] }])).text).toBe('a: {x: 1 }\nb: {w: [1]}\n');
  });

  it('rewrites existing values in place, keeping anchors and quoting', () => {
    const text = 'a: &flag true   # why\nb: "yes"\nc:\nd: ~\n';
    expect(applyEdits(text, one([
      { pointer: '/a', value: false },
      { pointer: '/b', value: 'no' },
      { pointer: '/c/x', value: 1 },
      { pointer: '/d', value: { w: 2 } },
    ])).text).toBe('a: &flag false   # why\nb: "no"\nc: {x: 1}\nd: {w: 2}\n');
  });

  it('turns a block list into [] after the colon, and keeps a block list block', () => {
    const text = 'caps:\n  add:\n  - SYS_ADMIN\n  - NET_BIND_SERVICE\n  other:\n    - X\n';
    expect(applyEdits(text, one([{ pointer: '/caps/add', value: [] }])).text).toBe('caps:\n  add: []\n  other:\n    - X\n');
    expect(applyEdits(text, one([{ pointer: '/caps/add', value: ['NET_BIND_SERVICE'] }])).text).toBe('caps:\n  add:\n  - NET_BIND_SERVICE\n  other:\n    - X\n');
  });

  it('keeps deeper comment lines with the entry above them', () => {
    const text = 'c:\n  limits:\n    cpu: 2\n    # memory: later\nnext: 1\n';
    expect(applyEdits(text, one([{ pointer: '/c/securityContext', value: { privileged: false } }])).text).toBe('c:\n  limits:\n    cpu: 2\n    # memory: later\n  securityContext:\n    privileged: false\nnext: 1\n');
  });

  it('edits through an alias by writing the value out, leaving the anchor alone', () => {
    const text = 'x: &sc {runAsUser: 1}\nw: *sc\n';
    const result = applyEdits(text, one([{ pointer: '/w/runAsNonRoot', value: true }]));
    expect(result.text).toBe('x: &sc {runAsUser: 1}\nw: {runAsUser: 1, runAsNonRoot: true}\n');
  });

  it('sets a key that comes from a merge as an own key', () => {
    const text = 'base: &b {a: 1}\nm:\n  <<: *b\n  k: v\n';
    expect(applyEdits(text, one([{ pointer: '/m/a', value: 2 }])).text).toBe('base: &b {a: 1}\nm:\n  <<: *b\n  k: v\n  a: 2\n');
  });

  it('refuses an edit inside an anchor that another place aliases, and leaves that document alone', () => {
    const text = 'a: &sc\n  runAsUser: 1\nb: *sc\n---\nc: 1\n';
    const result = applyEdits(text, [...one([{ pointer: '/a/runAsNonRoot', value: true }]), ...one([{ pointer: '/d', value: 2 }], 1)]);
    expect(result.rejected).toEqual(new Set([0]));
    expect(result.text).toBe('a: &sc\n  runAsUser: 1\nb: *sc\n---\nc: 1\nd: 2\n');
  });

  it('writes new strings for YAML 1.1 readers, as the API server reads them', () => {
    expect(applyEdits('a: {}\n', one([{ pointer: '/a/v', value: ['on', 'yes', '0777', 'plain'] }])).text).toBe('a: {v: ["on", "yes", "0777", plain]}\n');
  });

  it('keeps CRLF line endings and a missing final newline', () => {
    expect(applyEdits('a:\r\n  b: 1\r\n', one([{ pointer: '/a/c', value: { d: true } }])).text).toBe('a:\r\n  b: 1\r\n  c:\r\n    d: true\r\n');
    expect(applyEdits('a:\n  b: 1', one([{ pointer: '/a/c', value: 2 }])).text).toBe('a:\n  b: 1\n  c: 2');
  });

  it('edits List items and later documents without touching earlier ones', () => {
    const text = 'kind: Namespace\n---\n# list\nkind: List\nitems:\n- kind: Pod\n  spec: {}\n';
    expect(applyEdits(text, one([{ pointer: '/spec/hostUsers', value: false }], 1, '/items/0')).text).toBe('kind: Namespace\n---\n# list\nkind: List\nitems:\n- kind: Pod\n  spec: {hostUsers: false}\n');
  });
});
