import { modelRule } from './modelRule.js';

export const scanLimitReached = modelRule({
  id: 'SCAN_LIMIT_REACHED',
  title: 'A scan limit stopped the scan',
  description: 'A configured bound (bytes read in memory, bytes inflated per scan, 7z input size...) stopped palisade before it read all of a file. What was not read is not known to be safe, so the file is suspicious rather than safe; raising the named limit lets the scan finish.',
});
