import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { Dialog, Field, FormError, Notice } from '@/components/ui';
import { fieldError } from '@/lib/form-errors';
import { useFormat } from '@/lib/use-format';
import type { Dimension } from '@/lib/api/contract';
import { isForbidden } from '../api/may-request';
import { usePreviewQuotaIncreases } from '../api/preview-quota-increases';
import { useRequestQuotaIncrease } from '../api/request-quota-increase';
import { regionOf, targetOf } from '../api/targets';
import { IncreaseStatusBadge } from './status-badge';
import { PreviewRequest } from './preview-request';

/** The value of the quota card an increase is asked for. */
export interface IncreaseTarget {
  accountId: string;
  region: string;
  modelId: string;
  modelName: string;
  dimension: Dimension;
  /** The cached value; null when unknown (never 0). */
  current: number | null;
}

/** Parses the desired value as typed; undefined when it is not a positive number. */
export function parseDesired(text: string): number | undefined {
  const n = Number(text.trim());
  return text.trim() !== '' && Number.isFinite(n) && n > 0 ? n : undefined;
}

/**
 * Asks for one increase: the current value, the desired value and an optional reason; "Preview" shows exactly what
 * will be sent (or why not, in words); "Send request" sends it. The server's errors show at the field they name.
 */
export function RequestIncreaseDialog({ target, onClose }: { target: IncreaseTarget; onClose: () => void }) {
  const { t } = useTranslation();
  const f = useFormat();
  const [desired, setDesired] = useState('');
  const [reason, setReason] = useState('');
  const preview = usePreviewQuotaIncreases();
  const send = useRequestQuotaIncrease(target.accountId);
  const value = parseDesired(desired);
  const item = preview.data?.items[0];
  const forbidden = isForbidden(preview.error) || isForbidden(send.error);
  const dimName = t(`quota.dim.${target.dimension}`);

  function edit(set: (s: string) => void, text: string) {
    set(text);
    preview.reset();
    send.reset();
  }

  function onPreview(e: FormEvent) {
    e.preventDefault();
    if (value === undefined) return;
    preview.mutate({
      targets: [targetOf(target.accountId, target.region)],
      model_id: target.modelId,
      dimension: target.dimension,
      desired_value: value,
    });
  }

  function onSend() {
    if (value === undefined) return;
    send.mutate({
      region: regionOf(target.region),
      model_id: target.modelId,
      dimension: target.dimension,
      desired_value: value,
      reason: reason.trim() || null,
    });
  }

  return (
    <Dialog
      title={t('increases.requestFor', { model: target.modelName, dimension: dimName, region: target.region })}
      onClose={onClose}
      footer={
        <>
          <button type="button" className="btn" onClick={onClose}>
            {t('common.close')}
          </button>
          {!send.isSuccess && (
            <button
              type="button"
              className="btn btn--primary"
              onClick={onSend}
              disabled={!item?.will_send || send.isPending}
            >
              {send.isPending ? t('increases.sending') : t('increases.send')}
            </button>
          )}
        </>
      }
    >
      <form onSubmit={onPreview} aria-label={t('increases.request')}>
        <p>
          {t('increases.current')}:{' '}
          <strong title={f.full(target.current)}>
            {target.current === null ? t('increases.unknown') : f.full(target.current)}
          </strong>
        </p>
        <Field label={t('increases.desired')} error={fieldError(send.error, 'desired_value')}>
          {(p) => (
            <input
              {...p}
              className="input"
              inputMode="numeric"
              value={desired}
              onChange={(e) => edit(setDesired, e.target.value)}
              disabled={send.isSuccess}
            />
          )}
        </Field>
        <Field label={t('increases.reason')} error={fieldError(send.error, 'reason')}>
          {(p) => (
            <textarea
              {...p}
              className="input"
              rows={2}
              maxLength={1000}
              value={reason}
              onChange={(e) => edit(setReason, e.target.value)}
              disabled={send.isSuccess}
            />
          )}
        </Field>
        {!send.isSuccess && (
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
          {/* Errors naming region, model_id or dimension (not inputs here) show at the top with their text. */}
          <FormError error={send.error} fields={['desired_value', 'reason']} />
        </>
      )}
      {item && !send.isSuccess && <PreviewRequest item={item} />}
      {send.data && (
        <Notice tone="success">
          {t('increases.sent', { status: t(`increases.status.${send.data.status}`) })}{' '}
          <IncreaseStatusBadge status={send.data.status} />{' '}
          <Link to={`/accounts/${target.accountId}?region=${target.region}#increases`}>
            {t('increases.viewRequests')}
          </Link>
        </Notice>
      )}
    </Dialog>
  );
}
