// ESLint for the web app (flat config, ESLint 9). `npm run lint` runs it with --max-warnings 0.
//
// - @eslint/js and typescript-eslint recommended, type-checked (the project's tsconfig.json gives the types).
// - react-hooks recommended (the rules of hooks and the React Compiler's checks) and jsx-a11y recommended.
// - Import boundaries (eslint-plugin-boundaries), the layering of docs/ARCHITECTURE's web part:
//     app        src/app/**, src/main.tsx     composes features; imported by nobody (main.tsx excepted)
//     feature    src/features/<name>/**       imports its own feature, components and lib, never another feature
//                                               (except features/exports: the download control every view places)
//     components src/components/**            imports components and lib
//     lib        src/lib/**                   imports lib only
//     test       src/test/**                  unit-test support (renders the whole app, so it may import anything)
//   Test files (*.test.ts, *.test.tsx) may also import test/.
// - Formatting is Prettier's (`npm run format:check`); none of the rule sets below has a stylistic rule that
//   fights it, so no eslint-config-prettier is needed.
import js from '@eslint/js';
import boundaries from 'eslint-plugin-boundaries';
import jsxA11y from 'eslint-plugin-jsx-a11y';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const feature = (name) => ({ element: { type: 'feature', captured: { feature: name } } });
const elementOfType = (...types) => ({ element: { types: { anyOf: types } } });

/** The import boundaries (exported for app/boundaries.test.ts, which checks them on sample imports). */
export const boundariesConfig = {
  files: ['src/**/*.{ts,tsx}'],
  plugins: { boundaries },
  settings: {
    'import/resolver': {
      './eslint-alias-resolver.cjs': {},
    },
    'boundaries/include': ['src/**/*'],
    'boundaries/elements': [
      { type: 'app', pattern: ['src/app/**', 'src/main.tsx', 'src/styles.css'], mode: 'full' },
      { type: 'feature', pattern: 'src/features/*/**', mode: 'full', capture: ['feature'] },
      { type: 'components', pattern: 'src/components/**', mode: 'full' },
      { type: 'lib', pattern: 'src/lib/**', mode: 'full' },
      { type: 'test', pattern: 'src/test/**', mode: 'full' },
    ],
    'boundaries/files': [{ category: 'test', pattern: '**/*.test.{ts,tsx}' }],
    'boundaries/legacy-warnings': false,
  },
  rules: {
    'boundaries/no-unknown-files': 'error',
    'boundaries/no-unknown-dependencies': 'error',
    'boundaries/dependencies': [
      'error',
      {
        default: 'disallow',
        policies: [
          { from: { element: { type: 'app' } }, allow: { to: elementOfType('feature', 'components', 'lib') } },
          { from: { file: { path: 'src/main.tsx' } }, allow: { to: elementOfType('app') } },
          { from: { element: { type: 'app' } }, allow: { to: elementOfType('app') } },
          {
            from: { element: { type: 'feature' } },
            allow: {
              to: [
                feature('{{ from.element.captured.feature }}'),
                feature('exports'),
                elementOfType('components', 'lib'),
              ],
            },
          },
          { from: { element: { type: 'components' } }, allow: { to: elementOfType('components', 'lib') } },
          { from: { element: { type: 'lib' } }, allow: { to: elementOfType('lib') } },
          {
            from: { element: { type: 'test' } },
            allow: { to: elementOfType('app', 'feature', 'components', 'lib', 'test') },
          },
          { from: { file: { categories: 'test' } }, allow: { to: elementOfType('test') } },
        ],
      },
    ],
  },
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'src/generated/**', 'src/lib/api/generated/**', 'e2e/screenshots/**'] },

  // Node scripts (e2e harness, bundle-size and first-render scripts, this file): plain JavaScript. The e2e and
  // render scripts also pass functions to the browser (page.evaluate), hence the browser globals there.
  {
    files: ['**/*.{js,mjs,cjs}'],
    extends: [js.configs.recommended],
    languageOptions: { globals: globals.node },
  },
  { files: ['e2e/**', 'scripts/**'], languageOptions: { globals: { ...globals.node, ...globals.browser } } },

  // The app: TypeScript with types.
  {
    files: ['src/**/*.{ts,tsx}', 'vite.config.ts'],
    extends: [js.configs.recommended, tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      globals: globals.browser,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // Unused arguments and locals are TypeScript's business (noUnusedLocals/noUnusedParameters); a leading
      // underscore marks the deliberate ones.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // onClick={() => mutation.mutate()} and void-returning handlers are fine; promises passed where a void
      // callback is expected are not.
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
    },
  },
  {
    files: ['src/**/*.tsx'],
    extends: [reactHooks.configs.flat.recommended, jsxA11y.flatConfigs.recommended],
  },
  {
    // Tests use matchers (expect(x).toBe…) and fixtures typed loosely on purpose.
    files: ['src/**/*.test.{ts,tsx}', 'src/test/**'],
    rules: {
      '@typescript-eslint/unbound-method': 'off',
    },
  },

  boundariesConfig,
);
