import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { Field, FieldSet } from '@/components/ui';
import { isApiError } from '@/lib/api-client';
import { awsCodeOf } from '@/lib/errors';
import { fieldMessage, type FieldErrors } from '@/lib/form-validation';
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

/**
 * A 422 about the credentials object itself ("credentials: is required", or AWS rejecting them: the message starts
 * with AWS's error code). An AWS code becomes words in the user's language — AccessDenied from STS for a role is
 * "check the role's trust policy and external id" — with AWS's text as the detail.
 */
function ownError(t: TFunction, error: unknown, type: CredentialsType): string | null {
  if (!isApiError(error) || error.status !== 422 || error.field !== 'credentials') return null;
  const code = awsCodeOf(error.detail);
  if (!code) return error.detail;
  const words =
    code === 'AccessDenied' && type === 'assume_role' ? t('basics.assumeRoleDenied') : t(`basics.aws.${code}`);
  return `${words} ${t('basics.detail', { message: error.detail })}`;
}

type CredentialsType = CredentialsDraft['type'];

const TYPES: { type: CredentialsType; label: string }[] = [
  { type: 'access_key', label: 'accounts.accessKey' },
  { type: 'assume_role', label: 'accounts.assumeRole' },
];

/** One text input of a credentials type: its draft field (the API names it credentials.<key>) and how it reads. */
interface InputSpec {
  key: Exclude<keyof CredentialsDraft, 'type'>;
  label: string;
  hint?: string;
  /** A secret: typed into a password input. */
  secret?: boolean;
  /** An identifier: no spell checking. */
  identifier?: boolean;
  autoComplete?: string;
}

const INPUTS: Record<CredentialsType, InputSpec[]> = {
  access_key: [
    { key: 'access_key_id', label: 'accounts.accessKeyId', identifier: true },
    { key: 'secret_access_key', label: 'accounts.secretAccessKey', secret: true, autoComplete: 'new-password' },
    { key: 'session_token', label: 'accounts.sessionToken', hint: 'common.optional', secret: true },
  ],
  assume_role: [
    { key: 'role_arn', label: 'accounts.roleArn', hint: 'accounts.roleArnHint', identifier: true },
    { key: 'external_id', label: 'accounts.externalId', hint: 'basics.onboarding.externalIdHint', identifier: true },
  ],
};

/** Access key or role ARN (with external id): the inputs, with the API's messages next to them. */
export function CredentialsFields({
  value,
  onChange,
  error,
  clientErrors = {},
  onTypeChange,
}: {
  value: CredentialsDraft;
  onChange: (next: CredentialsDraft) => void;
  error: unknown;
  /** Client-side errors by API field name (validateBody), shown before the server's. */
  clientErrors?: FieldErrors;
  /** Called instead of a plain change when the type changes (e.g. to fill in a generated external id). */
  onTypeChange?: (type: CredentialsType) => void;
}) {
  const { t } = useTranslation();
  const set = (patch: Partial<CredentialsDraft>) => onChange({ ...value, ...patch });
  return (
    <FieldSet
      legend={t('accounts.credentials')}
      error={fieldMessage(clientErrors, error, 'credentials.type') ?? ownError(t, error, value.type)}
    >
      <div className="radio-row">
        {TYPES.map(({ type, label }) => (
          <label className="check" key={type}>
            <input
              type="radio"
              name="credentials-type"
              value={type}
              checked={value.type === type}
              onChange={() => (onTypeChange ? onTypeChange(type) : set({ type }))}
            />
            <span>{t(label)}</span>
          </label>
        ))}
      </div>
      {INPUTS[value.type].map((input) => (
        <Field
          key={input.key}
          label={t(input.label)}
          hint={input.hint && t(input.hint)}
          error={fieldMessage(clientErrors, error, `credentials.${input.key}`)}
        >
          {(p) => (
            <input
              {...p}
              className="input mono"
              type={input.secret ? 'password' : undefined}
              autoComplete={input.autoComplete ?? 'off'}
              spellCheck={input.identifier ? false : undefined}
              value={value[input.key]}
              onChange={(e) => set({ [input.key]: e.target.value })}
            />
          )}
        </Field>
      ))}
    </FieldSet>
  );
}
