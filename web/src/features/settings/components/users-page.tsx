import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import {
  Badge,
  ConfirmDelete,
  CopyButton,
  CursorPagination,
  DataTable,
  Dialog,
  ErrorMessage,
  Field,
  FormActions,
  FormError,
  Loading,
  RowAction,
  softDisabled,
  TextField,
} from '@/components/ui';
import { useSession } from '@/lib/session';
import { useCursorPager } from '@/lib/use-cursor-pager';
import { fieldError } from '@/lib/form-errors';
import { TeamsField } from '@/components/teams-field';
import type { User } from '@/lib/api/contract';
import { useUsers } from '../api/get-users';
import { useCreateUser, type CreatedUser } from '../api/create-user';
import { useUpdateUser } from '../api/update-user';
import { useDeleteUser } from '../api/delete-user';
import { ForceResetDialog } from './force-reset-dialog';
import { useTeams } from '@/lib/api/queries/teams';

const PAGE_SIZE = 50;

/** A user as the users list gives it (the auth feature's type, without importing that feature). */
type Role = User['role'];

function RoleField({ value, onChange, error }: { value: Role; onChange: (role: Role) => void; error: string | null }) {
  const { t } = useTranslation();
  return (
    <Field label={t('users.role')} error={error}>
      {(p) => (
        <select {...p} className="input" value={value} onChange={(e) => onChange(e.target.value as Role)}>
          <option value="user">{t('roles.user')}</option>
          <option value="admin">{t('roles.admin')}</option>
        </select>
      )}
    </Field>
  );
}

const PASSWORD_TEXTS = {
  create: { label: 'users.password', hint: 'users.passwordHint' },
  edit: { label: 'users.newPassword', hint: 'users.newPasswordHint' },
} as const;

/** The password of a new user, or a user's new one; the hint says what leaving it empty does. */
function PasswordField({
  form,
  error,
  value: [value, onChange],
}: {
  form: keyof typeof PASSWORD_TEXTS;
  error: unknown;
  value: [string, (password: string) => void];
}) {
  const { t } = useTranslation();
  const texts = PASSWORD_TEXTS[form];
  return (
    <TextField
      label={t(texts.label)}
      hint={t(texts.hint)}
      error={fieldError(error, 'password')}
      type="password"
      autoComplete="new-password"
      value={value}
      onChange={onChange}
    />
  );
}

function CreateUserForm({ knownTeams, onCreated }: { knownTeams: string[]; onCreated: (u: CreatedUser) => void }) {
  const { t } = useTranslation();
  const create = useCreateUser();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('user');
  const [teams, setTeams] = useState<string[]>([]);
  const [password, setPassword] = useState('');
  function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (create.isPending || !email) return;
    create.mutate(
      { email: email.trim(), role, teams, ...(password ? { password } : {}) },
      {
        onSuccess: (u) => {
          setEmail('');
          setPassword('');
          setTeams([]);
          onCreated(u);
        },
      },
    );
  }
  const err = create.error;
  return (
    <form className="form card" onSubmit={onSubmit} noValidate aria-labelledby="new-user-title">
      <h3 id="new-user-title">{t('users.createTitle')}</h3>
      <FormError error={err} fields={['email', 'role', 'teams', 'password']} />
      <div className="form-grid">
        <TextField
          label={t('users.email')}
          error={fieldError(err, 'email')}
          type="email"
          autoComplete="off"
          value={email}
          onChange={setEmail}
        />
        <RoleField value={role} onChange={setRole} error={fieldError(err, 'role')} />
        <PasswordField form="create" error={err} value={[password, setPassword]} />
      </div>
      <TeamsField known={knownTeams} value={teams} onChange={setTeams} error={fieldError(err, 'teams')} />
      <div className="form-actions">
        <button type="submit" className="btn btn--primary" {...softDisabled(create.isPending || !email)}>
          {create.isPending ? t('common.saving') : t('users.create')}
        </button>
      </div>
    </form>
  );
}

function EditUserDialog({ user, knownTeams, onClose }: { user: User; knownTeams: string[]; onClose: () => void }) {
  const { t } = useTranslation();
  const update = useUpdateUser();
  const [role, setRole] = useState(user.role);
  const [disabled, setDisabled] = useState(Boolean(user.disabled));
  const [teams, setTeams] = useState(user.teams);
  const [password, setPassword] = useState('');
  function onSubmit(e: FormEvent) {
    e.preventDefault();
    update.mutate(
      { id: user.user_id, patch: { role, disabled, teams, ...(password ? { password } : {}) } },
      { onSuccess: onClose },
    );
  }
  const err = update.error;
  return (
    <Dialog title={t('users.editTitle', { email: user.email })} onClose={onClose}>
      <form className="form" onSubmit={onSubmit} noValidate>
        <FormError error={err} fields={['role', 'teams', 'password', 'disabled']} />
        <RoleField value={role} onChange={setRole} error={fieldError(err, 'role')} />
        <label className="check">
          <input type="checkbox" checked={disabled} onChange={(e) => setDisabled(e.target.checked)} />
          <span>{t('users.disabled')}</span>
        </label>
        <TeamsField known={knownTeams} value={teams} onChange={setTeams} error={fieldError(err, 'teams')} />
        <PasswordField form="edit" error={err} value={[password, setPassword]} />
        <FormActions onCancel={onClose} busy={update.isPending} />
      </form>
    </Dialog>
  );
}

export default function UsersPage() {
  const { t } = useTranslation();
  const { user: me } = useSession();
  const pager = useCursorPager();
  const users = useUsers({ cursor: pager.cursor, page_size: PAGE_SIZE });
  const teams = useTeams();
  const del = useDeleteUser();
  const [created, setCreated] = useState<CreatedUser | null>(null);
  const [editing, setEditing] = useState<User | null>(null);
  const [deleting, setDeleting] = useState<User | null>(null);
  const [resetting, setResetting] = useState<User | null>(null);
  const knownTeams = teams.data?.items.map((x) => x.team_id) ?? [];

  return (
    <section aria-labelledby="users-title">
      <h2 id="users-title">{t('users.title')}</h2>
      {users.isPending && <Loading />}
      {users.error && <ErrorMessage error={users.error} />}
      {users.data && (
        <DataTable
          caption={t('users.title')}
          columns={[t('users.email'), t('users.role'), t('accounts.teams'), t('users.state')]}
          actions
        >
          {users.data.items.map((u) => (
            <tr key={u.user_id}>
              <td>{u.email}</td>
              <td>
                <Badge tone={u.role === 'admin' ? 'info' : 'muted'}>{t(`roles.${u.role}`)}</Badge>
              </td>
              <td>{u.teams.length ? u.teams.join(', ') : <span className="muted">—</span>}</td>
              <td>
                {u.disabled ? (
                  <Badge tone="warn">{t('users.disabled')}</Badge>
                ) : (
                  <Badge tone="ok">{t('users.enabled')}</Badge>
                )}
                {u.must_change_password && (
                  <>
                    {' '}
                    <Badge tone="warn">{t('basics.users.mustChange')}</Badge>
                  </>
                )}
              </td>
              <td className="button-row">
                <RowAction onClick={() => setEditing(u)} label={t('users.editLabel', { email: u.email })}>
                  {t('common.edit')}
                </RowAction>
                {u.user_id !== me.user_id && !u.must_change_password && (
                  <RowAction
                    onClick={() => setResetting(u)}
                    label={t('basics.users.forceResetLabel', { email: u.email })}
                  >
                    {t('basics.users.forceReset')}
                  </RowAction>
                )}
                {u.user_id !== me.user_id && (
                  <RowAction danger onClick={() => setDeleting(u)} label={t('users.deleteLabel', { email: u.email })}>
                    {t('common.delete')}
                  </RowAction>
                )}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      {users.data && (
        <>
          <p className="small muted">{t('users.total', { count: users.data.total })}</p>
          <CursorPagination pager={pager} next={users.data.next} />
        </>
      )}
      {created?.generated_password && (
        <div className="alert alert--warn" role="alert">
          <p>{t('users.generatedPassword', { email: created.email })}</p>
          <p>
            <code className="mono secret">{created.generated_password}</code>{' '}
            <CopyButton text={created.generated_password} />
          </p>
          <button type="button" className="btn btn--small" onClick={() => setCreated(null)}>
            {t('common.dismiss')}
          </button>
        </div>
      )}
      {created && !created.generated_password && (
        <p className="alert alert--success" role="status">
          {t('users.created', { email: created.email })}
        </p>
      )}
      <CreateUserForm knownTeams={knownTeams} onCreated={setCreated} />
      {editing && <EditUserDialog user={editing} knownTeams={knownTeams} onClose={() => setEditing(null)} />}
      {resetting && <ForceResetDialog user={resetting} onClose={() => setResetting(null)} />}
      {deleting && (
        <ConfirmDelete
          id={deleting.user_id}
          mutation={del}
          title={t('users.deleteTitle')}
          message={t('users.deleteConfirm', { email: deleting.email })}
          onClose={() => setDeleting(null)}
        />
      )}
    </section>
  );
}
