import { join } from 'node:path';
import { ESLint, type Linter } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';

const webRoot = join(__dirname, '..', '..');

/** Lints one import written in `file` with the import boundaries of eslint.config.js only; returns the messages. */
async function importFrom(file: string, source: string): Promise<string[]> {
  const configPath = join(webRoot, 'eslint.config.js');
  const { boundariesConfig } = (await import(/* @vite-ignore */ configPath)) as { boundariesConfig: Linter.Config };
  const eslint = new ESLint({
    cwd: webRoot,
    overrideConfigFile: true,
    overrideConfig: [{ files: ['**/*.{ts,tsx}'], languageOptions: { parser: tseslint.parser } }, boundariesConfig],
  });
  const [result] = await eslint.lintText(`import x from '${source}';\nexport default x;\n`, {
    filePath: join(webRoot, file),
  });
  return result.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

describe('import boundaries', () => {
  it('let a feature import itself, components and lib', async () => {
    expect(await importFrom('src/features/settings/components/x.tsx', '../api/get-users')).toEqual([]);
    expect(await importFrom('src/features/settings/components/x.tsx', '@/components/ui')).toEqual([]);
    expect(await importFrom('src/features/settings/components/x.tsx', '@/lib/session')).toEqual([]);
  });

  it('keep features apart and app unimported', async () => {
    expect(await importFrom('src/features/settings/components/x.tsx', '@/features/auth/components/login-page')).toEqual(
      [expect.stringContaining('boundaries/dependencies')],
    );
    expect(await importFrom('src/features/accounts/components/x.tsx', '@/app/routes')).toEqual([
      expect.stringContaining('boundaries/dependencies'),
    ]);
    expect(await importFrom('src/main.tsx', '@/app/app')).toEqual([]);
  });

  it('keep components and lib below the features', async () => {
    expect(await importFrom('src/components/x.tsx', '@/features/auth/components/login-page')).toEqual([
      expect.stringContaining('boundaries/dependencies'),
    ]);
    expect(await importFrom('src/lib/x.ts', '@/components/ui')).toEqual([
      expect.stringContaining('boundaries/dependencies'),
    ]);
    expect(await importFrom('src/lib/x.ts', '@/lib/format')).toEqual([]);
  });

  it('let only test files import the test support', async () => {
    expect(await importFrom('src/features/auth/components/x.test.tsx', '@/test/render')).toEqual([]);
    expect(await importFrom('src/features/auth/components/x.tsx', '@/test/render')).toEqual([
      expect.stringContaining('boundaries/dependencies'),
    ]);
  });
});
