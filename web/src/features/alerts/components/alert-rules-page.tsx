import { useState } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import { DataTable, Dialog, ErrorMessage, FormActions, Loading, RowAction } from '@/components/ui';
import { isApiError } from '@/lib/api-client';
import type { AlertRule } from '@/lib/api/contract';
import { alertKeys } from '../api/keys';
import { getAlertRule, useAlertRules } from '../api/list-alert-rules';
import { useAlertChannels } from '../api/list-alert-channels';
import { useCreateAlertRule } from '../api/create-alert-rule';
import { useUpdateAlertRule } from '../api/update-alert-rule';
import { useDeleteAlertRule } from '../api/delete-alert-rule';
import { AlertRuleForm, ruleInput } from './alert-rule-form';
import { describeRule } from './alert-text';
import { ConflictNotice, VersionedDelete } from './versioned-delete';
import { useReloadable } from './use-reloadable';
import { CreateCard, EnabledBadge } from './admin-parts';

function scopeText(t: TFunction, rule: AlertRule): string {
  const s = rule.scope;
  switch (s.kind) {
    case 'team':
      return `${t('alerts.scope.team')}: ${s.team ?? '—'}`;
    case 'account':
      return `${t('alerts.scope.account')}: ${s.account_id ?? '—'}`;
    case 'model':
      return `${t('alerts.scope.model')}: ${s.model_id ?? '—'} · ${s.account_id ?? '—'}`;
    default:
      return t('alerts.scope.fleet');
  }
}

/** Edits a rule; after a 409 "Reload" reads the rule again and restarts the form from what is stored now. */
function EditRuleDialog({ rule, onClose }: { rule: AlertRule; onClose: () => void }) {
  const { t } = useTranslation();
  const update = useUpdateAlertRule();
  const { current, reloadError, reload } = useReloadable(rule, () => getAlertRule(rule.id), update.reset);
  return (
    <Dialog title={t('alerts.rules.editTitle', { name: rule.name })} onClose={onClose}>
      <ErrorMessage error={reloadError} />
      <AlertRuleForm
        key={current.version}
        rule={current}
        busy={update.isPending}
        error={update.error}
        onReload={reload}
        submit={(input) =>
          update.mutate({ id: current.id, input: { ...input, version: current.version } }, { onSuccess: onClose })
        }
        actions={<FormActions onCancel={onClose} busy={update.isPending} />}
      />
    </Dialog>
  );
}

/** Admin settings → Alert rules: the rules, a form for a new one, edit, enable/disable and delete with version. */
export default function AlertRulesPage() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const rules = useAlertRules();
  const channels = useAlertChannels();
  const create = useCreateAlertRule();
  const toggle = useUpdateAlertRule();
  const del = useDeleteAlertRule();
  const [editing, setEditing] = useState<AlertRule | null>(null);
  const [deleting, setDeleting] = useState<AlertRule | null>(null);
  const reloadRules = () => void qc.invalidateQueries({ queryKey: alertKeys.rules });
  const channelName = (id: string) => channels.data?.items.find((c) => c.id === id)?.name ?? id;
  const toggleConflict = isApiError(toggle.error) && toggle.error.status === 409;

  return (
    <section aria-labelledby="alert-rules-title">
      <h2 id="alert-rules-title">{t('alerts.rules.title')}</h2>
      <p className="muted small">{t('alerts.rules.intro')}</p>
      {rules.isPending && <Loading />}
      <ErrorMessage error={rules.error} />
      {toggleConflict ? (
        <ConflictNotice
          conflict={t('alerts.rules.conflict')}
          onReload={() => {
            toggle.reset();
            reloadRules();
          }}
        />
      ) : (
        <ErrorMessage error={toggle.error} />
      )}
      {rules.data && rules.data.items.length === 0 && <p className="muted">{t('alerts.rules.none')}</p>}
      {rules.data && rules.data.items.length > 0 && (
        <DataTable
          caption={t('alerts.rules.title')}
          columns={[
            t('alerts.rules.name'),
            t('alerts.rules.condition'),
            t('alerts.rules.scope'),
            t('alerts.rules.channels'),
            t('alerts.rules.state'),
          ]}
          actions
        >
          {rules.data.items.map((r) => (
            <tr key={r.id}>
              <td>{r.name}</td>
              <td>{describeRule(t, r)}</td>
              <td>{scopeText(t, r)}</td>
              <td>
                {r.channel_ids.length ? r.channel_ids.map(channelName).join(', ') : <span className="muted">—</span>}
              </td>
              <td>
                <EnabledBadge enabled={r.enabled} />
              </td>
              <td className="button-row">
                <Link
                  className="btn btn--small"
                  to={`/alerts?rule_id=${encodeURIComponent(r.id)}`}
                  aria-label={t('alerts.rules.alertsLabel', { name: r.name })}
                >
                  {t('alerts.nav')}
                </Link>
                <RowAction onClick={() => setEditing(r)} label={t('alerts.rules.editLabel', { name: r.name })}>
                  {t('common.edit')}
                </RowAction>
                <RowAction
                  onClick={() =>
                    toggle.mutate({ id: r.id, input: { ...ruleInput(r), enabled: !r.enabled, version: r.version } })
                  }
                  label={t(r.enabled ? 'alerts.rules.disableLabel' : 'alerts.rules.enableLabel', { name: r.name })}
                >
                  {t(r.enabled ? 'alerts.rules.disable' : 'alerts.rules.enable')}
                </RowAction>
                <RowAction
                  danger
                  onClick={() => setDeleting(r)}
                  label={t('alerts.rules.deleteLabel', { name: r.name })}
                >
                  {t('common.delete')}
                </RowAction>
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      <CreateCard
        title={t('alerts.rules.createTitle')}
        createdText={(name) => t('alerts.rules.created', { name })}
        submitLabel={t('alerts.rules.create')}
        busy={create.isPending}
      >
        {({ actions, onCreated }) => (
          <AlertRuleForm
            busy={create.isPending}
            error={create.error}
            submit={(input, reset) =>
              create.mutate(input, {
                onSuccess: (rule) => {
                  onCreated(rule.name);
                  reset();
                },
              })
            }
            actions={actions}
          />
        )}
      </CreateCard>
      {editing && <EditRuleDialog rule={editing} onClose={() => setEditing(null)} />}
      {deleting && (
        <VersionedDelete
          id={{ id: deleting.id, version: deleting.version }}
          mutation={del}
          title={t('alerts.rules.deleteTitle')}
          message={t('alerts.rules.deleteConfirm', { name: deleting.name })}
          conflict={t('alerts.rules.conflict')}
          onReload={reloadRules}
          onClose={() => setDeleting(null)}
        />
      )}
    </section>
  );
}
