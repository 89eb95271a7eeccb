import { useTranslation } from 'react-i18next';
import { formatCompact, formatDateTime, formatDuration, formatFull, formatRelative } from './format';

/** Formatting functions bound to the current language. */
export function useFormat() {
  const { i18n } = useTranslation();
  const lang = i18n.language;
  return {
    lang,
    compact: (v: number | null | undefined) => formatCompact(v, lang),
    full: (v: number | null | undefined) => formatFull(v, lang),
    dateTime: (iso: string | null | undefined) => formatDateTime(iso, lang),
    relative: (iso: string | null | undefined) => formatRelative(iso, lang),
    duration: (s: number | null | undefined) => formatDuration(s, lang),
  };
}
