import { modelRule } from './modelRule.js';

export const ggufTemplateUnparseable = modelRule({
  id: 'GGUF_TEMPLATE_UNPARSEABLE',
  title: 'GGUF chat template does not parse',
  description: 'A chat template in the GGUF metadata is not valid Jinja, so palisade cannot tell what it does when a server renders it.',
});
