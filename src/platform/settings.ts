// Small facts about this database, kept in the setting table.
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema.ts';

export const DEMO_DATABASE = 'demo_database';

/** True only when the demo seed created this database: then demo passwords and the demo TOTP key are allowed. */
export async function isDemoDatabase(db: Kysely<DB>): Promise<boolean> {
  const row = await db.selectFrom('setting').select('value').where('key', '=', DEMO_DATABASE).executeTakeFirst();
  return row?.value === true;
}

export async function setSetting(db: Kysely<DB> | Transaction<DB>, key: string, value: unknown): Promise<void> {
  await db
    .insertInto('setting')
    .values({ key, value: JSON.stringify(value) })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: JSON.stringify(value) }))
    .execute();
}

export async function getSetting<T>(db: Kysely<DB> | Transaction<DB>, key: string): Promise<T | undefined> {
  const row = await db.selectFrom('setting').select('value').where('key', '=', key).executeTakeFirst();
  return row?.value as T | undefined;
}
