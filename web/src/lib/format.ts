// Formatting of numbers and times for reading. A missing value is always "—", never 0.

export const MISSING = '—';

const compactCache = new Map<string, Intl.NumberFormat>();
const fullCache = new Map<string, Intl.NumberFormat>();
// Building an Intl formatter costs far more than using one (a dashboard formats many values): one per locale.
const dateTimeCache = new Map<string, Intl.DateTimeFormat>();
const relativeCache = new Map<string, Intl.RelativeTimeFormat>();

function cached<F>(cache: Map<string, F>, locale: string, make: () => F): F {
  let f = cache.get(locale);
  if (!f) {
    f = make();
    cache.set(locale, f);
  }
  return f;
}

function intlLocale(lang: string): string {
  return lang.startsWith('zh') ? 'zh-CN' : 'en-US';
}

/** 1500000 → "1.5M" (en) / "150万" (zh); null/undefined/NaN → "—". */
export function formatCompact(value: number | null | undefined, lang: string): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return MISSING;
  const locale = intlLocale(lang);
  let f = compactCache.get(locale);
  if (!f) {
    f = new Intl.NumberFormat(locale, { notation: 'compact', maximumFractionDigits: 1 });
    compactCache.set(locale, f);
  }
  return f.format(value);
}

/** 1500000 → "1,500,000"; null → "—". */
export function formatFull(value: number | null | undefined, lang: string): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return MISSING;
  const locale = intlLocale(lang);
  let f = fullCache.get(locale);
  if (!f) {
    f = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
    fullCache.set(locale, f);
  }
  return f.format(value);
}

/** An ISO time as a local date and time; null → "—". */
export function formatDateTime(iso: string | null | undefined, lang: string): string {
  if (!iso) return MISSING;
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return MISSING;
  const locale = intlLocale(lang);
  return cached(
    dateTimeCache,
    locale,
    () => new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }),
  ).format(t);
}

/** An ISO time relative to `now` ("3 hours ago", "3小时前"); null → "—". */
export function formatRelative(iso: string | null | undefined, lang: string, now: number = Date.now()): string {
  if (!iso) return MISSING;
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return MISSING;
  const seconds = Math.round((t - now) / 1000);
  const abs = Math.abs(seconds);
  const locale = intlLocale(lang);
  const rtf = cached(relativeCache, locale, () => new Intl.RelativeTimeFormat(locale, { numeric: 'auto' }));
  if (abs < 60) return rtf.format(seconds, 'second');
  if (abs < 3600) return rtf.format(Math.round(seconds / 60), 'minute');
  if (abs < 86400) return rtf.format(Math.round(seconds / 3600), 'hour');
  if (abs < 86400 * 30) return rtf.format(Math.round(seconds / 86400), 'day');
  return formatDateTime(iso, lang);
}

/** Seconds as "1 min 5 s" / "1分5秒" style duration; null → "—". */
export function formatDuration(seconds: number | null | undefined, lang: string): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return MISSING;
  const s = Math.max(0, Math.round(seconds));
  const m = Math.floor(s / 60);
  const rest = s % 60;
  if (lang.startsWith('zh')) return m > 0 ? `${m}分${rest}秒` : `${rest}秒`;
  return m > 0 ? `${m} min ${rest} s` : `${rest} s`;
}
