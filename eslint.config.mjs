// typescript-eslint's recommended rules, with the type-aware ones that catch async
// mistakes; formatting is Prettier's (`npm run lint` runs both).
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  // test/nest12/consumer.ts is type-checked by TypeScript 7 against NestJS 12 (types.cjs), not by this project's tsconfig.
  { ignores: ['dist/', 'coverage/', 'node_modules/', 'test/nest12/node_modules/', 'test/nest12/*.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  // The SDK costs ~120 ms and 17 MB to load: src/sdk/cognito-sdk.ts loads it on first need, and nothing
  // else in the package may import it but its types (the testing kit, a separate entry, may).
  {
    files: ['src/**/*.ts'],
    ignores: ['src/**/*.spec.ts', 'src/testing/**', 'src/sdk/cognito-sdk.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@aws-sdk/client-cognito-identity-provider',
              message: 'Import its types only; values come from cognitoSdk() (src/sdk/cognito-sdk.ts), on first need.',
              allowTypeImports: true,
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.spec.ts', '**/*.e2e-spec.ts', 'test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  // The demo page's script runs in the browser, as a classic script.
  { files: ['example/public/*.js'], languageOptions: { sourceType: 'script', globals: { ...globals.browser } } },
);
