import { useTranslation } from 'react-i18next';
import { Field, FieldSet } from '@/components/ui';
import { fieldError } from '@/lib/form-errors';
import { isApiError } from '@/lib/api-client';
import type { CredentialsInput } from '../api/schemas';

export interface CredentialsDraft {
  type: 'access_key' | 'assume_role';
  access_key_id: string;
  secret_access_key: string;
  session_token: string;
  role_arn: string;
  external_id: string;
}

export const emptyCredentials: CredentialsDraft = {
  type: 'access_key',
  access_key_id: '',
  secret_access_key: '',
  session_token: '',
  role_arn: '',
  external_id: '',
};

/** The wire form of the draft: only the chosen type's fields, optional ones left out when empty. */
export function toCredentialsInput(d: CredentialsDraft): CredentialsInput {
  if (d.type === 'access_key') {
    return {
      type: 'access_key',
      access_key_id: d.access_key_id.trim(),
      secret_access_key: d.secret_access_key,
      ...(d.session_token ? { session_token: d.session_token } : {}),
    };
  }
  return {
    type: 'assume_role',
    role_arn: d.role_arn.trim(),
    ...(d.external_id.trim() ? { external_id: d.external_id.trim() } : {}),
  };
}

/** A 422 about the credentials object itself ("credentials: is required"). */
function ownError(error: unknown): string | null {
  return isApiError(error) && error.status === 422 && error.field === 'credentials' ? error.detail : null;
}

/** Access key or role ARN (with external id): the inputs, with the API's messages next to them. */
export function CredentialsFields({
  value,
  onChange,
  error,
}: {
  value: CredentialsDraft;
  onChange: (next: CredentialsDraft) => void;
  error: unknown;
}) {
  const { t } = useTranslation();
  const set = (patch: Partial<CredentialsDraft>) => onChange({ ...value, ...patch });
  return (
    <FieldSet legend={t('accounts.credentials')} error={fieldError(error, 'credentials.type') ?? ownError(error)}>
      <div className="radio-row">
        <label className="check">
          <input
            type="radio"
            name="credentials-type"
            value="access_key"
            checked={value.type === 'access_key'}
            onChange={() => set({ type: 'access_key' })}
          />
          <span>{t('accounts.accessKey')}</span>
        </label>
        <label className="check">
          <input
            type="radio"
            name="credentials-type"
            value="assume_role"
            checked={value.type === 'assume_role'}
            onChange={() => set({ type: 'assume_role' })}
          />
          <span>{t('accounts.assumeRole')}</span>
        </label>
      </div>
      {value.type === 'access_key' ? (
        <>
          <Field label={t('accounts.accessKeyId')} error={fieldError(error, 'credentials.access_key_id')}>
            {(p) => (
              <input
                {...p}
                className="input mono"
                autoComplete="off"
                spellCheck={false}
                value={value.access_key_id}
                onChange={(e) => set({ access_key_id: e.target.value })}
              />
            )}
          </Field>
          <Field label={t('accounts.secretAccessKey')} error={fieldError(error, 'credentials.secret_access_key')}>
            {(p) => (
              <input
                {...p}
                className="input mono"
                type="password"
                autoComplete="new-password"
                value={value.secret_access_key}
                onChange={(e) => set({ secret_access_key: e.target.value })}
              />
            )}
          </Field>
          <Field
            label={t('accounts.sessionToken')}
            hint={t('common.optional')}
            error={fieldError(error, 'credentials.session_token')}
          >
            {(p) => (
              <input
                {...p}
                className="input mono"
                type="password"
                autoComplete="off"
                value={value.session_token}
                onChange={(e) => set({ session_token: e.target.value })}
              />
            )}
          </Field>
        </>
      ) : (
        <>
          <Field
            label={t('accounts.roleArn')}
            hint={t('accounts.roleArnHint')}
            error={fieldError(error, 'credentials.role_arn')}
          >
            {(p) => (
              <input
                {...p}
                className="input mono"
                autoComplete="off"
                spellCheck={false}
                value={value.role_arn}
                onChange={(e) => set({ role_arn: e.target.value })}
              />
            )}
          </Field>
          <Field
            label={t('accounts.externalId')}
            hint={t('common.optional')}
            error={fieldError(error, 'credentials.external_id')}
          >
            {(p) => (
              <input
                {...p}
                className="input mono"
                autoComplete="off"
                value={value.external_id}
                onChange={(e) => set({ external_id: e.target.value })}
              />
            )}
          </Field>
        </>
      )}
    </FieldSet>
  );
}
