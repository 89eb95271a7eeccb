import { useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import { apiRequest } from '@/lib/api-client';
import { userSchema } from '@/features/auth/api/schemas';
import { settingsKeys } from './schemas';

export const usersSchema = z.object({ items: z.array(userSchema), total: z.number() });
export type Users = z.infer<typeof usersSchema>;

/** GET /api/admin/users (admins). */
export function getUsers(signal?: AbortSignal): Promise<Users> {
  return apiRequest('GET', '/api/admin/users', { schema: usersSchema, signal });
}

export function useUsers() {
  return useQuery({ queryKey: settingsKeys.users, queryFn: ({ signal }) => getUsers(signal) });
}
