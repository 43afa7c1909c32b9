import { modelRule } from './modelRule.js';

export const zipDuplicateName = modelRule({
  id: 'ZIP_DUPLICATE_NAME',
  title: 'Zip holds two members with one name',
  description: 'Two members carry the same name. Loaders differ on which one wins, which lets a benign member be scanned while a malicious one is loaded.',
});
