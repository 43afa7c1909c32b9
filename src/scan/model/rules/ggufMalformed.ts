import { modelRule } from './modelRule.js';

export const ggufMalformed = modelRule({
  id: 'GGUF_MALFORMED',
  title: 'GGUF file is malformed',
  description: 'The GGUF header, metadata or tensor table does not parse, so llama.cpp and friends refuse the file.',
});
