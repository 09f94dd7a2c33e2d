// The migrated, empty embedded database a first start copies (src/db/snapshot.ts):
// current, the same database the migrations make, never used once it no
// longer fits, and never sharing an installation's secrets.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { sql, type Kysely } from 'kysely';
import { openDatabase, type Database } from '../../src/db/database.ts';
import { migrate } from '../../src/db/migrate.ts';
import { INSTALLATION_SECRETS, currentManifest, heldManifest, loadSnapshot, snapshotProblem } from '../../src/db/snapshot.ts';
import { engine } from '../support/app.ts';

const folders: string[] = [];
const opened: Database[] = [];
afterAll(async () => {
  for (const d of opened) await d.close();
  for (const f of folders) fs.rmSync(f, { recursive: true, force: true });
});

async function fromSnapshot() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reachable-snapshot-'));
  folders.push(dir);
  const database = await openDatabase({ dataDir: dir });
  opened.push(database);
  return database;
}

/** This run's freshly migrated database (made by the suite's global set-up). */
async function migrated() {
  const database = await openDatabase({ dataDir: 'memory://', loadDataDir: new Blob([fs.readFileSync(inject('pgliteTemplate'))], { type: 'application/x-gzip' }) });
  opened.push(database);
  return database;
}

const settings = async (db: Kysely<any>) => Object.fromEntries((await sql<{ key: string; value: unknown }>`SELECT key, value FROM setting ORDER BY key`.execute(db)).rows.map((r) => [r.key, JSON.stringify(r.value)]));

/** Everything the migrations define: columns, constraints, indexes, triggers, functions, and the rows they load (but their random ids). */
async function shape(db: Kysely<any>) {
  const q = async (query: ReturnType<typeof sql>) => (await query.execute(db)).rows.map((r) => JSON.stringify(r));
  const tables = (await sql<{ t: string }>`SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name NOT LIKE 'kysely%' ORDER BY 1`.execute(db)).rows.map((r) => r.t);
  const rows: Record<string, string[]> = {};
  for (const t of tables) {
    if (t === 'setting') continue;
    rows[t] = (await sql<{ r: string }>`SELECT (to_jsonb(x) - 'id')::text AS r FROM ${sql.table(t)} x ORDER BY 1`.execute(db)).rows.map((r) => r.r);
  }
  return {
    columns: await q(sql`SELECT table_name, column_name, data_type, is_nullable, column_default FROM information_schema.columns WHERE table_schema = 'public' ORDER BY 1, 2`),
    constraints: await q(sql`SELECT conrelid::regclass::text AS t, conname, pg_get_constraintdef(oid) AS d FROM pg_constraint WHERE connamespace = 'public'::regnamespace ORDER BY 1, 2`),
    indexes: await q(sql`SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1, 2`),
    triggers: await q(sql`SELECT tgrelid::regclass::text AS t, tgname, tgenabled FROM pg_trigger WHERE NOT tgisinternal ORDER BY 1, 2`),
    functions: await q(sql`SELECT proname, md5(prosrc) FROM pg_proc WHERE pronamespace = 'public'::regnamespace ORDER BY 1, 2`),
    migrations: await q(sql`SELECT name FROM kysely_migration ORDER BY 1`),
    settingKeys: Object.keys(await settings(db)),
    rows,
  };
}

describe.skipIf(engine === 'postgresql')('the embedded database a first start copies', () => {
  it('holds every migration as it is now and this PGlite (else: npm run db:snapshot)', () => {
    const { secrets, ...held } = heldManifest() ?? { secrets: undefined };
    expect(held, 'npm run db:snapshot').toEqual(currentManifest());
    expect(Object.keys(secrets ?? {}).sort(), 'npm run db:snapshot').toEqual(Object.keys(INSTALLATION_SECRETS).sort());
  });

  it('is the database the migrations make, with nothing left to apply', async () => {
    const copy = await fromSnapshot();
    expect(await migrate(copy.db)).toEqual([]);
    const fresh = await migrated();
    expect(await shape(copy.db)).toEqual(await shape(fresh.db));
  });

  it('gives every database started from it secrets of its own, and names every secret the migrations make', async () => {
    const [a, b] = [await fromSnapshot(), await fromSnapshot()];
    const [sa, sb] = [await settings(a.db), await settings(b.db)];
    for (const key of Object.keys(INSTALLATION_SECRETS)) {
      expect(sa[key], key).toBeTruthy();
      expect(sa[key], key).not.toBe(sb[key]);
    }
    // Started again, a copy keeps its own (sessions and pseudonyms stay valid)…
    await a.close();
    opened.splice(opened.indexOf(a), 1);
    const folder = folders[folders.length - 2];
    const again = await openDatabase({ dataDir: folder });
    const kept = await settings(again.db);
    for (const key of Object.keys(INSTALLATION_SECRETS)) expect(kept[key], `${key} kept`).toBe(sa[key]);
    // …and one whose first start stopped before renewing them (put back here) has them renewed at the next.
    const snapshot = await openDatabase({ dataDir: 'memory://', loadDataDir: loadSnapshot() });
    opened.push(snapshot);
    const published = await settings(snapshot.db);
    for (const key of Object.keys(INSTALLATION_SECRETS)) await sql`UPDATE setting SET value = ${published[key]}::jsonb WHERE key = ${key}`.execute(again.db);
    await again.close();
    const next = await openDatabase({ dataDir: folder });
    opened.push(next);
    const renewed = await settings(next.db);
    for (const key of Object.keys(INSTALLATION_SECRETS)) {
      expect(renewed[key], `${key} renewed`).not.toBe(published[key]);
      expect(renewed[key], `${key} renewed`).toBeTruthy();
    }
    // Two runs of the migrations: any setting that comes out different is random, so must be renewed on a copy.
    const [m1, m2] = [await migrated(), await openDatabase({ dataDir: 'memory://' })];
    opened.push(m2);
    await migrate(m2.db);
    const [s1, s2] = [await settings(m1.db), await settings(m2.db)];
    const random = Object.keys(s1).filter((k) => s1[k] !== s2[k]);
    expect(random.sort()).toEqual(Object.keys(INSTALLATION_SECRETS).sort());
  }, 120_000);

  it('is not used once it no longer fits: another PGlite, or a migration changed since; a newer migration is applied on top', () => {
    const now = currentManifest();
    const [first, ...rest] = Object.keys(now.migrations);
    expect(snapshotProblem(now, now)).toBeNull();
    expect(snapshotProblem({ ...now, pglite: '0.0.1' }, now)).toMatch(/PGlite 0\.0\.1/);
    expect(snapshotProblem({ ...now, migrations: { ...now.migrations, [first]: 'changed' } }, now)).toMatch(new RegExp(first));
    const older = { ...now, migrations: Object.fromEntries(Object.entries(now.migrations).filter(([name]) => name !== rest.at(-1))) };
    expect(snapshotProblem(older, now)).toBeNull();
  });
});
