import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage, Field, FormActions, Loading, Notice } from '@/components/ui';
import { fieldError } from '@/lib/form-errors';
import { useFormat } from '@/lib/use-format';
import { useBilling } from '../api/get-billing';
import { useAwsBilling } from '../api/get-aws-billing';
import { usePutBilling } from '../api/put-billing';
import type { ContactInfo } from '@/lib/api/contract';
import { CONTACT_FIELDS, type ContactInfoInput } from '../api/schemas';

function toInput(info: ContactInfo | null | undefined): ContactInfoInput {
  const out = {} as ContactInfoInput;
  for (const f of CONTACT_FIELDS) out[f] = info?.[f] ?? '';
  return out;
}

/** The account's AWS primary contact as kept by the platform: view, edit (admins), and read it from AWS when the server can. */
export function ContactInfoSection({ accountId, canEdit }: { accountId: string; canEdit: boolean }) {
  const { t } = useTranslation();
  const f = useFormat();
  const billing = useBilling(accountId);
  const put = usePutBilling(accountId);
  const aws = useAwsBilling(accountId);
  const [draft, setDraft] = useState<ContactInfoInput | null>(null);

  function startEdit(from?: ContactInfo | null) {
    put.reset();
    setDraft(toInput(from ?? billing.data));
  }
  function readFromAws() {
    aws.mutate(undefined, {
      onSuccess: (info) => startEdit(info),
    });
  }
  function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (draft) put.mutate(draft, { onSuccess: () => setDraft(null) });
  }

  return (
    <section aria-labelledby="contact-title" className="section card">
      <div className="section__head">
        <h2 id="contact-title">{t('contact.title')}</h2>
        {canEdit && !draft && (
          <div className="button-row">
            <button type="button" className="btn" onClick={() => startEdit()}>
              {billing.data ? t('common.edit') : t('contact.add')}
            </button>
            <button type="button" className="btn" onClick={readFromAws} disabled={aws.isPending}>
              {aws.isPending ? t('common.loading') : t('contact.readFromAws')}
            </button>
          </div>
        )}
      </div>
      {aws.error && <ErrorMessage error={aws.error} />}
      {aws.data && draft && <Notice>{t('contact.fromAwsNote')}</Notice>}
      {billing.isPending && <Loading />}
      {billing.error && <ErrorMessage error={billing.error} />}
      {!draft && billing.data === null && <p className="muted">{t('contact.none')}</p>}
      {!draft && billing.data && (
        <>
          <dl className="kv">
            {CONTACT_FIELDS.map((k) => (
              <div key={k} className="kv__row">
                <dt>{t(`contact.fields.${k}`)}</dt>
                <dd>{billing.data?.[k] || <span className="muted">—</span>}</dd>
              </div>
            ))}
          </dl>
          {billing.data.updated_at && (
            <p className="small muted">
              {t('contact.updated', { when: f.dateTime(billing.data.updated_at), by: billing.data.updated_by ?? '—' })}
            </p>
          )}
        </>
      )}
      {draft && (
        <form onSubmit={onSubmit} noValidate className="form">
          {put.error && !fieldErrorAny(put.error) && <ErrorMessage error={put.error} />}
          <div className="form-grid">
            {CONTACT_FIELDS.map((k) => (
              <Field key={k} label={t(`contact.fields.${k}`)} error={fieldError(put.error, k)}>
                {(p) => (
                  <input
                    {...p}
                    className="input"
                    name={k}
                    value={draft[k]}
                    onChange={(e) => setDraft({ ...draft, [k]: e.target.value })}
                  />
                )}
              </Field>
            ))}
          </div>
          <FormActions onCancel={() => setDraft(null)} busy={put.isPending} />
        </form>
      )}
    </section>
  );
}

function fieldErrorAny(e: unknown): boolean {
  return CONTACT_FIELDS.some((k) => fieldError(e, k) !== null);
}
