import tseslint from 'typescript-eslint';

// The one-way data flow of DESIGN.md, as import boundaries: engines never reach the CLI,
// the reporters or the webhook, and core reaches nothing above it.
const engineBoundary = {
  patterns: [
    { group: ['**/cli/**', '../cli/*', '**/report/**', '../report/*', '**/admission/**'], message: 'Engines never import the CLI, reporters or the webhook (DESIGN.md: data flows one way).' },
  ],
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'bench/out/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: ['**/cli/**', '**/report/**', '**/pss/**', '**/checks/**', '**/netpol/**', '**/scan/**', '**/harden/**', '**/admission/**', '**/workloads/**'], message: 'core is the bottom layer.' }] }] },
  },
  { files: ['src/workloads/**/*.ts'], rules: { 'no-restricted-imports': ['error', { patterns: [...engineBoundary.patterns, { group: ['**/checks/**', '**/pss/**'], message: 'workloads never imports checks.' }] }] } },
  { files: ['src/pss/**/*.ts', 'src/checks/**/*.ts', 'src/netpol/**/*.ts', 'src/scan/**/*.ts', 'src/harden/**/*.ts'], rules: { 'no-restricted-imports': ['error', engineBoundary] } },
);
