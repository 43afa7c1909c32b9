import { modelRule } from './modelRule.js';

export const hfRemoteCode = modelRule({
  id: 'HF_REMOTE_CODE',
  title: 'Model folder ships code that trust_remote_code runs',
  description: 'The model folder ships Python files that a Transformers config wires in through auto_map; loading it with trust_remote_code=True runs them.',
});
