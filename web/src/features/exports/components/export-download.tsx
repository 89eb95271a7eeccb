import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '@/components/ui';
import type { QueryValue } from '@/lib/api-client';
import { downloadExport, type ExportFormat, type ExportWhat } from '../api/download-export';

/** Saves a Blob under `filename` through a temporary link (the browser's download). */
function save(blob: Blob, filename: string) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  URL.revokeObjectURL(url);
}

/**
 * A download control for one export: CSV or JSON, "with BOM for Excel" (CSV only) and a Download button. The
 * filters are the view's current ones. Errors (a bad filter, no permission, the server busy) show below it.
 */
export function ExportDownload({
  what,
  filters,
  disabled,
}: {
  what: ExportWhat;
  filters?: Record<string, QueryValue>;
  disabled?: boolean;
}) {
  const { t } = useTranslation();
  const [format, setFormat] = useState<ExportFormat>('csv');
  const [bom, setBom] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function run() {
    setBusy(true);
    setError(null);
    try {
      const file = await downloadExport({ what, format, bom, filters });
      save(file.blob, file.filename);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  const id = `export-${what}`;
  return (
    <div className="export-download" role="group" aria-label={t('exports.label')}>
      <label htmlFor={`${id}-format`}>{t('exports.format')}</label>{' '}
      <select id={`${id}-format`} value={format} onChange={(e) => setFormat(e.target.value as ExportFormat)}>
        <option value="csv">{t('exports.csv')}</option>
        <option value="json">{t('exports.json')}</option>
      </select>{' '}
      <label>
        <input
          type="checkbox"
          checked={bom && format === 'csv'}
          disabled={format !== 'csv'}
          onChange={(e) => setBom(e.target.checked)}
        />{' '}
        {t('exports.bom')}
      </label>{' '}
      <button type="button" className="button" onClick={() => void run()} disabled={busy || disabled}>
        {busy ? t('exports.downloading') : t('exports.download')}
      </button>
      {error ? <ErrorMessage error={error} /> : null}
    </div>
  );
}
