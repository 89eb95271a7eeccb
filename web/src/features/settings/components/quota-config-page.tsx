import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Badge, DataTable, ErrorMessage, Loading, Notice, softDisabled } from '@/components/ui';
import { isApiError } from '@/lib/api-client';
import { useFormat } from '@/lib/use-format';
import { useQuotaConfig } from '../api/get-quota-config';
import { usePutQuotaConfig } from '../api/put-quota-config';
import { useAvailableModels, useRediscoverModels, type AvailableModel } from '../api/get-available-models';
import type { ModelSpec } from '../api/schemas';
import { useUsers } from '../api/get-users';
import { ConfigConflict } from './config-conflict';
import { FleetRefreshOffer } from './fleet-refresh-offer';
import { QuotaCodeName, QuotaScopeNote } from './quota-code-name';

/** The output token burndown an admin may type: a whole number 1..100 (as the server checks). */
export function parseBurndown(text: string): number | null {
  if (!/^\d{1,3}$/.test(text.trim())) return null;
  const n = Number(text.trim());
  return n >= 1 && n <= 100 ? n : null;
}

function AvailableModels({ models, onAdd }: { models: ModelSpec[]; onAdd: (m: AvailableModel) => void }) {
  const { t } = useTranslation();
  const f = useFormat();
  const available = useAvailableModels();
  const rediscover = useRediscoverModels();
  if (available.isPending) return <Loading />;
  if (available.error) return <ErrorMessage error={available.error} />;
  const data = available.data;
  const inDraft = new Set(models.map((m) => m.model_id));
  const addable = data.models.filter((m) => !inDraft.has(m.model_id));
  return (
    <>
      <div className="section__head">
        <p className="small muted">
          {data.source === 'aws'
            ? t('quotaConfig.availableFromAws', {
                account: data.account_id ?? '—',
                region: data.region ?? '—',
                when: f.dateTime(data.discovered_at),
              })
            : t('quotaConfig.availableFromCatalogue', { when: f.dateTime(data.discovered_at) })}
          {data.fallback_reason && <span className="text-warn"> {data.fallback_reason}</span>}
        </p>
        <button
          type="button"
          className="btn btn--small"
          onClick={() => rediscover.mutate()}
          disabled={rediscover.isPending}
        >
          {rediscover.isPending ? t('common.loading') : t('quotaConfig.askAwsAgain')}
        </button>
      </div>
      <ErrorMessage error={rediscover.error} />
      {addable.length === 0 ? (
        <p className="muted">{t('quotaConfig.allAdded')}</p>
      ) : (
        <ul className="plain-list">
          {addable.map((m) => (
            <li key={m.model_id} className="plain-list__row">
              <span>
                <strong>{m.display_name}</strong> <span className="mono small muted">{m.model_id}</span>{' '}
                {m.has_1m_context && <Badge tone="info">{t('quota.oneM')}</Badge>}
              </span>
              <button
                type="button"
                className="btn btn--small"
                onClick={() => onAdd(m)}
                aria-label={t('quotaConfig.addModel', { name: m.display_name })}
              >
                {t('common.add')}
              </button>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

/** One model's output token burndown: a number input, checked as typed (a whole number 1..100). */
function BurndownInput({ name, text, onChange }: { name: string; text: string; onChange: (text: string) => void }) {
  const { t } = useTranslation();
  const errorId = useId();
  const invalid = parseBurndown(text) === null;
  return (
    <>
      <input
        type="number"
        className="input input--number"
        min={1}
        max={100}
        step={1}
        inputMode="numeric"
        aria-label={t('quotaConfig.burndownFor', { name })}
        aria-invalid={invalid ? true : undefined}
        aria-describedby={invalid ? errorId : undefined}
        value={text}
        onChange={(e) => onChange(e.target.value)}
      />
      {invalid && (
        <p id={errorId} className="field__error" role="alert">
          {t('quotaConfig.burndownInvalid')}
        </p>
      )}
    </>
  );
}

/** The quota configuration: which models are read and shown; codes are read-only; saving sends the version read. */
export default function QuotaConfigPage() {
  const { t } = useTranslation();
  const f = useFormat();
  const config = useQuotaConfig();
  const put = usePutQuotaConfig();
  // Only to show who last saved: the first 1000 users by email; beyond them the user id is shown.
  const users = useUsers({ page_size: 1000 });
  const [draft, setDraft] = useState<ModelSpec[] | null>(null);
  const [saved, setSaved] = useState(false);
  // Issue 16 §3: the models the last save made start being read (offered a fleet refresh), and a model whose
  // dashboard flag was cleared because it was disabled (said, never silent).
  const [newlyRead, setNewlyRead] = useState<string[]>([]);
  const [hiddenNotice, setHiddenNotice] = useState<string | null>(null);
  // Burndown text as typed, per model id, while it differs from the draft's number (the draft keeps the last
  // valid value; an invalid entry blocks saving and is shown next to its input).
  const [burndownText, setBurndownText] = useState<Record<string, string>>({});
  // The models my edit started from, kept when a save meets a newer version (409), to re-apply the edit on it.
  const [conflictBase, setConflictBase] = useState<ModelSpec[] | null>(null);

  if (config.isPending) return <Loading />;
  if (config.error) return <ErrorMessage error={config.error} />;
  const models = draft ?? config.data.models;
  const dirty = draft !== null && JSON.stringify(draft) !== JSON.stringify(config.data.models);
  const conflict = isApiError(put.error) && put.error.status === 409;
  const invalidBurndown = models.some((m) => {
    const text = burndownText[m.model_id];
    return text !== undefined && parseBurndown(text) === null;
  });

  function edit(next: ModelSpec[]) {
    setSaved(false);
    setDraft(next);
  }
  function setFlag(id: string, key: 'enabled' | 'show_in_dashboard', value: boolean) {
    // A disabled model is not read, so it cannot be shown (the server refuses it with a 422): disabling one that
    // is shown also hides it, and says so.
    const hide = key === 'enabled' && !value;
    const target = models.find((m) => m.model_id === id);
    setHiddenNotice(hide && target?.show_in_dashboard ? target.display_name : null);
    edit(
      models.map((m) =>
        m.model_id === id ? { ...m, [key]: value, ...(hide ? { show_in_dashboard: false } : {}) } : m,
      ),
    );
  }
  function setBurndown(id: string, text: string) {
    setBurndownText({ ...burndownText, [id]: text });
    const n = parseBurndown(text);
    if (n === null) {
      setSaved(false);
      return;
    }
    edit(models.map((m) => (m.model_id === id ? { ...m, output_token_burndown: n } : m)));
  }
  function discard() {
    setDraft(null);
    setBurndownText({});
  }
  function add(m: AvailableModel) {
    edit([
      ...models,
      {
        model_id: m.model_id,
        display_name: m.display_name,
        quota_code_tpm: m.quota_code_tpm,
        quota_code_rpm: m.quota_code_rpm,
        quota_code_tpm_1m: m.quota_code_tpm_1m ?? null,
        quota_code_rpm_1m: m.quota_code_rpm_1m ?? null,
        has_1m_context: m.has_1m_context ?? Boolean(m.quota_code_tpm_1m || m.quota_code_rpm_1m),
        enabled: true,
        show_in_dashboard: false,
        output_token_burndown: m.output_token_burndown,
      },
    ]);
  }
  function save() {
    if (!config.data || invalidBurndown) return;
    put.mutate(
      { config_id: config.data.config_id, models, version: config.data.version },
      {
        onSuccess: (result) => {
          discard();
          setSaved(true);
          setHiddenNotice(null);
          setNewlyRead(result.newly_read_models);
        },
        onError: (e) => {
          if (!isApiError(e) || e.status !== 409) return;
          setConflictBase(config.data.models);
          void config.refetch();
        },
      },
    );
  }
  async function reload() {
    put.reset();
    discard();
    setSaved(false);
    await config.refetch();
  }

  return (
    <section aria-labelledby="qc-title">
      <div className="section__head">
        <div>
          <h2 id="qc-title">{t('quotaConfig.title')}</h2>
          <p className="small muted">
            {t('quotaConfig.meta', {
              version: config.data.version,
              when: f.dateTime(config.data.updated_at),
              by:
                users.data?.items.find((u) => u.user_id === config.data.updated_by)?.email ??
                (config.data.updated_by || '—'),
            })}
          </p>
        </div>
        <div className="button-row">
          <button
            type="button"
            className="btn"
            {...softDisabled((!dirty && !invalidBurndown) || put.isPending, discard)}
          >
            {t('quotaConfig.discard')}
          </button>
          <button
            type="button"
            className="btn btn--primary"
            {...softDisabled(!dirty || invalidBurndown || put.isPending, save)}
          >
            {put.isPending ? t('common.saving') : t('common.save')}
          </button>
        </div>
      </div>
      {conflict && conflictBase && draft && config.data.version !== put.variables?.version && (
        <ConfigConflict
          base={conflictBase}
          mine={draft}
          latest={config.data}
          who={
            users.data?.items.find((u) => u.user_id === config.data.updated_by)?.email ??
            (config.data.updated_by || null)
          }
          onReapply={(merged) => {
            put.reset();
            setConflictBase(null);
            setSaved(false);
            setDraft(merged);
          }}
          onDiscard={() => void reload()}
        />
      )}
      {conflict && !(conflictBase && draft && config.data.version !== put.variables?.version) && (
        <div className="alert alert--error" role="alert">
          <strong>{t('quotaConfig.conflict')}</strong>{' '}
          <button type="button" className="btn btn--small" onClick={() => void reload()}>
            {t('quotaConfig.reload')}
          </button>
        </div>
      )}
      {put.error && !conflict && <ErrorMessage error={put.error} />}
      {saved && !dirty && <Notice tone="success">{t('quotaConfig.saved')}</Notice>}
      {saved && !dirty && (
        <FleetRefreshOffer models={config.data.models.filter((m) => newlyRead.includes(m.model_id))} />
      )}
      {hiddenNotice && <Notice tone="warn">{t('configData.hiddenBecauseDisabled', { name: hiddenNotice })}</Notice>}
      {dirty && <p className="small text-warn">{t('quotaConfig.unsaved')}</p>}
      <DataTable
        caption={t('quotaConfig.title')}
        columns={[
          t('quota.model'),
          t('quotaConfig.codeTpm'),
          t('quotaConfig.codeRpm'),
          t('quotaConfig.codeTpm1m'),
          t('quotaConfig.codeRpm1m'),
          t('quotaConfig.enabled'),
          t('quotaConfig.showInDashboard'),
          t('quotaConfig.burndown'),
        ]}
        actions
      >
        {models.map((m) => (
          <tr key={m.model_id}>
            <th scope="row">
              {m.display_name} {m.has_1m_context && <Badge tone="info">{t('quota.oneM')}</Badge>}
              <div className="mono small muted">{m.model_id}</div>
            </th>
            <td>
              <QuotaCodeName code={m.quota_code_tpm} names={config.data.quota_names} />
            </td>
            <td>
              <QuotaCodeName code={m.quota_code_rpm} names={config.data.quota_names} />
            </td>
            <td>
              <QuotaCodeName code={m.quota_code_tpm_1m} names={config.data.quota_names} />
            </td>
            <td>
              <QuotaCodeName code={m.quota_code_rpm_1m} names={config.data.quota_names} />
            </td>
            <td>
              <input
                type="checkbox"
                aria-label={t('quotaConfig.enabledFor', { name: m.display_name })}
                checked={m.enabled}
                onChange={(e) => setFlag(m.model_id, 'enabled', e.target.checked)}
              />
            </td>
            <td>
              <input
                type="checkbox"
                aria-label={t('quotaConfig.showFor', { name: m.display_name })}
                checked={m.show_in_dashboard}
                disabled={!m.enabled && !m.show_in_dashboard}
                title={!m.enabled ? t('configData.showNeedsEnabled') : undefined}
                onChange={(e) => setFlag(m.model_id, 'show_in_dashboard', e.target.checked)}
              />
            </td>
            <td>
              <BurndownInput
                name={m.display_name}
                text={burndownText[m.model_id] ?? String(m.output_token_burndown)}
                onChange={(text) => setBurndown(m.model_id, text)}
              />
            </td>
            <td>
              <button
                type="button"
                className="btn btn--small btn--ghost"
                onClick={() => edit(models.filter((x) => x.model_id !== m.model_id))}
                aria-label={t('quotaConfig.removeModel', { name: m.display_name })}
              >
                {t('common.remove')}
              </button>
            </td>
          </tr>
        ))}
      </DataTable>
      <p className="small muted">{t('quotaConfig.burndownHint')}</p>
      <QuotaScopeNote />
      <section aria-labelledby="available-title" className="section">
        <h3 id="available-title">{t('quotaConfig.availableTitle')}</h3>
        <AvailableModels models={models} onAdd={add} />
      </section>
    </section>
  );
}
