import { modelRule } from './modelRule.js';

export const zipOverlappingMembers = modelRule({
  id: 'ZIP_OVERLAPPING_MEMBERS',
  title: 'Zip members share their bytes',
  description: 'Two or more central-directory entries point at overlapping local data, the construction of overlapping-file zip bombs; no archiver writes it. Each distinct member is judged once, and the file is marked suspicious.',
});
