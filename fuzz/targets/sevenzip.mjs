/** 7z archives and xz/bzip2 streams made by 7-Zip itself (the WASM build the scanner unpacks with), then mutated. */
import { containerTarget } from '../lib/container-target.mjs';

export const name = '7z';

let factory;
async function pack(type, data) {
  if (!factory) {
    const imported = await import('7z-wasm');
    factory = imported.default.default ?? imported.default;
  }
  const module = await factory({ print: () => undefined, printErr: () => undefined });
  module.FS.writeFile('/model.pkl', data);
  module.callMain(['a', `-t${type}`, '/out.bin', '/model.pkl']);
  return module.FS.readFile('/out.bin');
}

export function run(options) {
  // 7-Zip runs in WASM: a scan takes tens of milliseconds, so each input gets more time than the others.
  return containerTarget(name, options, { build: (rng, pickle) => pack(rng.pick(['7z', '7z', 'xz', 'bzip2']), pickle), fileName: (rng) => rng.pick(['model.7z', 'weights.bin']), maxMs: 15_000 });
}
