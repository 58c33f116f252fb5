import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

/** A module is entered only through its index.ts; `message` says why when the rule fires. */
const intoModule = (regex) => ({
  'no-restricted-imports': ['error', { patterns: [{ regex, message: 'Import another module only through its index.ts (see CONTRIBUTING.md).' }] }],
});

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', 'dist/', '.bench-data/', 'test-artifacts/', 'web/src/api/openapi.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        AbortController: 'readonly',
        AbortSignal: 'readonly',
        fetch: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  // From a module's own folder (depth 1) or one of its feature folders (depth 2), a sibling module is reached only by its index.
  { files: ['src/modules/*/*.ts'], rules: intoModule('^\\.\\./(?!\\.\\.)[^/]+/(?!index\\.js$)') },
  { files: ['src/modules/*/*/*.ts'], rules: intoModule('^\\.\\./\\.\\./(?!\\.\\.)[^/]+/(?!index\\.js$)') },
  { files: ['src/*.ts', 'bench/**/*.ts', 'scripts/**/*.{ts,mjs}'], rules: intoModule('(^|/)modules/[^/]+/(?!index\\.js$)') },
  // The kernel and the configuration know no module, and nothing below the composition root imports it.
  {
    files: ['src/platform/**/*.ts', 'src/config.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '(^|/)(modules/|services\\.js$|app\\.js$|server\\.js$)',
              message: 'platform/ and config.ts import no module and not the composition root.',
            },
          ],
        },
      ],
    },
  },
  // The console (web/) runs in the browser: its globals, and React's rules of hooks.
  {
    files: ['web/src/**/*.{ts,tsx}'],
    ...reactHooks.configs.flat.recommended,
    languageOptions: { globals: globals.browser },
  },
);
