import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { userSchema } from '@/features/auth/api/schemas';
import { z } from 'zod';
import { settingsKeys } from './schemas';

export const createdUserSchema = userSchema.extend({ generated_password: z.string().optional() });
export type CreatedUser = z.infer<typeof createdUserSchema>;

export interface NewUserInput {
  email: string;
  role: 'admin' | 'user';
  teams: string[];
  /** Omit to have the server generate one, returned once. */
  password?: string;
}

/** POST /api/admin/users (admins): 201; generated_password only when no password was given. */
export function createUser(input: NewUserInput): Promise<CreatedUser> {
  return apiRequest('POST', '/api/admin/users', { body: input, schema: createdUserSchema });
}

export function useCreateUser() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: createUser,
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: settingsKeys.users });
      void qc.invalidateQueries({ queryKey: settingsKeys.teams });
    },
  });
}
