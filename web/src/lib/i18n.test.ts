import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { en } from './locales/en';
import { zh } from './locales/zh';
import { detectLanguage, LANGUAGE_STORAGE_KEY } from './i18n';

function keys(o: object, prefix = ''): string[] {
  return Object.entries(o).flatMap(([k, v]) =>
    typeof v === 'string' ? [prefix + k] : keys(v as object, `${prefix}${k}.`),
  );
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return sources(p);
    return /\.(ts|tsx)$/.test(name) && !/\.test\./.test(name) && !p.includes('locales') ? [p] : [];
  });
}

describe('translations', () => {
  it('have the same keys in both languages', () => {
    expect(keys(zh).sort()).toEqual(keys(en).sort());
  });

  it('cover every literal key used in the code', () => {
    const all = new Set(keys(en).map((k) => k.replace(/_(one|other)$/, '')));
    const namespaces = new Set(Object.keys(en));
    const root = join(__dirname, '..');
    const missing: string[] = [];
    for (const file of sources(root)) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/'([a-zA-Z]+)\.([a-zA-Z0-9_.-]+)'/g)) {
        if (namespaces.has(m[1]) && !all.has(`${m[1]}.${m[2]}`)) missing.push(`${file}: ${m[1]}.${m[2]}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('has no empty texts', () => {
    for (const k of keys(zh))
      expect(
        k && (k.split('.').reduce<unknown>((o, p) => (o as Record<string, unknown>)[p], zh) as string).length,
      ).toBeGreaterThan(0);
  });
});

describe('detectLanguage', () => {
  it('prefers the remembered choice', () => {
    window.localStorage.setItem(LANGUAGE_STORAGE_KEY, 'zh');
    expect(detectLanguage()).toBe('zh');
    window.localStorage.setItem(LANGUAGE_STORAGE_KEY, 'en');
    expect(detectLanguage()).toBe('en');
  });

  it('follows navigator.language when nothing is remembered', () => {
    const spy = vi.spyOn(window.navigator, 'languages', 'get').mockReturnValue(['zh-CN', 'en']);
    expect(detectLanguage()).toBe('zh');
    spy.mockReturnValue(['en-US']);
    expect(detectLanguage()).toBe('en');
    spy.mockRestore();
  });
});
