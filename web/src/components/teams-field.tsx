import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FieldSet, MultiCheck } from '@/components/ui';

/** Teams from a known list, plus new team ids typed in (the server creates teams it does not know yet). */
export function TeamsField({
  known,
  value,
  onChange,
  error,
  legend,
}: {
  known: string[];
  value: string[];
  onChange: (next: string[]) => void;
  error?: string | null;
  legend?: string;
}) {
  const { t } = useTranslation();
  const [extra, setExtra] = useState('');
  const options = Array.from(new Set([...known, ...value])).sort();
  function add() {
    const ids = extra
      .split(/[,\s]+/)
      .map((s) => s.trim())
      .filter(Boolean);
    if (ids.length === 0) return;
    onChange(Array.from(new Set([...value, ...ids])));
    setExtra('');
  }
  return (
    <FieldSet legend={legend ?? t('accounts.teams')} error={error}>
      {options.length > 0 ? (
        <MultiCheck name="teams" options={options} value={value} onChange={onChange} filterLabel={t('common.filter')} />
      ) : (
        <p className="muted small">{t('accounts.noTeamsYet')}</p>
      )}
      <div className="inline-form">
        <input
          className="input"
          aria-label={t('accounts.addTeam')}
          placeholder={t('accounts.addTeamPlaceholder')}
          value={extra}
          onChange={(e) => setExtra(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              add();
            }
          }}
        />
        <button type="button" className="btn btn--small" onClick={add}>
          {t('common.add')}
        </button>
      </div>
    </FieldSet>
  );
}
