// i18next set-up: English and Simplified Chinese. The first choice follows navigator.language; a choice made with
// the language switch is remembered in localStorage.
// Each language's texts are their own chunk: a page load fetches only the active language's (loadLanguage, awaited by
// main.tsx before the first render), the other one when the switch picks it.
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { Messages } from './locales/en';

export const LANGUAGES = ['zh', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export const LANGUAGE_STORAGE_KEY = 'ap.language';

function storedLanguage(): Language | null {
  try {
    const v = window.localStorage.getItem(LANGUAGE_STORAGE_KEY);
    return v === 'zh' || v === 'en' ? v : null;
  } catch {
    return null;
  }
}

/** The language to start with: the remembered choice, else the browser's. */
export function detectLanguage(): Language {
  const stored = storedLanguage();
  if (stored) return stored;
  const nav = typeof navigator !== 'undefined' ? (navigator.languages?.[0] ?? navigator.language) : '';
  return nav?.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

const LOADERS: Record<Language, () => Promise<Messages>> = {
  en: () => import('./locales/en').then((m) => m.en),
  zh: () => import('./locales/zh').then((m) => m.zh),
};

/** Fetches a language's texts into i18next once (a no-op when they are there). */
export async function loadLanguage(lng: Language): Promise<void> {
  if (i18n.hasResourceBundle(lng, 'translation')) return;
  const messages = await LOADERS[lng]();
  i18n.addResourceBundle(lng, 'translation', messages, true, true);
  if (i18n.language === lng) applyDocumentLanguage(lng);
}

function applyDocumentLanguage(lng: string) {
  if (typeof document === 'undefined') return;
  document.documentElement.lang = lng === 'zh' ? 'zh-CN' : 'en';
  if (i18n.exists('app.name', { lng })) document.title = i18n.t('app.name', { lng });
}

/** Switches the language (fetching its texts first) and remembers the choice. */
export async function setLanguage(lng: Language): Promise<void> {
  try {
    window.localStorage.setItem(LANGUAGE_STORAGE_KEY, lng);
  } catch {
    // Private mode: the choice lasts for this page only.
  }
  await loadLanguage(lng);
  await i18n.changeLanguage(lng);
}

i18n.on('languageChanged', applyDocumentLanguage);

/**
 * Initialises i18next once; later calls return the same instance. `resources` are texts already at hand (the tests
 * pass both languages); the app passes none and awaits loadLanguage(lng) before rendering.
 */
export function initI18n(lng: Language = detectLanguage(), resources: Partial<Record<Language, Messages>> = {}) {
  if (!i18n.isInitialized) {
    void i18n.use(initReactI18next).init({
      resources: Object.fromEntries(Object.entries(resources).map(([l, m]) => [l, { translation: m }])),
      lng,
      fallbackLng: 'en',
      supportedLngs: [...LANGUAGES],
      interpolation: { escapeValue: false },
      initAsync: false,
      showSupportNotice: false,
    });
    applyDocumentLanguage(lng);
  } else if (i18n.language !== lng) {
    void i18n.changeLanguage(lng);
  }
  return i18n;
}

export default i18n;
