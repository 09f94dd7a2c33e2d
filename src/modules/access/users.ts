// Administration of users: create (with a one-time set-up link), edit,
// disable (which ends their sessions at once), reset sign-in.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { declareRoute, transact } from '../../platform/routes.ts';
import { FormErrors, choice, choices, email, isUuid, text, str, type Body } from '../../platform/forms.ts';
import { ROLES, ROLE_LABELS, type Role } from '../../platform/permissions.ts';
import { listParams, pagination, sortHeaders } from '../../platform/lists.ts';
import { createUser, isEmailTaken, resetSignIn, setupLink } from './accounts.ts';
import { changedSince, claimVersion, orStale, STALE, staleError, versionRead } from '../../platform/versions.ts';
import { notFound } from '../../platform/errors.ts';
import { getSetting, setSetting } from '../../platform/settings.ts';
import { lockedAccounts, unlockAccount, PASSKEYS_REQUIRED } from './secondFactor.ts';

const SORTS = ['name', 'email', 'agency'] as const;

interface UserForm {
  displayName: string;
  email: string;
  agencyId: string;
  roles: Role[];
}

/** The changes that move an account's version on: who made the latest is named when a change is refused. */
const USER_CHANGES = ['user.update', 'user.disable', 'user.enable', 'user.reset', 'user.unlock'];

export function registerUserAdmin(app: FastifyInstance): void {
  const agencies = () => app.db.selectFrom('agency').select(['id', 'name']).where('disabled_at', 'is', null).orderBy('name').execute();

  const formPage = async (reply: FastifyReply, data: Record<string, unknown>) =>
    reply.page('access/views/user-form.njk', { ...data, agencies: await agencies(), roles: ROLES.map((r) => ({ value: r, text: ROLE_LABELS[r] })) });

  async function readForm(body: Body, errors: FormErrors, exceptUserId?: string): Promise<UserForm | null> {
    const displayName = text(body, 'displayName', errors, { label: 'Full name', required: true, max: 200 });
    const address = email(body, 'email', errors);
    const valid = (await agencies()).map((a) => a.id);
    const agencyId = choice(body, 'agencyId', errors, valid, 'Select the user’s agency');
    const roles = choices(body, 'roles', errors, ROLES, 'Select roles from the list');
    if (!errors.messages.roles && roles.length === 0) errors.add('roles', 'Select at least one role');
    if (address && (await isEmailTaken(app.db, address, exceptUserId))) errors.add('email', 'A user with this email address already exists');
    if (errors.any || !displayName || !address || !agencyId) return null;
    return { displayName, email: address, agencyId, roles };
  }

  declareRoute(app, {
    method: 'GET',
    url: '/admin/users',
    access: 'admin.users',
    audit: 'user.list',
    handler: async (req, reply) => {
      const params = listParams(req.query as Record<string, unknown>, SORTS, 'name');
      const column = { name: 'app_user.display_name', email: 'app_user.email', agency: 'agency.name' } as const;
      const { rows, total } = await transact(req, async (trx, audit) => {
        const rows = await trx
          .selectFrom('app_user')
          .innerJoin('agency', 'agency.id', 'app_user.agency_id')
          .select(['app_user.id', 'app_user.display_name', 'app_user.email', 'app_user.roles', 'app_user.disabled_at', 'app_user.password_hash', 'app_user.locked_until', 'agency.name as agency'])
          .orderBy(column[params.sort], params.order)
          .orderBy('app_user.id')
          .limit(params.limit)
          .offset(params.offset)
          .execute();
        const { total } = await trx.selectFrom('app_user').select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
        await audit({ recordType: 'user', detail: { page: params.page, shown: rows.length } });
        return { rows, total: Number(total) };
      });
      return reply.page('access/views/users.njk', {
        users: rows.map((r) => ({ ...r, set_up: Boolean(r.password_hash), password_hash: undefined, locked: r.locked_until && new Date(r.locked_until) > new Date() ? r.locked_until : null })),
        locked: await lockedAccounts(app.db),
        passkeysRequired: (await getSetting<boolean>(app.db, PASSKEYS_REQUIRED)) === true,
        policySaved: 'policy' in (req.query as Record<string, string>),
        headers: sortHeaders('/admin/users', {}, params, [
          { key: 'name', text: 'Name' },
          { key: 'email', text: 'Email' },
          { key: 'agency', text: 'Agency' },
        ]),
        pagination: pagination('/admin/users', {}, params, total),
      });
    },
  });

  declareRoute(app, {
    method: 'GET',
    url: '/admin/users/new',
    access: 'admin.users',
    audit: null,
    handler: async (_req, reply) => formPage(reply, { values: { roles: [] } }),
  });

  declareRoute(app, {
    method: 'POST',
    url: '/admin/users',
    access: 'admin.users',
    audit: 'user.create',
    handler: async (req, reply) => {
      const body = req.body as Body;
      const errors = new FormErrors();
      const form = await readForm(body, errors);
      if (!form) return formPage(reply.code(400), { errors, values: { ...body, roles: [body.roles ?? []].flat() } });
      const created = await transact(req, async (trx, audit) => {
        const user = await createUser(trx, form);
        await audit({ recordType: 'user', recordId: user.id, detail: { roles: form.roles } });
        return user;
      });
      return reply.page('access/views/set-up-link.njk', { heading: 'User created', email: form.email, link: setupLink(app.config.publicUrl, created.setupToken) });
    },
  });

  const loadUser = (id: string) =>
    app.db
      .selectFrom('app_user')
      .select(['id', 'display_name', 'email', 'agency_id', 'roles', 'disabled_at', 'version', 'password_hash', 'totp_secret', 'locked_until', (eb) => eb.selectFrom('passkey').select(eb.fn.countAll<string>().as('n')).whereRef('passkey.user_id', '=', 'app_user.id').as('passkeys')])
      .where('id', '=', id)
      .executeTakeFirst();

  declareRoute(app, {
    method: 'GET',
    url: '/admin/users/:id',
    access: 'admin.users',
    audit: 'user.view',
    handler: async (req, reply) => {
      const id = (req.params as { id: string }).id;
      const user = isUuid(id) ? await loadUser(id) : undefined;
      if (!user) return notFound(req, reply);
      await transact(req, (_trx, audit) => audit({ recordType: 'user', recordId: id }));
      return formPage(reply, { user: summary(user), unlocked: 'unlocked' in (req.query as Record<string, string>), values: { displayName: user.display_name, email: user.email, agencyId: user.agency_id, roles: user.roles, version: user.version } });
    },
  });

  declareRoute(app, {
    method: 'POST',
    url: '/admin/users/:id',
    access: 'admin.users',
    audit: 'user.update',
    handler: async (req, reply) => {
      const id = (req.params as { id: string }).id;
      const user = isUuid(id) ? await loadUser(id) : undefined;
      if (!user) return notFound(req, reply);
      const body = req.body as Body;
      const errors = new FormErrors();
      const form = await readForm(body, errors, id);
      const version = Number(str(body, 'version'));
      const rerender = (status: number) => formPage(reply.code(status), { user: summary(user), errors, values: { ...body, roles: [body.roles ?? []].flat() } });
      if (!form) return rerender(400);
      const updated = await transact(req, async (trx, audit) => {
        const result = await trx
          .updateTable('app_user')
          .set({ display_name: form.displayName, email: form.email, agency_id: form.agencyId, roles: form.roles, updated_at: new Date(), version: user.version + 1 })
          .where('id', '=', id)
          .where('version', '=', version)
          .executeTakeFirst();
        if (result.numUpdatedRows === 0n) return false;
        // A change of agency or roles changes what the user may see: make them sign in again.
        if (form.agencyId !== user.agency_id || form.roles.join() !== user.roles.join()) await trx.deleteFrom('session').where('user_id', '=', id).execute();
        await audit({ recordType: 'user', recordId: id, detail: { roles: form.roles } });
        return true;
      });
      if (!updated) {
        const fresh = (await loadUser(id))!;
        errors.add('displayName', await staleError(app.db, { type: 'user', id: id, actions: USER_CHANGES }, 'user'));
        return formPage(reply.code(409), { user: summary(fresh), errors, values: { ...body, roles: [body.roles ?? []].flat(), version: String(fresh.version) } });
      }
      return reply.redirect('/admin/users', 303);
    },
  });

  declareRoute(app, {
    method: 'POST',
    url: '/admin/sign-in-policy',
    access: 'admin.users',
    audit: 'sign-in.policy',
    handler: async (req, reply) => {
      const value = str(req.body as Body, 'passkeysRequired');
      if (value !== 'yes' && value !== 'no') return reply.redirect('/admin/users#sign-in-policy', 303);
      await transact(req, async (trx, audit) => {
        await setSetting(trx, PASSKEYS_REQUIRED, value === 'yes');
        await audit({ recordType: 'setting', recordId: PASSKEYS_REQUIRED, detail: { passkeysRequired: value === 'yes' } });
      });
      return reply.redirect('/admin/users?policy=saved', 303);
    },
  });

  for (const action of ['disable', 'enable', 'reset', 'unlock'] as const) {
    declareRoute(app, {
      method: 'POST',
      url: `/admin/users/:id/${action}`,
      access: 'admin.users',
      audit: `user.${action}`,
      handler: async (req, reply) => {
        const id = (req.params as { id: string }).id;
        const user = isUuid(id) ? await loadUser(id) : undefined;
        if (!user) return notFound(req, reply);
        const token = await orStale(
          transact(req, async (trx, audit) => {
          // Each button acts on the account as the page showed it: another administrator's change since is read first.
          await claimVersion(trx, 'app_user', id, versionRead(req.body as Body));
          let token: string | null = null;
          if (action === 'reset') token = await resetSignIn(trx, id);
          else if (action === 'unlock') await unlockAccount(trx, id);
          else {
            await trx
              .updateTable('app_user')
              .set({ disabled_at: action === 'disable' ? new Date() : null, updated_at: new Date() })
              .where('id', '=', id)
              .execute();
            if (action === 'disable') await trx.deleteFrom('session').where('user_id', '=', id).execute();
          }
          await audit({ recordType: 'user', recordId: id });
          return token;
          }),
        );
        if (token === STALE) {
          return reply.code(409).page('errors/stale.njk', { problem: await changedSince(app.db, { type: 'user', id, actions: USER_CHANGES }), back: `/admin/users/${id}` });
        }
        if (token) return reply.page('access/views/set-up-link.njk', { heading: 'Sign-in reset', email: user.email, link: setupLink(app.config.publicUrl, token) });
        return reply.redirect(`/admin/users/${id}${action === 'unlock' ? '?unlocked=1' : ''}`, 303);
      },
    });
  }
}

function summary(user: { id: string; version: number; email: string; disabled_at: Date | null; password_hash: string | null; totp_secret: string | null; locked_until: Date | null; passkeys: string | null }) {
  const locked = user.locked_until && new Date(user.locked_until) > new Date() ? user.locked_until : null;
  return { id: user.id, version: user.version, email: user.email, disabled: Boolean(user.disabled_at), passwordSet: Boolean(user.password_hash), codeSet: Boolean(user.totp_secret), lockedUntil: locked, passkeys: Number(user.passkeys ?? 0) };
}
