import { z } from 'zod';
import { pageSchema } from '@/lib/api-client';

export const accountStatusSchema = z.enum(['active', 'inactive']);
export type AccountStatus = z.infer<typeof accountStatusSchema>;

export const accountSchema = z.object({
  account_id: z.string(),
  account_name: z.string(),
  regions: z.array(z.string()),
  teams: z.array(z.string()),
  status: accountStatusSchema,
  credentials: z.object({
    type: z.enum(['access_key', 'assume_role']),
    access_key_id: z.string().optional(),
    role_arn: z.string().optional(),
  }),
  created_at: z.string().nullable().optional(),
  updated_at: z.string().nullable().optional(),
  created_by: z.string().optional(),
  version: z.number(),
  /** A quota refresh of the account is running now (e.g. the first one, started at creation). */
  refreshing: z.boolean().optional().default(false),
});
export type Account = z.infer<typeof accountSchema>;

export const accountPageSchema = pageSchema(accountSchema);
export type AccountPage = z.infer<typeof accountPageSchema>;

/** Credentials as sent to the server (never returned by it, except by the audited export). */
export type CredentialsInput =
  | { type: 'access_key'; access_key_id: string; secret_access_key: string; session_token?: string }
  | { type: 'assume_role'; role_arn: string; external_id?: string };

export const exportedCredentialsSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('access_key'),
    access_key_id: z.string(),
    secret_access_key: z.string(),
    session_token: z.string().nullable().optional(),
  }),
  z.object({
    type: z.literal('assume_role'),
    role_arn: z.string(),
    external_id: z.string().nullable().optional(),
  }),
]);
export type ExportedCredentials = z.infer<typeof exportedCredentialsSchema>;

export const CONTACT_FIELDS = [
  'full_name',
  'company_name',
  'address_line1',
  'address_line2',
  'address_line3',
  'city',
  'district_or_county',
  'state_or_region',
  'postal_code',
  'country_code',
  'phone_number',
  'website_url',
] as const;
export type ContactField = (typeof CONTACT_FIELDS)[number];
export type ContactInfoInput = Record<ContactField, string>;

export const contactInfoSchema = z.object({
  account_id: z.string().optional(),
  source: z.string().optional(),
  full_name: z.string().default(''),
  address_line1: z.string().default(''),
  address_line2: z.string().default(''),
  address_line3: z.string().default(''),
  city: z.string().default(''),
  company_name: z.string().default(''),
  country_code: z.string().default(''),
  district_or_county: z.string().default(''),
  phone_number: z.string().default(''),
  postal_code: z.string().default(''),
  state_or_region: z.string().default(''),
  website_url: z.string().default(''),
  updated_at: z.string().nullable().optional(),
  updated_by: z.string().nullable().optional(),
});
export type ContactInfo = z.infer<typeof contactInfoSchema>;

export const accountKeys = {
  all: ['accounts'] as const,
  list: (q: object) => ['accounts', 'list', q] as const,
  detail: (id: string) => ['accounts', 'detail', id] as const,
  billing: (id: string) => ['accounts', 'billing', id] as const,
};
