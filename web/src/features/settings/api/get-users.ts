import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { zUserList, type UserList } from '@/lib/api/contract';
import { settingsKeys } from './keys';

/** One page of the users list: `cursor` = the previous page's `next` (absent = the first page). */
export interface UsersQuery {
  cursor?: string;
  page_size?: number;
}

/** GET /api/admin/users (admins): one page by email, its `next` cursor and the total number of users. */
export function getUsers(q: UsersQuery, signal?: AbortSignal): Promise<UserList> {
  return apiRequest('GET', '/api/admin/users', { query: { ...q }, schema: zUserList, signal });
}

export function useUsers(q: UsersQuery = {}) {
  return useQuery({
    queryKey: settingsKeys.usersPage(q),
    queryFn: ({ signal }) => getUsers(q, signal),
    placeholderData: keepPreviousData,
  });
}
