import { modelRule } from './modelRule.js';

export const pickleScannerTampering = modelRule({
  id: 'PICKLE_SCANNER_TAMPERING',
  title: 'Pickle reaches into a model scanner',
  description: 'The pickle imports a module of a model scanner (picklescan, modelscan, fickling…): a payload that patches the scanner before it is judged, known from published scanner bypasses.',
});
