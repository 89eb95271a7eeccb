// Names the accounts feature uses for contract types (all generated from docs/openapi.yaml; see lib/api/contract.ts).
import type { Account, ContactInfo, Credentials } from '@/lib/api/contract';

export type AccountStatus = Account['status'];

/** Credentials as sent to the server (never returned by it, except by the audited export). */
export type CredentialsInput = Credentials;

/** The contact fields in display order. */
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
] as const satisfies readonly (keyof ContactInfo)[];
export type ContactField = (typeof CONTACT_FIELDS)[number];
/** The contact form's values: every field, "" when empty (a ContactInfo body). */
export type ContactInfoInput = Record<ContactField, string> & ContactInfo;
