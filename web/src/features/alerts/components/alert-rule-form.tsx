import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Field, FieldSet, FormError, Notice } from '@/components/ui';
import { isApiError } from '@/lib/api-client';
import { fieldError } from '@/lib/form-errors';
import { useTeams } from '@/lib/api/queries/teams';
import type { AlertCondition, AlertRule, AlertRuleInput, AlertScope } from '@/lib/api/contract';
import { useAlertChannels } from '../api/list-alert-channels';
import { useConfigModels } from '../api/get-config-models';
import { AccountPicker } from './account-picker';
import { CONDITIONS, usesThreshold } from './alert-text';

const SCOPES: readonly AlertScope['kind'][] = ['fleet', 'team', 'account', 'model'];
const WINDOWS = ['1h', '24h', '7d'] as const;
type Window = (typeof WINDOWS)[number];

/** Every field the server may name in a 422 for a rule. */
export const RULE_FIELDS = [
  'name',
  'enabled',
  'condition',
  'threshold',
  'window',
  'duration_minutes',
  'renotify_minutes',
  'channel_ids',
  'scope',
  'version',
];

/** The form's text state of a rule (numbers as typed; the threshold of headroom_below in percent). */
interface Draft {
  name: string;
  enabled: boolean;
  condition: AlertCondition;
  kind: AlertScope['kind'];
  team: string;
  accountId: string;
  modelId: string;
  threshold: string;
  window: Window;
  duration: string;
  channelIds: string[];
  renotify: string;
}

function draftOf(rule: AlertRule | undefined): Draft {
  if (!rule)
    return {
      name: '',
      enabled: true,
      condition: 'headroom_below',
      kind: 'fleet',
      team: '',
      accountId: '',
      modelId: '',
      threshold: '20',
      window: '1h',
      duration: '30',
      channelIds: [],
      renotify: '0',
    };
  const pct = rule.condition === 'headroom_below' && rule.threshold !== null;
  return {
    name: rule.name,
    enabled: rule.enabled,
    condition: rule.condition,
    kind: rule.scope.kind,
    team: rule.scope.team ?? '',
    accountId: rule.scope.account_id ?? '',
    modelId: rule.scope.model_id ?? '',
    threshold: rule.threshold === null ? '' : String(pct ? Math.round(rule.threshold * 100000) / 1000 : rule.threshold),
    window: rule.window ?? '1h',
    duration: rule.duration_minutes === null ? '30' : String(rule.duration_minutes),
    channelIds: rule.channel_ids,
    renotify: String(rule.renotify_minutes),
  };
}

/** A number typed in a field; NaN for text that is not one (the server answers 422 for the field). */
const num = (text: string) => (text.trim() === '' ? NaN : Number(text));

/** The request body for a draft: only the fields its condition and scope kind use. */
export function inputOf(d: Draft): AlertRuleInput {
  const threshold = usesThreshold(d.condition);
  const t = num(d.threshold);
  return {
    name: d.name.trim(),
    enabled: d.enabled,
    condition: d.condition,
    scope: {
      kind: d.kind,
      team: d.kind === 'team' ? d.team : null,
      account_id: d.kind === 'account' || d.kind === 'model' ? d.accountId : null,
      model_id: d.kind === 'model' ? d.modelId : null,
    },
    threshold: threshold ? (d.condition === 'headroom_below' ? Math.round(t * 1000) / 100000 : t) : null,
    window: threshold ? d.window : null,
    duration_minutes: threshold ? null : num(d.duration),
    channel_ids: d.channelIds,
    renotify_minutes: num(d.renotify),
  };
}

/** The rule as a complete body (every field), e.g. to flip `enabled`. */
export function ruleInput(rule: AlertRule): AlertRuleInput {
  return inputOf(draftOf(rule));
}

/**
 * Creates a rule (no `rule`) or edits one. `submit` sends the body; `error` is its failure: a 422 shows next to the
 * field it names, a 409 says someone else changed the rule and offers `onReload`.
 */
export function AlertRuleForm({
  rule,
  submit,
  busy,
  error,
  onReload,
  actions,
}: {
  rule?: AlertRule;
  submit: (input: AlertRuleInput, reset: () => void) => void;
  busy: boolean;
  error: unknown;
  onReload?: () => void;
  actions: React.ReactNode;
}) {
  const { t } = useTranslation();
  const [d, setD] = useState<Draft>(() => draftOf(rule));
  const teams = useTeams();
  const channels = useAlertChannels();
  const models = useConfigModels(d.kind === 'model');
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setD((x) => ({ ...x, [key]: value }));
  const err = error;
  const conflict = isApiError(err) && err.status === 409 && !err.field;

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    submit(inputOf(d), () => setD(draftOf(undefined)));
  }
  const thresholdUsed = usesThreshold(d.condition);
  return (
    <form className="form" onSubmit={onSubmit} noValidate>
      {conflict ? (
        <Notice tone="error">
          <strong>{t('alerts.rules.conflict')}</strong>{' '}
          {onReload && (
            <button type="button" className="btn btn--small" onClick={onReload}>
              {t('alerts.reload')}
            </button>
          )}
        </Notice>
      ) : (
        <FormError error={err} fields={RULE_FIELDS} />
      )}
      <div className="form-grid">
        <Field label={t('alerts.rules.name')} error={fieldError(err, 'name')}>
          {(p) => <input {...p} className="input" value={d.name} onChange={(e) => set('name', e.target.value)} />}
        </Field>
        <Field label={t('alerts.rules.condition')} error={fieldError(err, 'condition')}>
          {(p) => (
            <select
              {...p}
              className="input"
              value={d.condition}
              onChange={(e) => set('condition', e.target.value as AlertCondition)}
            >
              {CONDITIONS.map((c) => (
                <option key={c} value={c}>
                  {t(`alerts.condition.${c}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        {thresholdUsed && (
          <Field
            label={t(
              d.condition === 'headroom_below' ? 'alerts.rules.thresholdPercent' : 'alerts.rules.thresholdCount',
            )}
            hint={t(
              d.condition === 'headroom_below'
                ? 'alerts.rules.thresholdPercentHint'
                : 'alerts.rules.thresholdCountHint',
            )}
            error={fieldError(err, 'threshold')}
          >
            {(p) => (
              <input
                {...p}
                type="number"
                className="input input--number"
                step="any"
                value={d.threshold}
                onChange={(e) => set('threshold', e.target.value)}
              />
            )}
          </Field>
        )}
        {thresholdUsed && (
          <Field label={t('alerts.rules.window')} error={fieldError(err, 'window')}>
            {(p) => (
              <select
                {...p}
                className="input"
                value={d.window}
                onChange={(e) => set('window', e.target.value as Window)}
              >
                {WINDOWS.map((w) => (
                  <option key={w} value={w}>
                    {t(`alerts.window.${w}`)}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
        {!thresholdUsed && (
          <Field
            label={t('alerts.rules.duration')}
            hint={t('alerts.rules.durationHint')}
            error={fieldError(err, 'duration_minutes')}
          >
            {(p) => (
              <input
                {...p}
                type="number"
                className="input input--number"
                min={1}
                max={43200}
                value={d.duration}
                onChange={(e) => set('duration', e.target.value)}
              />
            )}
          </Field>
        )}
        <Field
          label={t('alerts.rules.renotify')}
          hint={t('alerts.rules.renotifyHint')}
          error={fieldError(err, 'renotify_minutes')}
        >
          {(p) => (
            <input
              {...p}
              type="number"
              className="input input--number"
              min={0}
              max={43200}
              value={d.renotify}
              onChange={(e) => set('renotify', e.target.value)}
            />
          )}
        </Field>
      </div>
      <div className="form-grid">
        <Field label={t('alerts.rules.scope')} error={fieldError(err, 'scope.kind')}>
          {(p) => (
            <select
              {...p}
              className="input"
              value={d.kind}
              onChange={(e) => set('kind', e.target.value as AlertScope['kind'])}
            >
              {SCOPES.map((k) => (
                <option key={k} value={k}>
                  {t(`alerts.scope.${k}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        {d.kind === 'team' && (
          <Field label={t('alerts.rules.team')} error={fieldError(err, 'scope.team')}>
            {(p) => (
              <select {...p} className="input" value={d.team} onChange={(e) => set('team', e.target.value)}>
                <option value="">{t('alerts.rules.chooseTeam')}</option>
                {(teams.data?.items ?? []).map((x) => (
                  <option key={x.team_id} value={x.team_id}>
                    {x.name && x.name !== x.team_id ? `${x.name} (${x.team_id})` : x.team_id}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
        {(d.kind === 'account' || d.kind === 'model') && (
          <AccountPicker
            label={t('alerts.rules.account')}
            value={d.accountId}
            error={fieldError(err, 'scope.account_id')}
            onChange={(id) => set('accountId', id)}
          />
        )}
        {d.kind === 'model' && (
          <Field label={t('alerts.rules.model')} error={fieldError(err, 'scope.model_id')}>
            {(p) => (
              <select {...p} className="input" value={d.modelId} onChange={(e) => set('modelId', e.target.value)}>
                <option value="">{t('alerts.rules.chooseModel')}</option>
                {(models.data ?? []).map((m) => (
                  <option key={m.model_id} value={m.model_id}>
                    {m.display_name} ({m.model_id})
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
      </div>
      <FieldSet legend={t('alerts.rules.channels')} error={fieldError(err, 'channel_ids')}>
        {channels.data && channels.data.items.length === 0 && (
          <p className="muted small">{t('alerts.rules.noChannels')}</p>
        )}
        <div className="multi-check__options">
          {(channels.data?.items ?? []).map((c) => (
            <label key={c.id} className="check">
              <input
                type="checkbox"
                checked={d.channelIds.includes(c.id)}
                onChange={(e) =>
                  set('channelIds', e.target.checked ? [...d.channelIds, c.id] : d.channelIds.filter((x) => x !== c.id))
                }
              />
              <span>
                {c.name} <span className="muted small">{t(`alerts.channels.kind.${c.kind}`)}</span>
              </span>
            </label>
          ))}
        </div>
      </FieldSet>
      <label className="check">
        <input type="checkbox" checked={d.enabled} onChange={(e) => set('enabled', e.target.checked)} />
        <span>{t('alerts.rules.enabled')}</span>
      </label>
      {busy && <span className="sr-only">{t('common.saving')}</span>}
      {actions}
    </form>
  );
}
