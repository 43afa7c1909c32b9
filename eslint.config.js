import tseslint from 'typescript-eslint';

// Import boundaries (layers, front doors, cycles; static and dynamic imports) are checked by
// scripts/boundaries.mjs, which `npm run lint` runs after eslint: see docs/architecture.md.

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
);
