import { modelRule } from './modelRule.js';

export const ggufTemplateInjection = modelRule({
  id: 'GGUF_TEMPLATE_INJECTION',
  title: 'GGUF chat template walks Python internals',
  description: 'A chat template in the GGUF metadata walks Python internals (__class__, __globals__, __builtins__…), the Jinja sandbox escape that runs code in servers rendering templates with a non-sandboxed environment (CVE-2024-34359).',
});
