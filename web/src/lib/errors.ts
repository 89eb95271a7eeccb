import type { TFunction } from 'i18next';
import { isApiError, type ApiError } from './api-client';

/** The summary of each HTTP status the UI names (i18n keys), for errors whose code says nothing more. */
const BY_STATUS: Record<number, string> = {
  0: 'errors.network',
  400: 'errors.badRequest',
  401: 'errors.unauthenticated',
  403: 'errors.forbidden',
  404: 'errors.notFound',
  409: 'errors.conflict',
  422: 'errors.validation',
  429: 'errors.throttled',
  502: 'errors.upstream',
  503: 'errors.unavailable',
  504: 'errors.timeout',
};

/** Error codes whose words say more than their status (basics.codes.*). */
const BY_CODE = new Set(['csrf', 'already_exists', 'method_not_allowed', 'password_change_required']);

/** AWS error codes the UI explains in words (basics.aws.*). */
export const AWS_CODES = [
  'AccessDenied',
  'AccessDeniedException',
  'InvalidClientTokenId',
  'SignatureDoesNotMatch',
  'ExpiredToken',
  'ExpiredTokenException',
  'UnrecognizedClientException',
  'ThrottlingException',
  'Throttling',
  'NoSuchEntity',
  'RegionDisabledException',
] as const;
export type AwsCode = (typeof AWS_CODES)[number];

/**
 * The AWS error code a server message carries: the server keeps AWS's code at the start of the text
 * ("AccessDenied: User ... is not authorized ..."), also after a field prefix ("credentials: AccessDenied: ...").
 */
export function awsCodeOf(message: string): AwsCode | null {
  for (const part of message.split(': ').slice(0, 3)) {
    const code = part.trim();
    if ((AWS_CODES as readonly string[]).includes(code)) return code as AwsCode;
  }
  return null;
}

/** The translated words for an API error's AWS code, or null when it carries none the UI knows. */
export function awsErrorText(t: TFunction, e: ApiError): string | null {
  const code = awsCodeOf(e.message);
  return code ? t(`basics.aws.${code}`) : null;
}

/**
 * A translated one-line summary of any error, for the UI: the AWS error code in words when the message starts with
 * one, else the error code's words, else the status's. The server's own text is shown beside it, not instead.
 */
export function errorSummary(t: TFunction, e: unknown): string {
  if (!isApiError(e)) return t('errors.unexpected');
  const aws = awsErrorText(t, e);
  if (aws) return aws;
  if (BY_CODE.has(e.code)) return t(`basics.codes.${e.code}`);
  const key = BY_STATUS[e.status];
  if (key) return t(key);
  if (e.code === 'invalid_response') return t('errors.invalidResponse');
  return e.status >= 500 ? t('errors.server') : t('errors.unexpected');
}
