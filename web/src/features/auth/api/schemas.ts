import { z } from 'zod';

export const roleSchema = z.enum(['admin', 'user']);

export const userSchema = z.object({
  user_id: z.string(),
  email: z.string(),
  role: roleSchema,
  teams: z.array(z.string()),
  disabled: z.boolean().optional().default(false),
  created_at: z.string().nullable().optional(),
  updated_at: z.string().nullable().optional(),
});
export type User = z.infer<typeof userSchema>;
