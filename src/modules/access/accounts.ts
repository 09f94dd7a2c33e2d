// Agencies, users and API clients: the rules shared by the admin pages, the
// command line and the demo seed.
import { randomBytes } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { sha256, newToken } from '../../platform/sessions.ts';
import { isRole, type Role } from '../../platform/permissions.ts';

export const AGENCY_KINDS = {
  council: 'Council',
  police: 'Police',
  nhs_trust: 'NHS trust',
  probation: 'Probation',
  youth_justice: 'Youth justice service',
  school: 'School',
  voluntary: 'Voluntary or community organisation',
} as const;
export type AgencyKind = keyof typeof AGENCY_KINDS;
export const AGENCY_KIND_CODES = Object.keys(AGENCY_KINDS) as AgencyKind[];

/** How long a set-up link stays usable. */
export const SETUP_LINK_DAYS = 7;

type Db = Kysely<DB> | Transaction<DB>;

export async function findAgencyByName(db: Db, name: string) {
  return db.selectFrom('agency').selectAll().where((eb) => eb(eb.fn('lower', ['name']), '=', name.toLowerCase())).executeTakeFirst();
}

export interface NewUser {
  agencyId: string;
  email: string;
  displayName: string;
  roles: Role[];
}

/** Creates a user with no password: they choose one through the set-up link this returns. */
export async function createUser(db: Db, user: NewUser): Promise<{ id: string; setupToken: string }> {
  if (!user.roles.length || !user.roles.every(isRole)) throw new Error('A user needs at least one known role');
  const setupToken = newToken();
  const row = await db
    .insertInto('app_user')
    .values({
      agency_id: user.agencyId,
      email: user.email.toLowerCase(),
      display_name: user.displayName,
      roles: user.roles,
      setup_token_hash: sha256(setupToken),
      setup_expires_at: new Date(Date.now() + SETUP_LINK_DAYS * 86_400_000),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, setupToken };
}

/** A new set-up link: the old password and second factors (code and passkeys) stop working, the account is unlocked, and every session ends. */
export async function resetSignIn(db: Db, userId: string): Promise<string> {
  const setupToken = newToken();
  await db
    .updateTable('app_user')
    .set({
      password_hash: null,
      totp_secret: null,
      totp_last_step: null,
      locked_until: null,
      setup_token_hash: sha256(setupToken),
      setup_expires_at: new Date(Date.now() + SETUP_LINK_DAYS * 86_400_000),
      updated_at: new Date(),
      version: (eb) => eb('version', '+', 1),
    })
    .where('id', '=', userId)
    .execute();
  await db.deleteFrom('session').where('user_id', '=', userId).execute();
  await db.deleteFrom('passkey').where('user_id', '=', userId).execute();
  await db.deleteFrom('sign_in_failure').where('user_id', '=', userId).execute();
  return setupToken;
}

export function setupLink(publicUrl: string, token: string): string {
  return `${publicUrl}/set-up/${token}`;
}

/** An API credential: shown once, kept only as its SHA-256. */
export async function createApiClient(db: Db, client: { agencyId: string; name: string; role: Role; createdBy: string | null }) {
  const secret = `rk_${randomBytes(32).toString('base64url')}`;
  const row = await db
    .insertInto('api_client')
    .values({ agency_id: client.agencyId, name: client.name, role: client.role, secret_hash: sha256(secret), created_by: client.createdBy })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, secret };
}

export async function isEmailTaken(db: Db, email: string, exceptUserId?: string): Promise<boolean> {
  let query = db.selectFrom('app_user').select('id').where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()));
  if (exceptUserId) query = query.where('id', '!=', exceptUserId);
  return Boolean(await query.executeTakeFirst());
}
