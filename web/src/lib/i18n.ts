// i18next set-up: English and Simplified Chinese. The first choice follows navigator.language; a choice made with
// the language switch is remembered in localStorage.
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './locales/en';
import { zh } from './locales/zh';

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

function applyDocumentLanguage(lng: string) {
  if (typeof document === 'undefined') return;
  document.documentElement.lang = lng === 'zh' ? 'zh-CN' : 'en';
  document.title = (lng === 'zh' ? zh : en).app.name;
}

/** Switches the language and remembers the choice. */
export async function setLanguage(lng: Language): Promise<void> {
  try {
    window.localStorage.setItem(LANGUAGE_STORAGE_KEY, lng);
  } catch {
    // Private mode: the choice lasts for this page only.
  }
  await i18n.changeLanguage(lng);
}

i18n.on('languageChanged', applyDocumentLanguage);

/** Initialises i18next once; later calls return the same instance. */
export function initI18n(lng: Language = detectLanguage()) {
  if (!i18n.isInitialized) {
    void i18n.use(initReactI18next).init({
      resources: { en: { translation: en }, zh: { translation: zh } },
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
