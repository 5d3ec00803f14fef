/**
 * ESLint for `npm run lint` (part of `npm test`). Only rules that catch real bugs: style is
 * Prettier's business (npm run format), layers and cycles are dependency-cruiser's
 * (.dependency-cruiser.cjs). Type-aware rules cover src/ only, where a dropped promise or an
 * unawaited write loses data; their cost is in docs/contributing.md.
 */
import tseslint from 'typescript-eslint';

/** ESLint's own rules that find defects TypeScript does not (the `eslint:recommended` set minus what tsc checks). */
const coreBugRules = {
  'no-async-promise-executor': 'error',
  'no-compare-neg-zero': 'error',
  'no-cond-assign': ['error', 'except-parens'],
  'no-constant-binary-expression': 'error',
  'no-constant-condition': ['error', { checkLoops: false }],
  'no-control-regex': 'off',
  'no-debugger': 'error',
  'no-dupe-else-if': 'error',
  'no-duplicate-case': 'error',
  'no-empty-character-class': 'error',
  'no-empty-pattern': 'error',
  'no-ex-assign': 'error',
  'no-fallthrough': 'error',
  'no-inner-declarations': 'off',
  'no-invalid-regexp': 'error',
  'no-loss-of-precision': 'error',
  'no-misleading-character-class': 'error',
  'no-self-assign': 'error',
  'no-sparse-arrays': 'error',
  'no-template-curly-in-string': 'off',
  'no-unsafe-finally': 'error',
  'no-unsafe-optional-chaining': 'error',
  'no-unused-labels': 'error',
  'no-useless-backreference': 'error',
  'use-isnan': 'error',
  'valid-typeof': 'error',
  eqeqeq: ['error', 'always', { null: 'ignore' }],
};

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'coverage/**',
      'codex/**',
      '.codex-flow/**',
      'test/fixtures/**',
      '**/*.cjs',
      '**/*.mjs',
      'bin/**',
    ],
  },
  {
    files: ['**/*.ts', 'eslint.config.js'],
    extends: [tseslint.configs.recommended],
    rules: {
      ...coreBugRules,
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
      ],
      // `as unknown as X` at library seams (ajv's CJS default export) and tests' deliberate bad input.
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      // An empty catch with a comment is how a best-effort cleanup says so.
      'no-empty': ['error', { allowEmptyCatch: true }],
      // A let read by closures made before its one assignment (callbacks wired before the object they report to) stays a let.
      'prefer-const': ['error', { destructuring: 'all', ignoreReadBeforeAssign: true }],
    },
  },
  {
    files: ['src/**/*.ts'],
    languageOptions: { parserOptions: { project: './tsconfig.build.json', tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
    },
  },
);
