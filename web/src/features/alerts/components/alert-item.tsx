import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Badge, ErrorMessage, ExactTime } from '@/components/ui';
import { useFormat } from '@/lib/use-format';
import type { Alert, AlertDelivery } from '../api/list-alerts';
import { useAcknowledgeAlert } from '../api/acknowledge-alert';
import { useMuteAlert } from '../api/mute-alert';
import { alertValue, isMuted, isoAfter } from './alert-text';
import { MuteUntilDialog } from './mute-dialog';

const HOUR = 3600 * 1000;

/** Names for ids the page knows (account names; channel names and user emails for admins); the id otherwise. */
export interface AlertNames {
  account: (id: string) => string | undefined;
  channel: (id: string) => string | undefined;
  user: (id: string) => string | undefined;
}

function DeliveryLine({ d, names }: { d: AlertDelivery; names: AlertNames }) {
  const { t } = useTranslation();
  const f = useFormat();
  const channel = names.channel(d.channel_id) ?? d.channel_id;
  return (
    <li className="plain-list__row">
      <span>
        <strong>{channel}</strong> <span className="muted small">{t(`alerts.notice.${d.notice}`)}</span>
      </span>
      <span>
        {d.delivered ? (
          <Badge tone="ok">{t('alerts.delivered')}</Badge>
        ) : (
          <Badge tone="error">{t('alerts.deliveryFailed')}</Badge>
        )}{' '}
        {!d.delivered && d.error && <span className="text-error">{d.error}</span>}{' '}
        {!d.delivered && d.next_retry_at && (
          <span className="muted small">{t('alerts.nextRetry', { when: f.dateTime(d.next_retry_at) })} · </span>
        )}
        <span className="muted small">
          {d.http_status !== null && `${t('alerts.httpStatus', { status: d.http_status })} · `}
          {t('alerts.attempts', { count: d.attempts })} · {f.dateTime(d.at)}
        </span>
      </span>
    </li>
  );
}

/** One alert: what fired, where, since when, its last value, its notifications per channel, and its actions. */
export function AlertItem({ alert, names, canAct }: { alert: Alert; names: AlertNames; canAct: boolean }) {
  const { t } = useTranslation();
  const f = useFormat();
  const ack = useAcknowledgeAlert();
  const mute = useMuteAlert();
  const [muting, setMuting] = useState(false);
  // Read once per render: whether the mute is still in force decides which button shows.
  const [now] = useState(() => Date.now());
  const firing = alert.state === 'firing';
  const muted = isMuted(alert, now);
  const ruleName = alert.rule_name ?? t('alerts.ruleGone', { id: alert.rule_id });
  const accountName = names.account(alert.target.account_id);
  const label = `${ruleName} · ${alert.target.account_id}`;

  return (
    <article className="card" aria-label={label}>
      <div className="section__head">
        <h3 className="card__title">
          {ruleName}{' '}
          {alert.condition && <span className="muted small">{t(`alerts.condition.${alert.condition}`)}</span>}
        </h3>
        <span className="button-row">
          <Badge tone={firing ? 'error' : 'ok'}>{t(`alerts.state.${alert.state}`)}</Badge>
          {alert.acknowledged_by && <Badge tone="info">{t('alerts.acknowledged')}</Badge>}
          {muted && <Badge tone="muted">{t('alerts.muted')}</Badge>}
        </span>
      </div>
      <dl className="kv">
        <div className="kv__row">
          <dt>{t('alerts.target')}</dt>
          <dd>
            {accountName ? `${accountName} (${alert.target.account_id})` : alert.target.account_id} ·{' '}
            {alert.target.region}
            {alert.target.model_id && <span className="mono"> · {alert.target.model_id}</span>}
          </dd>
        </div>
        <div className="kv__row">
          <dt>{t('alerts.started')}</dt>
          <dd>
            <ExactTime iso={alert.started_at} />
            {alert.resolved_at && ` · ${t('alerts.resolvedAt', { when: f.dateTime(alert.resolved_at) })}`}
          </dd>
        </div>
        <div className="kv__row">
          <dt>{t('alerts.value.label')}</dt>
          <dd>
            <strong>{alertValue(t, alert)}</strong> {alert.summary}
          </dd>
        </div>
        {alert.acknowledged_by && (
          <div className="kv__row">
            <dt>{t('alerts.acknowledged')}</dt>
            <dd>
              {t('alerts.acknowledgedBy', {
                who: names.user(alert.acknowledged_by) ?? alert.acknowledged_by,
                when: f.dateTime(alert.acknowledged_at),
              })}
            </dd>
          </div>
        )}
        {alert.muted_until && (
          <div className="kv__row">
            <dt>{t('alerts.muted')}</dt>
            <dd>{t(muted ? 'alerts.mutedUntil' : 'alerts.muteEnded', { when: f.dateTime(alert.muted_until) })}</dd>
          </div>
        )}
      </dl>
      <h4>{t('alerts.deliveries')}</h4>
      {alert.pending_notice && (
        <p className="text-warn small">
          {t('alerts.pendingNotice', { notice: t(`alerts.notice.${alert.pending_notice}`) })}
        </p>
      )}
      {alert.deliveries.length === 0 ? (
        <p className="muted small">{t('alerts.noDeliveries')}</p>
      ) : (
        <ul className="plain-list" aria-label={t('alerts.deliveriesOf', { name: label })}>
          {alert.deliveries.map((d) => (
            <DeliveryLine key={d.channel_id} d={d} names={names} />
          ))}
        </ul>
      )}
      {canAct && (
        <div className="button-row">
          {firing && !alert.acknowledged_by && (
            <button
              type="button"
              className="btn btn--small"
              disabled={ack.isPending}
              onClick={() => ack.mutate(alert.alert_id)}
            >
              {t('alerts.acknowledge')}
            </button>
          )}
          {[1, 24].map((hours) => (
            <button
              key={hours}
              type="button"
              className="btn btn--small"
              disabled={mute.isPending}
              onClick={() => mute.mutate({ alertId: alert.alert_id, until: isoAfter(Date.now(), hours * HOUR) })}
            >
              {t('alerts.muteFor', { hours })}
            </button>
          ))}
          <button type="button" className="btn btn--small" onClick={() => setMuting(true)}>
            {t('alerts.muteUntil')}
          </button>
          {muted && (
            <button
              type="button"
              className="btn btn--small"
              disabled={mute.isPending}
              onClick={() => mute.mutate({ alertId: alert.alert_id, until: null })}
            >
              {t('alerts.unmute')}
            </button>
          )}
        </div>
      )}
      <ErrorMessage error={ack.error ?? mute.error} />
      {muting && <MuteUntilDialog alertId={alert.alert_id} label={label} onClose={() => setMuting(false)} />}
    </article>
  );
}
