import { useQuery } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { zUserList, type UserList } from '@/lib/api/contract';
import { settingsKeys } from './keys';

/** GET /api/admin/users (admins). */
export function getUsers(signal?: AbortSignal): Promise<UserList> {
  return apiRequest('GET', '/api/admin/users', { schema: zUserList, signal });
}

export function useUsers() {
  return useQuery({ queryKey: settingsKeys.users, queryFn: ({ signal }) => getUsers(signal) });
}
