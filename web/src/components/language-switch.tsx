import { useTranslation } from 'react-i18next';
import { LANGUAGES, setLanguage, type Language } from '@/lib/i18n';

const NAMES: Record<Language, string> = { zh: '中文', en: 'English' };

/** 中文 / English: each name is written in its own language, so it is found whatever the current one is. */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <div className="lang-switch" role="group" aria-label={t('nav.language')}>
      {LANGUAGES.map((lng) => (
        <button
          key={lng}
          type="button"
          className="btn btn--small"
          lang={lng === 'zh' ? 'zh-CN' : 'en'}
          aria-pressed={i18n.language === lng}
          onClick={() => void setLanguage(lng)}
        >
          {NAMES[lng]}
        </button>
      ))}
    </div>
  );
}
