// ESLint (flat config): the architecture's boundaries as import rules, in the spirit of
// podman-desktop's eslint.config.mjs, plus the few type-aware rules that catch real bugs here.
// Formatting is Prettier's job (.prettierrc), not ESLint's.
import { readFileSync } from 'node:fs';
import js from '@eslint/js';
import globals from 'globals';
import svelte from 'eslint-plugin-svelte';
import tseslint from 'typescript-eslint';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
const devDependencies = Object.keys(pkg.devDependencies ?? {});

const TEST_FILES = ['**/*.test.ts', '**/testing/**', 'tests/**', 'bench/**', 'scripts/**', '*.config.ts', '*.config.mjs'];

/** One no-restricted-imports entry per boundary; later blocks replace earlier ones, so each block lists all its rules. */
const restrict = (...patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });
const NO_DEV_DEPS = {
  group: devDependencies.filter((d) => d !== 'electron'),
  message: 'A devDependency is only for tests and the build: production code must not import it.',
};
const NO_ELECTRON = {
  group: ['electron'],
  message: 'The engine runs in the CLI and the browser host too: it imports nothing from Electron.',
};
const NO_HOSTS = {
  group: ['**/main/**', '**/web/**', '**/cli/**', '**/preload/**'],
  message: 'electron/core is used by main, web and cli; it never imports them.',
};
const NO_ORCHESTRATION = {
  group: ['**/project/**', '**/api/**'],
  message: 'dockerfile/, docker/ and image/ are the lower layers: they import only shared/ and each other.',
};
const RENDERER_ONLY_SHARED = {
  group: ['**/electron/**', 'node:*', 'dockerode', 'tar-stream', 'ws'],
  message: 'The renderer talks to the engine only through shared/api.ts.',
};

export default tseslint.config(
  // tests/fixtures holds the projects the tests build: their code is data, not ours to lint.
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-artifacts/**', '**/*.d.ts', 'tests/fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs['flat/recommended'],
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname, extraFileExtensions: ['.svelte'] },
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // Flags every Set/Map in a component, including temporaries built and read in one
      // function; the state classes (state/*.svelte.ts) declare what is reactive with $state.
      'svelte/prefer-svelte-reactivity': 'off',
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: tseslint.parser }, globals: { ...globals.browser } },
  },
  {
    files: ['renderer/src/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
  // Boundaries. Order matters: the more specific folder comes later and carries all its rules.
  { files: ['electron/**/*.ts', 'shared/**/*.ts'], ignores: TEST_FILES, rules: restrict(NO_DEV_DEPS) },
  { files: ['electron/core/**/*.ts'], ignores: TEST_FILES, rules: restrict(NO_DEV_DEPS, NO_ELECTRON, NO_HOSTS) },
  {
    files: ['electron/core/{dockerfile,docker,image}/**/*.ts'],
    ignores: TEST_FILES,
    rules: restrict(NO_DEV_DEPS, NO_ELECTRON, NO_HOSTS, NO_ORCHESTRATION),
  },
  {
    files: ['shared/**/*.ts'],
    ignores: TEST_FILES,
    rules: restrict(NO_DEV_DEPS, {
      group: ['**/electron/**', '**/renderer/**', 'node:*'],
      message: 'shared/ is imported by both sides: no Node, no engine, no renderer.',
    }),
  },
  { files: ['renderer/src/**/*.ts', 'renderer/src/**/*.svelte'], ignores: TEST_FILES, rules: restrict(RENDERER_ONLY_SHARED) },
  // Tests may use what they need, but still no floating promises.
  { files: TEST_FILES, rules: { '@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/no-non-null-assertion': 'off' } },
  { files: ['**/*.js', '**/*.mjs'], ...tseslint.configs.disableTypeChecked },
);
