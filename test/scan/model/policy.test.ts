import { describe, expect, it } from 'vitest';
import { ALLOW_GLOBALS, DENY_MODULES, DENY_NAMES, NESTED_LOADERS } from '../../../src/scan/model/policy/globals.js';
import { IMPORT_MAPPING, NAME_MAPPING } from '../../../src/scan/model/policy/compatPickle.js';
import { buildPolicy, DEFAULT_POLICY, judgeGlobal } from '../../../src/scan/model/policy/judge.js';
import { RULES } from '../../../src/scan/model/rules/index.js';

describe('policy tables', () => {
  it('nothing is both allowed and denied', () => {
    const clashes: string[] = [];
    for (const [module, names] of Object.entries(ALLOW_GLOBALS)) {
      for (const name of names) if (name !== '*' && judgeGlobal(DEFAULT_POLICY, module, name).verdict !== 'safe') clashes.push(`${module}.${name}`);
    }
    expect(clashes).toEqual([]);
  });

  it('every deny-listed name and module is judged malicious', () => {
    const missed: string[] = [];
    for (const [module, names] of Object.entries(DENY_NAMES)) {
      for (const name of names) if (judgeGlobal(DEFAULT_POLICY, module, name.replace('*', 'x')).verdict !== 'malicious') missed.push(`${module}.${name}`);
    }
    for (const module of DENY_MODULES) if (judgeGlobal(DEFAULT_POLICY, module, 'anything').verdict !== 'malicious') missed.push(module);
    expect(missed).toEqual([]);
  });

  it('Python 2 names are judged as the names fix_imports turns them into (_compat_pickle)', () => {
    expect(judgeGlobal(DEFAULT_POLICY, '__builtin__', 'exec')).toEqual({ verdict: 'malicious', rule: 'PICKLE_DENYLISTED_GLOBAL', data: { global: 'builtins.exec', reason: 'callable' } });
    expect(judgeGlobal(DEFAULT_POLICY, 'copy_reg', '_reconstructor')).toEqual({ verdict: 'safe' });
    // a name mapping moves a harmless-looking builtin into a deny-listed module
    expect(judgeGlobal(DEFAULT_POLICY, '__builtin__', 'intern')).toEqual({ verdict: 'malicious', rule: 'PICKLE_DENYLISTED_GLOBAL', data: { global: 'sys.intern', reason: 'module sys' } });
    expect(judgeGlobal(DEFAULT_POLICY, 'SimpleHTTPServer', 'test')).toEqual({ verdict: 'malicious', rule: 'PICKLE_DENYLISTED_GLOBAL', data: { global: 'http.server.test', reason: 'module http' } });
    expect(judgeGlobal(DEFAULT_POLICY, 'xmlrpclib', 'ServerProxy')).toEqual({ verdict: 'malicious', rule: 'PICKLE_DENYLISTED_GLOBAL', data: { global: 'xmlrpc.client.ServerProxy', reason: 'module xmlrpc' } });
    expect(judgeGlobal(DEFAULT_POLICY, '__builtin__', 'xrange')).toEqual({ verdict: 'safe' });
    // every mapping target is judged exactly like the target spelled directly (or worse)
    const rank = { safe: 0, suspicious: 1, malicious: 2 };
    const weaker: string[] = [];
    for (const [key, [module, name]] of NAME_MAPPING) {
      const [oldModule = '', oldName = ''] = key.split(' ');
      if (rank[judgeGlobal(DEFAULT_POLICY, oldModule, oldName).verdict] < rank[judgeGlobal(DEFAULT_POLICY, module, name).verdict]) weaker.push(key);
    }
    for (const [oldModule, module] of Object.entries(IMPORT_MAPPING)) {
      for (const name of ['system', 'eval', 'Popen', 'OrderedDict']) {
        if (rank[judgeGlobal(DEFAULT_POLICY, oldModule, name).verdict] < rank[judgeGlobal(DEFAULT_POLICY, module, name).verdict]) weaker.push(`${oldModule}.${name}`);
      }
    }
    expect(weaker).toEqual([]);
  });

  it('nested loaders that are not deny-listed are at least not allowed', () => {
    for (const loader of NESTED_LOADERS) {
      const dot = loader.lastIndexOf('.');
      expect([loader, judgeGlobal(DEFAULT_POLICY, loader.slice(0, dot), loader.slice(dot + 1)).verdict]).not.toEqual([loader, 'safe']);
    }
  });

  it('overrides add to the lists and reject malformed entries', () => {
    const policy = buildPolicy({ allow: ['sklearn.pipeline:Pipeline', 'mypkg:*'], deny: ['collections:OrderedDict'] });
    expect(judgeGlobal(policy, 'sklearn.pipeline', 'Pipeline').verdict).toBe('safe');
    expect(judgeGlobal(policy, 'mypkg', 'Anything').verdict).toBe('safe');
    expect(judgeGlobal(policy, 'collections', 'OrderedDict').verdict).toBe('malicious');
    expect(() => buildPolicy({ allow: ['no-colon'] })).toThrow(expect.objectContaining({ code: 'USAGE' }));
  });

  it('every rule has a verdict, a title and a message', () => {
    for (const [id, rule] of Object.entries(RULES)) {
      expect([id, typeof rule.title, typeof rule.messages.default, ['malicious', 'suspicious', 'invalid', 'unsupported'].includes(rule.verdict)]).toEqual([id, 'string', 'string', true]);
    }
  });
});
