import { modelRule } from './modelRule.js';

export const zipCompressionBomb = modelRule({
  id: 'ZIP_COMPRESSION_BOMB',
  title: 'Archive member is a compression bomb',
  description: 'A member inflates far beyond its compressed size, past the limit palisade inflates in memory: a decompression bomb aimed at whoever extracts or scans it.',
});
