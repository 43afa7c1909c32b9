/** Tars read as Python's tarfile reads them (unknown type flags as files, base-256 sizes, V7 headers), then mutated. */
import { utf8 } from '../lib/bytes.mjs';
import { tar } from '../lib/containers.mjs';
import { containerTarget } from '../lib/container-target.mjs';

export const name = 'tar';

export function run(options) {
  return containerTarget(name, options, {
    build: (rng, pickle) => tar(rng, [{ name: 'sys_info', data: utf8('{}') }, { name: rng.pick(['pickle', 'storages', 'model.pkl', 'dir/weights.bin']), data: pickle }]),
    fileName: (rng) => rng.pick(['legacy.pt', 'model.tar', 'x.bin']),
  });
}
