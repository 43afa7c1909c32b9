import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { load } from '../../src/core/load.js';
import { buildModel } from '../../src/netpol/build.js';
import { formatTxt } from '../../src/netpol/format/txt.js';
import { computeMatrix, toConnections } from '../../src/netpol/matrix.js';

/** The np-guard netpol-analyzer corpus, run in place in --compat np-guard mode. */
const corpus = fileURLToPath(new URL('../../../shared/conformance/netpol/', import.meta.url));

/** The error each invalid case must be refused with (the first one reported), by code. */
const EXPECTED_ERROR: Record<string, string> = {
  'anp/invalid/anp_bad_path_test_1': 'ANP_DUPLICATE_PRIORITY',
  'anp/invalid/anp_bad_path_test_12': 'ANP_INVALID_ACTION',
  'anp/invalid/anp_bad_path_test_15': 'ANP_EMPTY_PEERS',
  'anp/invalid/anp_bad_path_test_16': 'ANP_PEER_FIELDS',
  'anp/invalid/anp_bad_path_test_17': 'ANP_PORT_FIELDS',
  'anp/invalid/anp_bad_path_test_18': 'ANP_INVALID_ACTION',
  'anp/invalid/anp_bad_path_test_2': 'ANP_INVALID_PRIORITY',
  'anp/invalid/anp_bad_path_test_3': 'NETPOL_DUPLICATE_NAME',
  'anp/invalid/anp_bad_path_test_4': 'ANP_SUBJECT_FIELDS',
  'anp/invalid/anp_bad_path_test_5': 'ANP_SUBJECT_FIELDS',
  'anp/invalid/anp_bad_path_test_6': 'ANP_EMPTY_PEERS',
  'anp/invalid/anp_bad_path_test_7': 'ANP_PEER_FIELDS',
  'anp/invalid/banp_bad_path_test_1': 'BANP_NOT_SINGLETON',
  'anp/invalid/banp_bad_path_test_10': 'ANP_EMPTY_PEERS',
  'anp/invalid/banp_bad_path_test_11': 'ANP_EMPTY_PEERS',
  'anp/invalid/banp_bad_path_test_12': 'ANP_PEER_FIELDS',
  'anp/invalid/banp_bad_path_test_13': 'ANP_PORT_FIELDS',
  'anp/invalid/banp_bad_path_test_15': 'NETPOL_INVALID_CIDR',
  'anp/invalid/banp_bad_path_test_2': 'BANP_NAME_NOT_DEFAULT',
  'anp/invalid/banp_bad_path_test_3': 'ANP_SUBJECT_FIELDS',
  'anp/invalid/banp_bad_path_test_6': 'ANP_EMPTY_PEERS',
  'anp/invalid/banp_bad_path_test_7': 'ANP_PEER_FIELDS',
  'anp/invalid/banp_bad_path_test_8': 'ANP_INVALID_ACTION',
  'anp/invalid/banp_bad_path_test_9': 'ANP_PORT_FIELDS',
  'invalid/bad_netpols_subdir2': 'NETPOL_INVALID_SELECTOR',
  'invalid/bad_netpols_subdir3': 'NETPOL_IPBLOCK_WITH_SELECTOR',
  'invalid/bad_netpols_subdir4': 'NETPOL_EMPTY_PEER',
  'invalid/bad_netpols_subdir7': 'NETPOL_INVALID_SELECTOR',
  'invalid/np_bad_path_test_1': 'NETPOL_DUPLICATE_NAME',
  'invalid/np_bad_path_test_2': 'NETPOL_ENDPORT_WITH_NAMED_PORT',
  'invalid/np_test_with_empty_port_range': 'NETPOL_INVALID_PORT_RANGE',
};

/** Cases we cannot match yet, one reason each. Empty means 100 %. */
const SKIPPED: Record<string, string> = {};

const rows = readFileSync(corpus + 'cases.tsv', 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((line) => line.split('\t') as [string, string]);

describe('np-guard conformance corpus', () => {
  it('lists every case directory once, and names an expected error for each invalid one', () => {
    expect(rows.length).toBe(100);
    expect(Object.keys(EXPECTED_ERROR).sort()).toEqual(rows.filter(([, e]) => e === 'error').map(([n]) => n).sort());
  });

  for (const [name, expected] of rows) {
    const run = SKIPPED[name] ? it.skip : it;
    if (expected === 'error') {
      run(`${name} is refused as invalid`, async () => {
        const loaded = await load([corpus + name + '/manifests']);
        const model = buildModel(loaded.resources, 'np-guard');
        expect(model.errors[0]?.code).toBe(EXPECTED_ERROR[name]);
        for (const error of model.errors) {
          expect(error.errorClass).toBe('fatal');
          expect(error.location?.file.startsWith(corpus + name + '/manifests/')).toBe(true);
          expect(error.location?.line).toBeGreaterThan(0);
        }
      });
    } else {
      run(`${name} lists the same connections as np-guard`, async () => {
        const loaded = await load([corpus + name + '/manifests']);
        const model = buildModel(loaded.resources, 'np-guard');
        expect(model.errors.map((e) => e.format())).toEqual([]);
        const actual = formatTxt(toConnections(computeMatrix(model, loaded.resources)));
        const wanted = readFileSync(corpus + name + '/expected_connlist.txt', 'utf8');
        expect(actual.split('\n')).toEqual(wanted.split('\n'));
      });
    }
  }
});
