/** Zips (stored and deflated members) as torch.save and numpy.savez lay them out, then mutated. */
import { utf8 } from '../lib/bytes.mjs';
import { npy, zip } from '../lib/containers.mjs';
import { containerTarget } from '../lib/container-target.mjs';

export const name = 'zip';

export function run(options) {
  return containerTarget(name, options, {
    build: (rng, pickle) => {
      const prefix = rng.pick(['archive', 'model', 'x']);
      const layouts = [
        () => [{ name: `${prefix}/data.pkl`, data: pickle }, { name: `${prefix}/data/0`, data: new Uint8Array(rng.int(64)) }, { name: `${prefix}/version`, data: utf8('3\n') }],
        () => [{ name: 'a.npy', data: npy(rng, pickle) }, { name: 'b.npy', data: npy(rng, new Uint8Array(0), { descr: "'<f4'", shape: '(0,)' }) }],
        () => [{ name: 'readme.txt', data: utf8('weights') }, { name: rng.pick(['weights.bin', 'extra/model.pkl']), data: pickle }],
      ];
      return zip(rng, rng.pick(layouts)());
    },
    fileName: (rng) => rng.pick(['model.pt', 'arrays.npz', 'bundle.zip']),
  });
}
