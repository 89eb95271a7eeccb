// One quota code of the quota config page with what it is at AWS (issue 16 §2): the code, then AWS's quota name and
// its scope from the catalogue (the config document's quota_names); codes the catalogue does not list say so.
import { useTranslation } from 'react-i18next';
import type { QuotaConfig } from '@/lib/api/contract';
import './quota-code-name.css';

export type QuotaNames = NonNullable<QuotaConfig['quota_names']>;

export function QuotaCodeName({ code, names }: { code: string | null; names: QuotaNames | undefined }) {
  const { t } = useTranslation();
  if (!code) return <span className="muted">—</span>;
  // No names at all (an answer without them): the code alone, rather than "not in the catalogue" for every code.
  if (!names) return <code className="mono small">{code}</code>;
  const entry = names[code];
  return (
    <span className="quota-code" data-testid={`quota-code-${code}`}>
      <code className="mono small">{code}</code>
      {entry ? (
        <span className="quota-code__name small">
          {entry.name ?? t('quotaExplained.nameUnconfirmed')}
          {entry.scope && <span className="muted"> · {t(`quotaExplained.scope.${entry.scope}`)}</span>}
        </span>
      ) : (
        <span className="quota-code__name small muted">{t('quotaExplained.unknownName')}</span>
      )}
    </span>
  );
}

/** The note under the table: where the names come from, and that AWS has other scopes of the same models. */
export function QuotaScopeNote() {
  const { t } = useTranslation();
  return (
    <>
      <p className="small muted">{t('quotaExplained.configNote')}</p>
      <p className="small muted" data-testid="quota-scope-note">
        {t('quotaExplained.scopeNote')}
      </p>
    </>
  );
}
