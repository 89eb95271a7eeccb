import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useQueryClient } from '@tanstack/react-query';
import { DataTable, Dialog, ErrorMessage, FormActions, Loading, RowAction } from '@/components/ui';
import type { AlertChannel } from '@/lib/api/contract';
import { alertKeys } from '../api/keys';
import { getAlertChannel, useAlertChannels } from '../api/list-alert-channels';
import { useCreateAlertChannel } from '../api/create-alert-channel';
import { useUpdateAlertChannel } from '../api/update-alert-channel';
import { useDeleteAlertChannel } from '../api/delete-alert-channel';
import { useTestAlertChannel, type AlertDeliveryReport } from '../api/test-alert-channel';
import { AlertChannelForm } from './alert-channel-form';
import { VersionedDelete } from './versioned-delete';
import { useReloadable } from './use-reloadable';
import { CreateCard, EnabledBadge } from './admin-parts';

function EditChannelDialog({ channel, onClose }: { channel: AlertChannel; onClose: () => void }) {
  const { t } = useTranslation();
  const update = useUpdateAlertChannel();
  const { current, reloadError, reload } = useReloadable(channel, () => getAlertChannel(channel.id), update.reset);
  return (
    <Dialog title={t('alerts.channels.editTitle', { name: channel.name })} onClose={onClose}>
      <ErrorMessage error={reloadError} />
      <AlertChannelForm
        key={current.version}
        channel={current}
        error={update.error}
        onReload={reload}
        onUpdate={(input) => update.mutate({ id: current.id, input }, { onSuccess: onClose })}
        actions={<FormActions onCancel={onClose} busy={update.isPending} />}
      />
    </Dialog>
  );
}

/** The outcome of "Send test": delivered or not, the HTTP status, the attempts and the safe error text. */
function TestReport({ name, report }: { name: string; report: AlertDeliveryReport }) {
  const { t } = useTranslation();
  const details = [
    report.http_status !== null ? t('alerts.httpStatus', { status: report.http_status }) : null,
    t('alerts.attempts', { count: report.attempts }),
    report.delivery_id ? t('alerts.channels.deliveryId', { id: report.delivery_id }) : null,
  ].filter(Boolean);
  return (
    <div className={`alert alert--${report.delivered ? 'success' : 'error'}`} role="status">
      <strong>{t(report.delivered ? 'alerts.channels.testDelivered' : 'alerts.channels.testFailed', { name })}</strong>{' '}
      {report.error && <span>{report.error} </span>}
      <span className="alert__meta">{details.join(' · ')}</span>
    </div>
  );
}

/** Admin settings → Alert channels: webhooks, Slack and SNS; create, edit, delete with version, send a test. */
export default function AlertChannelsPage() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const channels = useAlertChannels();
  const create = useCreateAlertChannel();
  const del = useDeleteAlertChannel();
  const test = useTestAlertChannel();
  const [editing, setEditing] = useState<AlertChannel | null>(null);
  const [deleting, setDeleting] = useState<AlertChannel | null>(null);
  const [tested, setTested] = useState<AlertChannel | null>(null);

  function sendTest(c: AlertChannel) {
    setTested(c);
    test.mutate(c.id);
  }

  return (
    <section aria-labelledby="alert-channels-title">
      <h2 id="alert-channels-title">{t('alerts.channels.title')}</h2>
      <p className="muted small">{t('alerts.channels.intro')}</p>
      {channels.isPending && <Loading />}
      <ErrorMessage error={channels.error} />
      {channels.data && channels.data.items.length === 0 && <p className="muted">{t('alerts.channels.none')}</p>}
      {channels.data && channels.data.items.length > 0 && (
        <DataTable
          caption={t('alerts.channels.title')}
          columns={[
            t('alerts.channels.name'),
            t('alerts.channels.kindLabel'),
            t('alerts.channels.destination'),
            t('alerts.channels.state'),
          ]}
          actions
        >
          {channels.data.items.map((c) => (
            <tr key={c.id}>
              <td>{c.name}</td>
              <td>{t(`alerts.channels.kind.${c.kind}`)}</td>
              <td className="mono small">
                {c.kind === 'sns' ? c.topic_arn : c.url}
                {c.has_secret && <span className="muted"> · {t('alerts.channels.signed')}</span>}
              </td>
              <td>
                <EnabledBadge enabled={c.enabled} />
              </td>
              <td className="button-row">
                <RowAction onClick={() => sendTest(c)} label={t('alerts.channels.testLabel', { name: c.name })}>
                  {test.isPending && tested?.id === c.id ? t('alerts.channels.testing') : t('alerts.channels.test')}
                </RowAction>
                <RowAction onClick={() => setEditing(c)} label={t('alerts.channels.editLabel', { name: c.name })}>
                  {t('common.edit')}
                </RowAction>
                <RowAction
                  danger
                  onClick={() => setDeleting(c)}
                  label={t('alerts.channels.deleteLabel', { name: c.name })}
                >
                  {t('common.delete')}
                </RowAction>
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      {tested && test.data && !test.isPending && <TestReport name={tested.name} report={test.data} />}
      {tested && !test.isPending && <ErrorMessage error={test.error} />}
      <CreateCard
        title={t('alerts.channels.createTitle')}
        createdText={(name) => t('alerts.channels.created', { name })}
        submitLabel={t('alerts.channels.create')}
        busy={create.isPending}
      >
        {({ actions, onCreated }) => (
          <AlertChannelForm
            error={create.error}
            onCreate={(body, reset) =>
              create.mutate(body, {
                onSuccess: (c) => {
                  onCreated(c.name);
                  reset();
                },
              })
            }
            actions={actions}
          />
        )}
      </CreateCard>
      {editing && <EditChannelDialog channel={editing} onClose={() => setEditing(null)} />}
      {deleting && (
        <VersionedDelete
          id={{ id: deleting.id, version: deleting.version }}
          mutation={del}
          title={t('alerts.channels.deleteTitle')}
          message={t('alerts.channels.deleteConfirm', { name: deleting.name })}
          conflict={t('alerts.channels.deleteConflict')}
          onReload={() => void qc.invalidateQueries({ queryKey: alertKeys.channels })}
          onClose={() => setDeleting(null)}
        />
      )}
    </section>
  );
}
