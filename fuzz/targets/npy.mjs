/** .npy files whose object dtype means a pickle follows the header (numpy format.py), then mutated. */
import { npy } from '../lib/containers.mjs';
import { containerTarget } from '../lib/container-target.mjs';

export const name = 'npy';

export function run(options) {
  return containerTarget(name, options, { build: (rng, pickle) => npy(rng, pickle), fileName: (rng) => rng.pick(['a.npy', 'weights.npy', 'x.bin']) });
}
