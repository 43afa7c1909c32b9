import { modelRule } from './modelRule.js';

export const archiveMalformed = modelRule({
  id: 'ARCHIVE_MALFORMED',
  title: 'Archive is malformed',
  description: 'The archive structure is broken (truncated headers, bad checksums, offsets out of range): loaders will reject it, and a scanner cannot vouch for its members.',
});
