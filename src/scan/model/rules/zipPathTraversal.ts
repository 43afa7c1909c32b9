import { modelRule } from './modelRule.js';

export const zipPathTraversal = modelRule({
  id: 'ZIP_PATH_TRAVERSAL',
  title: 'Archive member path leaves the extraction folder',
  description: 'A member name is absolute or climbs out with `..`: extracting the archive writes outside its folder (Zip Slip).',
});
