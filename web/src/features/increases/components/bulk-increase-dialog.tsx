import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Badge, DataTable, Dialog, Field, FormError, Notice } from '@/components/ui';
import { fieldError } from '@/lib/form-errors';
import { useFormat } from '@/lib/use-format';
import type { DashboardModel, Dimension } from '@/lib/api/contract';
import { isForbidden } from '../api/may-request';
import { usePreviewQuotaIncreases } from '../api/preview-quota-increases';
import { useStartQuotaIncreaseBulk } from '../api/start-quota-increase-bulk';
import { targetOf } from '../api/targets';
import { BulkJobProgress } from './bulk-job-progress';
import { parseDesired } from './request-increase-dialog';
import { problemText } from './status-badge';

/** One selected (account, region) of the dashboard grid. */
export interface BulkTarget {
  account_id: string;
  account_name: string;
  region: string;
}

/**
 * The bulk request: model × dimension and the desired value for the selected account regions → a preview table
 * (per target: current, desired, will send or why not) → a background job whose progress and outcomes show here.
 */
export function BulkIncreaseDialog({
  targets,
  models,
  onClose,
}: {
  targets: BulkTarget[];
  models: DashboardModel[];
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  const [modelId, setModelId] = useState(models[0]?.model_id ?? '');
  const [dimension, setDimension] = useState<Dimension>('tpm');
  const [desired, setDesired] = useState('');
  const [reason, setReason] = useState('');
  const preview = usePreviewQuotaIncreases();
  const start = useStartQuotaIncreaseBulk();
  const model = models.find((m) => m.model_id === modelId);
  const dims: Dimension[] = model?.has_1m_context ? ['tpm', 'rpm', 'tpm_1m', 'rpm_1m'] : ['tpm', 'rpm'];
  const value = parseDesired(desired);
  const names = new Map(targets.map((x) => [`${x.account_id}/${x.region}`, x.account_name]));
  const sendable = preview.data?.items.filter((i) => i.will_send).length ?? 0;
  const forbidden = isForbidden(preview.error) || isForbidden(start.error);
  const body = () => ({
    targets: targets.map((x) => targetOf(x.account_id, x.region)),
    model_id: modelId,
    dimension,
    desired_value: value ?? 0,
  });

  function edit<T>(set: (v: T) => void, v: T) {
    set(v);
    preview.reset();
    start.reset();
  }

  function onPreview(e: FormEvent) {
    e.preventDefault();
    if (value !== undefined) preview.mutate(body());
  }

  return (
    <Dialog
      title={t('increases.bulk.title', { count: targets.length })}
      onClose={onClose}
      footer={
        <>
          <button type="button" className="btn" onClick={onClose}>
            {t('common.close')}
          </button>
          {!start.data && (
            <button
              type="button"
              className="btn btn--primary"
              disabled={sendable === 0 || start.isPending}
              onClick={() => start.mutate({ ...body(), reason: reason.trim() || null })}
            >
              {start.isPending ? t('increases.bulk.starting') : t('increases.bulk.start')}
            </button>
          )}
        </>
      }
    >
      <form className="filters" onSubmit={onPreview} aria-label={t('increases.bulk.open')}>
        <Field label={t('increases.bulk.model')} error={fieldError(start.error, 'model_id')}>
          {(p) => (
            <select
              {...p}
              className="input"
              value={modelId}
              disabled={Boolean(start.data)}
              onChange={(e) => edit(setModelId, e.target.value)}
            >
              {models.map((m) => (
                <option key={m.model_id} value={m.model_id}>
                  {m.display_name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('increases.bulk.dimension')} error={fieldError(start.error, 'dimension')}>
          {(p) => (
            <select
              {...p}
              className="input"
              value={dims.includes(dimension) ? dimension : 'tpm'}
              disabled={Boolean(start.data)}
              onChange={(e) => edit(setDimension, e.target.value as Dimension)}
            >
              {dims.map((d) => (
                <option key={d} value={d}>
                  {t(`quota.dim.${d}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('increases.desired')} error={fieldError(start.error, 'desired_value')}>
          {(p) => (
            <input
              {...p}
              className="input"
              inputMode="numeric"
              value={desired}
              disabled={Boolean(start.data)}
              onChange={(e) => edit(setDesired, e.target.value)}
            />
          )}
        </Field>
        <Field label={t('increases.reason')} error={fieldError(start.error, 'reason')}>
          {(p) => (
            <input
              {...p}
              className="input"
              maxLength={1000}
              value={reason}
              disabled={Boolean(start.data)}
              onChange={(e) => edit(setReason, e.target.value)}
            />
          )}
        </Field>
        {!start.data && (
          <button type="submit" className="btn" disabled={value === undefined || preview.isPending}>
            {preview.isPending ? t('increases.previewing') : t('increases.preview')}
          </button>
        )}
      </form>
      {forbidden ? (
        <Notice tone="error">{t('increases.forbidden')}</Notice>
      ) : (
        <>
          <FormError error={preview.error} fields={[]} />
          <FormError error={start.error} fields={['model_id', 'dimension', 'desired_value', 'reason']} />
        </>
      )}
      {preview.data && !start.data && (
        <>
          <p role="status">
            {sendable === 0
              ? t('increases.bulk.none')
              : t('increases.bulk.summary', { count: sendable, refused: preview.data.items.length - sendable })}
          </p>
          <DataTable
            caption={t('increases.previewTitle')}
            columns={[
              t('increases.col.account'),
              t('accounts.region'),
              t('increases.col.current'),
              t('increases.col.desired'),
              t('increases.col.outcome'),
            ]}
          >
            {preview.data.items.map((i) => (
              <tr key={`${i.account_id}/${i.region}`} data-testid={`preview-${i.account_id}-${i.region}`}>
                <td>
                  {i.account_name ?? names.get(`${i.account_id}/${i.region}`) ?? i.account_id}
                  <div className="small muted mono">{i.account_id}</div>
                </td>
                <td>{i.region}</td>
                <td title={f.full(i.current_value)}>
                  {i.current_value === null ? t('increases.unknown') : f.full(i.current_value)}
                </td>
                <td>{f.full(i.desired_value)}</td>
                <td>
                  {i.will_send ? (
                    <>
                      <Badge tone="ok">{t('increases.willSend')}</Badge>
                      {i.request && <span className="small muted mono"> {i.request.QuotaCode}</span>}
                    </>
                  ) : (
                    <span className="text-error">
                      {i.problem ? problemText(t, i.problem) : t('increases.wontSend')}
                    </span>
                  )}
                </td>
              </tr>
            ))}
          </DataTable>
        </>
      )}
      {start.data && <BulkJobProgress jobId={start.data.job_id} />}
    </Dialog>
  );
}
