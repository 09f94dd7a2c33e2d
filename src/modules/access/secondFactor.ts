// The second factor's rules, in one place for every sign-in route: which
// factor a user must give, whether a code or an enrolment counts, and the
// per-account lock after a run of wrong attempts (issue 17). A session in the
// 'password' stage only becomes 'active' through finishSecondFactor's callers
// when one of these answered yes.
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { checkTotp } from '../../platform/totp.ts';
import { getSetting } from '../../platform/settings.ts';
import type { Role } from '../../platform/permissions.ts';

/**
 * Wrong second-factor attempts an account may have in FAILURE_WINDOW_MINUTES,
 * from any address or session, before it is locked (NCSC: limit the attempts
 * at each factor, and tell the user; a 6-digit code otherwise falls to a
 * patient guesser whom a per-address rate limit does not see).
 */
export const MAX_FACTOR_FAILURES = 10;
export const FAILURE_WINDOW_MINUTES = 60;
/** How long a locked account waits before it may try again, unless an administrator unlocks it sooner. */
export const LOCKOUT_MINUTES = 60;

/** The setting that makes passkeys the only second factor for PASSKEY_ROLES. */
export const PASSKEYS_REQUIRED = 'passkeys_required';
/** The roles that hold the keys to everyone else's data (issue 17: administrators and IG officers). */
export const PASSKEY_ROLES: readonly Role[] = ['administrator', 'ig_officer'];

type Db = Kysely<DB>;

export interface FactorState {
  enrolled: boolean;
  passkeys: number;
  /** Passkeys only: the partnership requires them for this user's roles. */
  passkeyRequired: boolean;
  lockedUntil: Date | null;
}

export async function factorState(db: Db, userId: string, now = new Date()): Promise<FactorState> {
  const user = await db
    .selectFrom('app_user')
    .select(['roles', 'totp_secret', 'locked_until', (eb) => eb.selectFrom('passkey').select(eb.fn.countAll<string>().as('n')).whereRef('passkey.user_id', '=', 'app_user.id').as('passkeys')])
    .where('id', '=', userId)
    .executeTakeFirstOrThrow();
  const required = (await getSetting<boolean>(db, PASSKEYS_REQUIRED)) === true && user.roles.some((r) => PASSKEY_ROLES.includes(r as Role));
  const locked = user.locked_until && new Date(user.locked_until) > now ? new Date(user.locked_until) : null;
  return { enrolled: Boolean(user.totp_secret), passkeys: Number(user.passkeys), passkeyRequired: required, lockedUntil: locked };
}

/** A code for the key stored before this request, each time step accepted once (claimed atomically). */
export async function acceptCode(db: Db, userId: string, code: string): Promise<boolean> {
  const user = await db.selectFrom('app_user').select(['totp_secret', 'totp_last_step']).where('id', '=', userId).executeTakeFirstOrThrow();
  if (!user.totp_secret) return false;
  const step = await checkTotp(user.totp_secret, code, user.totp_last_step === null ? null : Number(user.totp_last_step));
  if (step === null) return false;
  const claimed = await db
    .updateTable('app_user')
    .set({ totp_last_step: step, last_signed_in_at: new Date() })
    .where('id', '=', userId)
    .where('totp_secret', '=', user.totp_secret)
    .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
    .executeTakeFirst();
  return claimed.numUpdatedRows === 1n;
}

/**
 * Enrols the key a session was shown, for a user with none: only when the
 * code matches it and exactly one row changed. A user who already has a key
 * is never enrolled again here (the bypass issue 17 found): their key is
 * replaced only through an administrator's fresh set-up link.
 */
export async function enrolCode(db: Db, userId: string, secret: string, code: string): Promise<boolean> {
  const step = await checkTotp(secret, code, null);
  if (step === null) return false;
  const enrolled = await db
    .updateTable('app_user')
    .set({ totp_secret: secret, totp_last_step: step, last_signed_in_at: new Date(), updated_at: new Date() })
    .where('id', '=', userId)
    .where('totp_secret', 'is', null)
    .executeTakeFirst();
  return enrolled.numUpdatedRows === 1n;
}

/** Counts a wrong attempt against the account; the attempt that makes the run long enough locks it. */
export async function recordFactorFailure(db: Db, userId: string, now = new Date()): Promise<{ lockedUntil: Date | null }> {
  return db.transaction().execute(async (trx) => {
    await trx.insertInto('sign_in_failure').values({ user_id: userId, at: now }).execute();
    const since = new Date(now.getTime() - FAILURE_WINDOW_MINUTES * 60_000);
    const { n } = await trx
      .selectFrom('sign_in_failure')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('user_id', '=', userId)
      .where('at', '>', since)
      .executeTakeFirstOrThrow();
    if (Number(n) < MAX_FACTOR_FAILURES) return { lockedUntil: null };
    const lockedUntil = new Date(now.getTime() + LOCKOUT_MINUTES * 60_000);
    await trx.updateTable('app_user').set({ locked_until: lockedUntil }).where('id', '=', userId).execute();
    // The run that locked it is spent: after the cool-down the account starts afresh.
    await trx.deleteFrom('sign_in_failure').where('user_id', '=', userId).execute();
    await trx.deleteFrom('session').where('user_id', '=', userId).where('stage', '=', 'password').execute();
    return { lockedUntil };
  });
}

/** An administrator's unlock: the cool-down ends now and the wrong attempts are forgotten. */
export async function unlockAccount(db: Db | Transaction<DB>, userId: string): Promise<void> {
  await db.updateTable('app_user').set({ locked_until: null }).where('id', '=', userId).execute();
  await db.deleteFrom('sign_in_failure').where('user_id', '=', userId).execute();
}

/** Accounts locked now, for the administrators' list. */
export function lockedAccounts(db: Db, now = new Date()) {
  return db.selectFrom('app_user').select(['id', 'display_name', 'email', 'agency_id', 'locked_until']).where('locked_until', '>', now).orderBy('locked_until').execute();
}
