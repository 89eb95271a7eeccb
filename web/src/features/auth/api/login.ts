import { z } from 'zod';
import { apiRequest } from '@/lib/api-client';
import { userSchema } from './schemas';

export const loginResponseSchema = z.object({
  token: z.string(),
  user: userSchema,
  expires_at: z.string().nullable(),
});
export type LoginResponse = z.infer<typeof loginResponseSchema>;

export interface LoginInput {
  email: string;
  password: string;
}

/** POST /api/auth/login: sets the HttpOnly session cookie; 401 on bad credentials, 429 (Retry-After) when throttled. */
export function login(input: LoginInput): Promise<LoginResponse> {
  return apiRequest('POST', '/api/auth/login', { body: input, schema: loginResponseSchema });
}
