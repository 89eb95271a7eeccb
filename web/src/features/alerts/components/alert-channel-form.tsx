import { useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Field, FormError, Notice, TextField } from '@/components/ui';
import { isApiError } from '@/lib/api-client';
import { fieldError } from '@/lib/form-errors';
import type { AlertChannel, AlertChannelInput, AlertChannelKind, AlertChannelPut } from '@/lib/api/contract';

const KINDS: readonly AlertChannelKind[] = ['webhook', 'slack', 'sns'];
export const CHANNEL_FIELDS = ['kind', 'name', 'enabled', 'url', 'secret', 'topic_arn', 'region', 'version'];

interface Draft {
  kind: AlertChannelKind;
  name: string;
  enabled: boolean;
  url: string;
  secret: string;
  removeSecret: boolean;
  topicArn: string;
  region: string;
}

function draftOf(c: AlertChannel | undefined): Draft {
  return {
    kind: c?.kind ?? 'webhook',
    name: c?.name ?? '',
    enabled: c?.enabled ?? true,
    // A Slack URL is shown masked and never sent back: the field starts empty ("leave empty to keep").
    url: c?.kind === 'webhook' ? (c.url ?? '') : '',
    secret: '',
    removeSecret: false,
    topicArn: c?.topic_arn ?? '',
    region: c?.region ?? '',
  };
}

/** The body of a new channel: only the fields of its kind. */
function createBody(d: Draft): AlertChannelInput {
  const base = { kind: d.kind, name: d.name.trim(), enabled: d.enabled };
  if (d.kind === 'sns') return { ...base, topic_arn: d.topicArn.trim(), region: d.region.trim() };
  if (d.kind === 'slack') return { ...base, url: d.url.trim() };
  return { ...base, url: d.url.trim(), ...(d.secret ? { secret: d.secret } : {}) };
}

/** The body of a change: an empty URL or secret keeps the stored one; "remove the secret" sends null. */
function putBody(d: Draft, version: number): AlertChannelPut {
  const base = { version, kind: d.kind, name: d.name.trim(), enabled: d.enabled };
  if (d.kind === 'sns') return { ...base, topic_arn: d.topicArn.trim(), region: d.region.trim() };
  const url = d.url.trim() ? { url: d.url.trim() } : {};
  if (d.kind === 'slack') return { ...base, ...url };
  const secret = d.removeSecret ? { secret: null } : d.secret ? { secret: d.secret } : {};
  return { ...base, ...url, ...secret };
}

/**
 * Creates a channel (no `channel`) or changes one (its kind is fixed). Secrets are write-only: the Slack URL and
 * the webhook secret are never shown; leaving them empty keeps what is stored. 422 shows next to the field; a
 * 409 says someone else changed the channel and offers `onReload`.
 */
export function AlertChannelForm({
  channel,
  onCreate,
  onUpdate,
  error,
  onReload,
  actions,
}: {
  channel?: AlertChannel;
  onCreate?: (body: AlertChannelInput, reset: () => void) => void;
  onUpdate?: (body: AlertChannelPut) => void;
  error: unknown;
  onReload?: () => void;
  actions: ReactNode;
}) {
  const { t } = useTranslation();
  const [d, setD] = useState<Draft>(() => draftOf(channel));
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setD((x) => ({ ...x, [key]: value }));
  const err = error;
  const conflict = isApiError(err) && err.status === 409 && !err.field && Boolean(channel);
  function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (channel) onUpdate?.(putBody(d, channel.version));
    else onCreate?.(createBody(d), () => setD(draftOf(undefined)));
  }
  const keepHint = t('alerts.channels.keepHint');
  return (
    <form className="form" onSubmit={onSubmit} noValidate>
      {conflict ? (
        <Notice tone="error">
          <strong>{t('alerts.channels.conflict')}</strong>{' '}
          {onReload && (
            <button type="button" className="btn btn--small" onClick={onReload}>
              {t('alerts.reload')}
            </button>
          )}
        </Notice>
      ) : (
        <FormError error={err} fields={CHANNEL_FIELDS} />
      )}
      <div className="form-grid">
        <Field label={t('alerts.channels.kindLabel')} error={fieldError(err, 'kind')}>
          {(p) => (
            <select
              {...p}
              className="input"
              value={d.kind}
              disabled={Boolean(channel)}
              onChange={(e) => set('kind', e.target.value as AlertChannelKind)}
            >
              {KINDS.map((k) => (
                <option key={k} value={k}>
                  {t(`alerts.channels.kind.${k}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <TextField
          label={t('alerts.channels.name')}
          error={fieldError(err, 'name')}
          value={d.name}
          onChange={(v) => set('name', v)}
        />
        {d.kind === 'webhook' && (
          <TextField
            label={t('alerts.channels.url')}
            hint={t('alerts.channels.urlHint')}
            error={fieldError(err, 'url')}
            type="url"
            value={d.url}
            onChange={(v) => set('url', v)}
          />
        )}
        {d.kind === 'slack' && (
          <TextField
            label={t('alerts.channels.slackUrl')}
            hint={
              channel
                ? t('alerts.channels.slackUrlSet', { masked: channel.url ?? '—' })
                : t('alerts.channels.slackUrlHint')
            }
            placeholder={channel ? keepHint : undefined}
            error={fieldError(err, 'url')}
            type="password"
            autoComplete="off"
            value={d.url}
            onChange={(v) => set('url', v)}
          />
        )}
        {d.kind === 'webhook' && (
          <TextField
            label={t('alerts.channels.secret')}
            hint={channel?.has_secret ? keepHint : t('alerts.channels.secretHint')}
            placeholder={channel?.has_secret ? keepHint : undefined}
            error={fieldError(err, 'secret')}
            type="password"
            autoComplete="new-password"
            value={d.secret}
            disabled={d.removeSecret}
            onChange={(v) => set('secret', v)}
          />
        )}
        {d.kind === 'sns' && (
          <TextField
            label={t('alerts.channels.topicArn')}
            error={fieldError(err, 'topic_arn')}
            value={d.topicArn}
            onChange={(v) => set('topicArn', v)}
          />
        )}
        {d.kind === 'sns' && (
          <TextField
            label={t('alerts.channels.region')}
            error={fieldError(err, 'region')}
            value={d.region}
            onChange={(v) => set('region', v)}
          />
        )}
      </div>
      {d.kind === 'webhook' && channel?.has_secret && (
        <label className="check">
          <input type="checkbox" checked={d.removeSecret} onChange={(e) => set('removeSecret', e.target.checked)} />
          <span>{t('alerts.channels.removeSecret')}</span>
        </label>
      )}
      <label className="check">
        <input type="checkbox" checked={d.enabled} onChange={(e) => set('enabled', e.target.checked)} />
        <span>{t('alerts.channels.enabled')}</span>
      </label>
      {actions}
    </form>
  );
}
