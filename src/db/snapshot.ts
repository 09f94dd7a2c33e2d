// A newcomer's first start should not wait for PGlite's initdb and every
// migration (about 5 s on two cores): the embedded database, migrated and
// empty, is kept here as a compressed data folder, and a fresh data folder
// starts as a copy of it. The manifest names the PGlite it was made with and
// each migration it holds (by content), so a snapshot that no longer fits is
// never used (the start falls back to initdb); migrations newer than it are
// applied as usual. `npm run db:snapshot` remakes it; a test says when to.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import type { PGlite } from '@electric-sql/pglite';
import { migrationFiles } from './migrate.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
export const SNAPSHOT_FILE = path.join(here, 'snapshot', 'empty.tar.br');
export const MANIFEST_FILE = path.join(here, 'snapshot', 'empty.json');

export interface Manifest {
  pglite: string;
  /** Migration name → SHA-256 of its file, for each migration the snapshot holds. */
  migrations: Record<string, string>;
  /** Setting → SHA-256 of the value the snapshot holds for each installation secret (written with it). */
  secrets?: Record<string, string>;
}

/** The installed PGlite's version: a data folder is only read by the version that wrote it. */
export function pgliteVersion(): string {
  const entry = fileURLToPath(import.meta.resolve('@electric-sql/pglite'));
  let dir = path.dirname(entry);
  while (!fs.existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  return JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).version;
}

/** What the snapshot should hold now: this PGlite and every migration file as it is. */
export function currentManifest(): Manifest {
  const migrations = Object.fromEntries(migrationFiles().map((f) => [f.name, crypto.createHash('sha256').update(f.text).digest('hex')]));
  return { pglite: pgliteVersion(), migrations };
}

/** Why a snapshot made as `held` says cannot start a database now, or null when it can (it may still lack the newest migrations). */
export function snapshotProblem(held: Manifest, now: Manifest): string | null {
  if (held.pglite !== now.pglite) return `it was made with PGlite ${held.pglite}, this is ${now.pglite}`;
  for (const [name, hash] of Object.entries(held.migrations)) {
    if (now.migrations[name] !== hash) return `migration ${name} has changed since it was made`;
  }
  return null;
}

export function heldManifest(): Manifest | undefined {
  if (!fs.existsSync(SNAPSHOT_FILE) || !fs.existsSync(MANIFEST_FILE)) return undefined;
  return JSON.parse(fs.readFileSync(MANIFEST_FILE, 'utf8'));
}

/** The snapshot as PGlite's loadDataDir takes it (an uncompressed tar), when it can be used. */
export function loadSnapshot(): Blob | undefined {
  const held = heldManifest();
  if (!held || snapshotProblem(held, currentManifest())) return undefined;
  return new Blob([zlib.brotliDecompressSync(fs.readFileSync(SNAPSHOT_FILE))]);
}

/**
 * Settings the migrations fill with random values, which must differ in
 * every installation: a copied snapshot would otherwise share them (anyone
 * with the code could sign session cookies or undo pseudonyms). Made again,
 * the migrations' way, in every database started from the snapshot; a test
 * fails if a migration adds a random setting not named here.
 */
export const INSTALLATION_SECRETS: Record<string, string> = {
  cookie_key: `to_jsonb(gen_random_uuid()::text || gen_random_uuid()::text)`,
  pseudonym_key: `to_jsonb(gen_random_uuid()::text)`,
};

const sha256 = (text: string) => crypto.createHash('sha256').update(text).digest('hex');

/** The installation secrets as this database holds them. */
async function secretsIn(pglite: PGlite) {
  return (await pglite.query<{ key: string; value: unknown }>('SELECT key, value FROM setting WHERE key = ANY($1)', [Object.keys(INSTALLATION_SECRETS)])).rows;
}

/**
 * Renews every installation secret that still has the snapshot's value: on
 * the first start of a copy, and on any later start if the first stopped
 * before renewing them (so no folder ever keeps the published values).
 */
export async function renewInstallationSecrets(pglite: PGlite): Promise<void> {
  const published = heldManifest()?.secrets ?? {};
  for (const { key, value } of await secretsIn(pglite)) {
    if (published[key] === sha256(JSON.stringify(value))) await pglite.query(`UPDATE setting SET value = ${INSTALLATION_SECRETS[key]} WHERE key = $1`, [key]);
  }
}

/** Writes the snapshot of a migrated, empty embedded database (the secrets are renewed on every load). */
export async function writeSnapshot(pglite: PGlite): Promise<void> {
  await pglite.query('CHECKPOINT');
  const tar = Buffer.from(await (await pglite.dumpDataDir('none')).arrayBuffer());
  // Brotli at 9: half gzip's size, a fifth of a second to unpack.
  const packed = zlib.brotliCompressSync(tar, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 9, [zlib.constants.BROTLI_PARAM_LGWIN]: 24, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: tar.length } });
  fs.mkdirSync(path.dirname(SNAPSHOT_FILE), { recursive: true });
  fs.writeFileSync(SNAPSHOT_FILE, packed);
  const secrets = Object.fromEntries((await secretsIn(pglite)).map((r) => [r.key, sha256(JSON.stringify(r.value))]));
  fs.writeFileSync(MANIFEST_FILE, `${JSON.stringify({ ...currentManifest(), secrets }, null, 2)}\n`);
}
