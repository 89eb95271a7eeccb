import { useState } from 'react';
import { useTranslation } from 'react-i18next';

/** A filterable list of checkboxes for choosing several values (regions, teams). */
export function MultiCheck({
  options,
  value,
  onChange,
  filterLabel,
  name,
}: {
  options: readonly string[];
  value: string[];
  onChange: (next: string[]) => void;
  filterLabel?: string;
  name: string;
}) {
  const { t } = useTranslation();
  const [filter, setFilter] = useState('');
  const shown = filter ? options.filter((o) => o.toLowerCase().includes(filter.toLowerCase())) : options;
  function toggle(option: string, on: boolean) {
    onChange(on ? [...value, option] : value.filter((v) => v !== option));
  }
  return (
    <div className="multi-check">
      {filterLabel && options.length > 8 && (
        <input
          type="search"
          className="input multi-check__filter"
          placeholder={filterLabel}
          aria-label={filterLabel}
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
        />
      )}
      <div className="multi-check__options">
        {shown.map((o) => (
          <label key={o} className="check">
            <input
              type="checkbox"
              name={name}
              value={o}
              checked={value.includes(o)}
              onChange={(e) => toggle(o, e.target.checked)}
            />
            <span>{o}</span>
          </label>
        ))}
        {shown.length === 0 && <span className="muted">{t('common.noMatches')}</span>}
      </div>
      {value.length > 0 && <p className="field__hint">{t('common.selected', { list: value.join(', ') })}</p>}
    </div>
  );
}
