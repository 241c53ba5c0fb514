import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * Layer boundaries of docs/architecture.md (DESIGN.md "Layers and what may import what"),
 * enforced here rather than by comments.
 */
const nodeBuiltins = { group: ['node:*'], message: 'This layer must not use Node built-ins.' };
const electronModule = {
  name: 'electron',
  message: 'Only the Electron shell and preload may import electron.',
};
const layer = (files, paths, patterns) => ({
  files,
  rules: { 'no-restricted-imports': ['error', { paths, patterns }] },
});

/** The thin Electron shell: the only files under src/main that may import electron. */
const electronShell = [
  'src/main/index.ts',
  'src/main/window.ts',
  'src/main/ipc.ts',
  'src/main/tray.ts',
  'src/main/notifications.ts',
  'src/main/secrets.ts',
  'src/main/native-binding.ts',
];

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'dist/**',
      'node_modules/**',
      'test-results/**',
      'playwright-report/**',
      '.tmp/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'no-restricted-exports': ['error', { restrictDefaultExports: { direct: true } }],
    },
  },
  {
    files: ['*.config.ts', '*.config.mts', '*.config.mjs'],
    rules: { 'no-restricted-exports': 'off' },
  },
  layer(
    ['src/shared/**'],
    [electronModule, { name: 'react', message: 'src/shared is framework-free.' }],
    [
      nodeBuiltins,
      {
        group: ['**/main/**', '**/renderer/**', '**/preload/**'],
        message: 'src/shared imports only itself (and zod).',
      },
    ],
  ),
  layer(
    ['src/main/**'],
    [electronModule, { name: 'react', message: 'The core never imports react.' }],
    [
      {
        group: ['**/renderer/**', '**/preload/**'],
        message: 'Main never imports the renderer or preload.',
      },
    ],
  ),
  {
    files: electronShell,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/renderer/**', '**/preload/**'],
              message: 'The shell never imports the renderer.',
            },
          ],
        },
      ],
    },
  },
  layer(
    ['src/preload/**'],
    [],
    [
      { group: ['**/main/**', '**/renderer/**'], message: 'The preload bridges src/shared only.' },
      nodeBuiltins,
    ],
  ),
  {
    files: ['src/renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          paths: [electronModule],
          patterns: [
            nodeBuiltins,
            {
              group: ['**/main/**', '**/preload/**'],
              message: 'The renderer talks to the core only through the contract.',
            },
          ],
        },
      ],
    },
  },
);
