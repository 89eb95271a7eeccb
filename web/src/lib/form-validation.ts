// Client-side validation of a request body against its generated zod schema (the contract), so that a submit shows
// every field error at once; the server's 422 (one field at a time) still shows where the contract cannot tell (an
// account AWS does not know, a taken name).
import type { TFunction } from 'i18next';
import { fieldError } from './form-errors';

/** A schema's safeParse, typed loosely enough for any generated zod schema. */
interface Checkable {
  safeParse(data: unknown): {
    success: boolean;
    error?: { issues: readonly { code: string; path: readonly PropertyKey[]; minimum?: unknown }[] };
  };
}

/** The API's name of a body path: ["regions", 2] → "regions[2]", ["credentials", "role_arn"] → "credentials.role_arn". */
export function apiFieldName(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out;
}

/** Field name → translated message, one per field (the first issue of each). */
export type FieldErrors = Record<string, string>;

/**
 * Every field error of `body` under `schema`, translated: `messages` names the words for a field (by API name, e.g.
 * "credentials.role_arn"), else the issue's kind decides (required, format, too long, …).
 */
export function validateBody(
  t: TFunction,
  schema: Checkable,
  body: unknown,
  messages: Record<string, string> = {},
): FieldErrors {
  const result = schema.safeParse(body);
  const out: FieldErrors = {};
  if (result.success || !result.error) return out;
  for (const issue of result.error.issues) {
    const name = apiFieldName(issue.path);
    if (out[name]) continue;
    const own = messages[name];
    if (own) {
      out[name] = own;
      continue;
    }
    switch (issue.code) {
      case 'invalid_type':
        out[name] = t('basics.validation.required');
        break;
      case 'too_small':
        out[name] = issue.minimum === 1 ? t('basics.validation.required') : t('basics.validation.tooShort');
        break;
      case 'too_big':
        out[name] = t('basics.validation.tooLong');
        break;
      case 'invalid_value':
      case 'invalid_union':
        out[name] = t('basics.validation.choice');
        break;
      default:
        out[name] = t('basics.validation.format');
    }
  }
  return out;
}

/**
 * The message for a form control: the client-side one first (from validateBody), else the server's 422 naming the
 * control or a member of it (fieldError).
 */
export function fieldMessage(client: FieldErrors, server: unknown, name: string): string | null {
  for (const [field, message] of Object.entries(client)) {
    if (field === name || field.startsWith(`${name}[`) || field.startsWith(`${name}.`)) return message;
  }
  return fieldError(server, name);
}
