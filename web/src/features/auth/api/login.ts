import { apiRequest } from '@/lib/api-client';
import type { LoginRequest, LoginResponse } from '@/lib/api/contract';
import { vLoginResponse } from '@/lib/api/first-load-contract';

export type { LoginResponse };
export type LoginInput = LoginRequest;

/** POST /api/auth/login: sets the HttpOnly session cookie; 401 on bad credentials, 429 (Retry-After) when throttled. */
export function login(input: LoginRequest): Promise<LoginResponse> {
  return apiRequest('POST', '/api/auth/login', { body: input, schema: vLoginResponse });
}
