import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Badge, StateBadge, ThrottleMarker, TimePhrase, UsageBar } from '@/components/ui';
import { useFormat } from '@/lib/use-format';
import type { Dimension, ModelQuota, ModelUsage, QuotaValue, WindowUsage } from '@/lib/api/contract';
import { DefaultBeside, QuotaAbout } from './quota-explained';

function ValueRow({ dim, v, action }: { dim: Dimension; v: QuotaValue; action?: ReactNode }) {
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <div className="quota-value" data-dim={dim}>
      <dt title={v.quota_name ?? undefined}>{t(`quota.dim.${dim}`)}</dt>
      <dd>
        <span className="quota-value__line">
          <span className="quota-value__number" title={f.full(v.value)}>
            {f.compact(v.value)}
          </span>
          <StateBadge state={v.state} />
          {v.source && (
            <Badge tone={v.source === 'applied' ? 'info' : 'muted'}>
              {t(v.source === 'applied' ? 'quota.applied' : 'quota.awsDefault')}
            </Badge>
          )}
          {action}
        </span>
        <DefaultBeside v={v} />
        {(v.read_at || v.attempted_at) && (
          // The exact times are buttons (focus or tap shows them), not only a hover title.
          <span className="quota-value__when small muted">
            {v.read_at ? (
              <TimePhrase phrase={(when) => t('quota.readAgo', { when })} iso={v.read_at} />
            ) : (
              t('quota.neverRead')
            )}
            {v.state !== 'ok' && v.attempted_at && (
              <>
                {' · '}
                <TimePhrase phrase={(when) => t('quota.attemptedAgo', { when })} iso={v.attempted_at} />
              </>
            )}
          </span>
        )}
        {v.quota_code ? null : <span className="small muted">{t('quota.noCode')}</span>}
        {(v.state === 'error' || v.state === 'stale') && v.reason && (
          <span className="small text-error">{v.reason}</span>
        )}
      </dd>
    </div>
  );
}

/** A usage window: 1h, 24h or 7d. */
export type UsageWindow = WindowUsage['window'];

/**
 * The model's usage in one window: TPM (quota-weighted tokens) and RPM bars against the quotas the poll saw, with
 * throttles. "no usage data" when the model has no usage (never polled, or no series of it) or not this window.
 */
function UsageBlock({ usage, window }: { usage: ModelUsage | null; window: UsageWindow }) {
  const { t } = useTranslation();
  const w = usage?.windows.find((x) => x.window === window);
  return (
    // Not a <section> with a label: that made each card's usage a landmark, all with the same name.
    <div className="usage-block">
      <h4>{t('usage.usageIn', { window: t(`usage.windows.${window}`) })}</h4>
      {!usage || !w ? (
        <span className="muted small">{t('usage.noData')}</span>
      ) : (
        <>
          {(
            [
              ['tpm', w.headroom_tpm, w.weighted_tokens, usage.quota_tpm],
              ['rpm', w.headroom_rpm, w.requests, usage.quota_rpm],
            ] as const
          ).map(([dim, headroom, series, quota]) => (
            <UsageBar
              key={dim}
              label={t(`quota.dim.${dim}`)}
              headroom={headroom}
              peak={series.peak}
              p95={series.p95}
              quota={quota}
            />
          ))}
          <ThrottleMarker throttles={w.throttles} />
        </>
      )}
    </div>
  );
}

/** Something placed beside one value of a card (the app puts another feature's button there), or nothing. */
export type ValueAction = (dim: Dimension, v: QuotaValue) => ReactNode;

/**
 * One enabled model of an account: TPM, RPM and (for 1M-context models) 1M TPM and 1M RPM, and its usage in `window`
 * (default 24 hours). `valueAction` adds something beside each value.
 */
export function QuotaCard({
  model,
  window = '24h',
  valueAction,
}: {
  model: ModelQuota;
  window?: UsageWindow;
  valueAction?: ValueAction;
}) {
  const { t } = useTranslation();
  const dims: [Dimension, QuotaValue | null][] = [
    ['tpm', model.tpm],
    ['rpm', model.rpm],
    ['tpm_1m', model.tpm_1m],
    ['rpm_1m', model.rpm_1m],
  ];
  return (
    <article
      className={`card quota-card quota-card--${model.status}`}
      aria-label={model.display_name}
      data-testid={`quota-card-${model.model_id}`}
    >
      <header className="quota-card__head">
        <div>
          <h3 className="card__title">{model.display_name}</h3>
          <p className="small muted mono">{model.model_id}</p>
        </div>
        <StateBadge state={model.status} title={t('quota.modelStatus')} />
      </header>
      <dl className="quota-values">
        {dims.map(([dim, v]) => (v ? <ValueRow key={dim} dim={dim} v={v} action={valueAction?.(dim, v)} /> : null))}
      </dl>
      <QuotaAbout model={model} />
      <UsageBlock usage={model.usage} window={window} />
    </article>
  );
}
