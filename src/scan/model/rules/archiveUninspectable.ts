import { modelRule } from './modelRule.js';

export const archiveUninspectable = modelRule({
  id: 'ARCHIVE_UNINSPECTABLE',
  title: 'Archive content cannot be inspected',
  description: 'Part of an archive cannot be inspected (an unsupported compression method, a member over the size limit, nesting too deep), so the scan cannot vouch for it.',
});
