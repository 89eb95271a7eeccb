// What the quota numbers mean (issue 16 §2): the AWS quota behind each code (name and scope, from the catalogue), the
// difference between an applied value and AWS's default, and the note that other scopes of the same model exist.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '@/lib/use-format';
import type { Dimension, ModelQuota, QuotaValue } from '@/lib/api/contract';
import './quota-explained.css';

type Scope = NonNullable<QuotaValue['quota_scope']>;

/** The scope's label ("Global cross-Region"), or null when unknown. */
export function useScopeLabel() {
  const { t } = useTranslation();
  return (scope: Scope | null | undefined) => (scope ? t(`quotaExplained.scope.${scope}`) : null);
}

/** The AWS default beside an applied value, when it is known and differs; nothing otherwise. */
export function DefaultBeside({ v }: { v: QuotaValue }) {
  const { t } = useTranslation();
  const f = useFormat();
  if (v.source !== 'applied' || v.aws_default === null || v.value === null || v.aws_default === v.value) return null;
  return (
    <span
      className="quota-value__default small muted"
      title={t('quotaExplained.defaultBesideTitle', {
        value: f.full(v.aws_default),
        when: f.dateTime(v.aws_default_read_at),
      })}
      data-testid="aws-default"
    >
      {t('quotaExplained.defaultBeside', { value: f.compact(v.aws_default) })}
    </span>
  );
}

/** A card's legend: each dimension's code with AWS's quota name and scope (always reachable: a disclosure). */
export function QuotaAbout({ model }: { model: ModelQuota }) {
  const { t } = useTranslation();
  const scopeLabel = useScopeLabel();
  const dims: [Dimension, QuotaValue | null][] = [
    ['tpm', model.tpm],
    ['rpm', model.rpm],
    ['tpm_1m', model.tpm_1m],
    ['rpm_1m', model.rpm_1m],
  ];
  // The list is rendered only while open: closed, the card's texts stay what they were (one "TPM" per value).
  const [open, setOpen] = useState(false);
  const shown = dims.filter((d): d is [Dimension, QuotaValue] => Boolean(d[1]?.quota_code));
  if (shown.length === 0) return null;
  return (
    <details
      className="quota-about"
      data-testid={`quota-about-${model.model_id}`}
      onToggle={(e) => setOpen(e.currentTarget.open)}
    >
      <summary>{t('quotaExplained.aboutTitle')}</summary>
      {open && (
        <dl className="quota-about__list">
          {shown.map(([dim, v]) => (
            <div key={dim}>
              <dt>
                {t('quotaExplained.aboutCode', { dim: t(`quota.dim.${dim}`), code: v.quota_code })}
                {v.quota_scope && <span className="quota-about__scope"> · {scopeLabel(v.quota_scope)}</span>}
              </dt>
              <dd>{v.quota_name ?? <span className="muted">{t('quotaExplained.unknownName')}</span>}</dd>
            </div>
          ))}
        </dl>
      )}
    </details>
  );
}

/** The page's help: applied vs AWS default, and which scope the values are (other scopes are not shown). */
export function QuotaHelp() {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <details className="quota-help" data-testid="quota-help" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>{t('quotaExplained.helpTitle')}</summary>
      {open && (
        <>
          <p>
            <strong>{t('quota.applied')}</strong> — {t('quotaExplained.appliedHelp')}
          </p>
          <p>
            <strong>{t('quota.awsDefault')}</strong> — {t('quotaExplained.defaultHelp')}
          </p>
          <p>{t('quotaExplained.scopeNote')}</p>
        </>
      )}
    </details>
  );
}
