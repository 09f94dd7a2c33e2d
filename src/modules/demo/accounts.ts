// The demonstration accounts. Their password and TOTP key are public, so they
// exist only in a database the demo seed created (see isDemoDatabase), and
// sign-in refuses the demo key anywhere else.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { ROLE_LABELS, type Role } from '../../platform/permissions.ts';

export const DEMO_PASSWORD = 'demo walthamstow lime';
/** 20 bytes in base32, as authenticator apps expect. */
export const DEMO_TOTP_SECRET = 'DEMOREACHABLEKEY2345DEMOREACHABL';
export const DEMO_EMAIL_DOMAIN = 'demo.reachable.invalid';

export async function demoAccounts(db: Kysely<DB>) {
  const rows = await db
    .selectFrom('app_user')
    .innerJoin('agency', 'agency.id', 'app_user.agency_id')
    .select(['app_user.email', 'app_user.roles', 'agency.name as agency'])
    .where('app_user.email', 'like', `%@${DEMO_EMAIL_DOMAIN}`)
    .where('app_user.disabled_at', 'is', null)
    .orderBy('app_user.email')
    .execute();
  return rows.map((r) => ({ email: r.email, agency: r.agency, roles: r.roles.map((role) => ROLE_LABELS[role as Role] ?? role) }));
}

/**
 * The embedded database's folder is locked while the server runs, so the
 * server leaves this mark in it when the database is a demo one: then
 * `reachable demo code` can answer beside a running server without opening
 * the database. It holds nothing secret: the demo key is public.
 */
export const DEMO_MARK = 'demo-database';
