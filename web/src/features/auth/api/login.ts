import { apiRequest } from '@/lib/api-client';
import { zLoginResponse, type LoginRequest, type LoginResponse } from '@/lib/api/contract';

export type { LoginResponse };
export type LoginInput = LoginRequest;

/** POST /api/auth/login: sets the HttpOnly session cookie; 401 on bad credentials, 429 (Retry-After) when throttled. */
export function login(input: LoginRequest): Promise<LoginResponse> {
  return apiRequest('POST', '/api/auth/login', { body: input, schema: zLoginResponse });
}
