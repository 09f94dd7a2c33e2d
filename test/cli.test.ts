// The `reachable` command, run as a user would run it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { openDatabase } from '../src/db/database.ts';
import { engine, testPostgresUrl } from './support/app.ts';

let env: Record<string, string>;
let dataDir: string;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'reachable-cli-'));
  // The audit checkpoints and their key, outside the database as in production.
  const auditDir = fs.mkdtempSync(path.join(os.tmpdir(), 'reachable-cli-audit-'));
  const audit = { AUDIT_CHECKPOINT_DIR: path.join(auditDir, 'checkpoints'), AUDIT_KEY_FILE: path.join(auditDir, 'signing-key.pem') };
  env = engine === 'postgresql' ? { DATABASE_URL: await testPostgresUrl(), ...audit } : { DATA_DIR: dataDir, DATABASE_URL: '', ...audit };
});
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

function reachable(...args: string[]) {
  const result = spawnSync(process.execPath, ['bin/reachable.js', ...args], { env: { ...process.env, ...env, PUBLIC_URL: 'https://reachable.example.gov.uk' }, encoding: 'utf8', timeout: 60_000 });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

const open = () => openDatabase(engine === 'postgresql' ? { databaseUrl: env.DATABASE_URL } : { dataDir });

describe('reachable', () => {
  it('creates the first administrator with a one-time set-up link, and stores no password', async () => {
    const res = reachable('user', 'create', '--agency', 'Test Council', '--agency-kind', 'council', '--role', 'administrator', '--email', 'first.admin@example.gov.uk', '--name', 'First Admin');
    expect(res.err).toBe('');
    expect(res.code).toBe(0);
    const link = /https:\/\/reachable\.example\.gov\.uk\/set-up\/([A-Za-z0-9_-]{43})/.exec(res.out);
    expect(link).not.toBeNull();
    const database = await open();
    const user = await database.db.selectFrom('app_user').selectAll().where('email', '=', 'first.admin@example.gov.uk').executeTakeFirstOrThrow();
    await database.close();
    expect(user.password_hash).toBeNull();
    expect(user.setup_token_hash).not.toContain(link![1]);
    expect(user.roles).toEqual(['administrator']);
  });

  it('refuses unknown roles and missing agencies with a clear message', () => {
    expect(reachable('user', 'create', '--agency', 'Test Council', '--role', 'overlord', '--email', 'x@example.gov.uk')).toMatchObject({ code: 2, err: expect.stringContaining('Unknown role') });
    expect(reachable('user', 'create', '--agency', 'Nowhere', '--role', 'analyst', '--email', 'x@example.gov.uk')).toMatchObject({ code: 2, err: expect.stringContaining('No agency called') });
  });

  it('issues an API credential once', () => {
    const res = reachable('api-client', 'create', '--agency', 'Test Council', '--role', 'police', '--name', 'Custody feed');
    expect(res.code).toBe(0);
    expect(res.out).toMatch(/rk_[A-Za-z0-9_-]{43}/);
  });

  it('verifies the audit chain, and names the row someone changed by hand', async () => {
    const intact = reachable('audit', 'verify');
    expect(intact.code).toBe(0);
    expect(intact.out).toMatch(/^audit chain intact: 2 events, matching 0 signed checkpoints/m);
    // The verify wrote a checkpoint: the next verify checks against it.
    expect(reachable('audit', 'verify').out).toMatch(/^audit chain intact: 2 events, matching 1 signed checkpoint;/m);
    const database = await open();
    await database.db.transaction().execute(async (trx) => {
      await sql`SET LOCAL session_replication_role = replica`.execute(trx);
      await sql`UPDATE audit_event SET action = 'nothing to see' WHERE seq = 1`.execute(trx);
    });
    await database.close();
    const broken = reachable('audit', 'verify');
    expect(broken.code).toBe(1);
    expect(broken.err).toMatch(/audit log NOT intact at event 1 .*the row was edited/);
  });

  it('says when events a checkpoint recorded have been cut off the end', async () => {
    const database = await open();
    await database.db.transaction().execute(async (trx) => {
      await sql`SET LOCAL session_replication_role = replica`.execute(trx);
      await sql`UPDATE audit_event SET action = 'user.create' WHERE seq = 1`.execute(trx);
      await sql`DELETE FROM audit_event WHERE seq = (SELECT max(seq) FROM audit_event)`.execute(trx);
    });
    await database.close();
    const cut = reachable('audit', 'verify');
    expect(cut.code).toBe(1);
    expect(cut.err).toMatch(/audit log NOT intact at event \d+ .*the log was cut short/);
  });

  it.runIf(engine === 'pglite')('refuses to open a data folder another process is using', async () => {
    const database = await open();
    try {
      const res = reachable('db', 'migrate');
      expect(res.code).not.toBe(0);
      expect(res.err).toMatch(/in use by another Reachable process \(pid \d+\)/);
    } finally {
      await database.close();
    }
    expect(reachable('db', 'migrate').code).toBe(0);
  });

  it.runIf(engine === 'pglite')('backs up the embedded database and restores it into a new folder', () => {
    const file = path.join(dataDir, 'backup.tar.gz');
    expect(reachable('db', 'backup', file).code).toBe(0);
    const restoredDir = path.join(dataDir, 'restored');
    const saved = env.DATA_DIR;
    env.DATA_DIR = restoredDir;
    try {
      const res = reachable('db', 'restore', file);
      expect(res.code).toBe(0);
      expect(res.out).toContain(`restored into ${restoredDir}`);
      expect(reachable('db', 'restore', file)).toMatchObject({ code: 2, err: expect.stringContaining('already holds a database') });
      // The copy holds what the original held, including the event cut off above, and the checkpoints still say so.
      expect(reachable('audit', 'verify')).toMatchObject({ code: 1, err: expect.stringContaining('the log was cut short') });
    } finally {
      env.DATA_DIR = saved;
    }
  });

  it('refuses an option that is not the command’s own, and writes --out to the file for every analysis', () => {
    const wrong = reachable('analyse', 'pai', '--input', 'x.csv', '--distance', '200');
    expect(wrong.code).toBe(2);
    expect(wrong.err).toContain('reachable analyse pai has no option --distance');
    const input = path.join(dataDir, 'groups.csv');
    const out = path.join(dataDir, 'rri.csv');
    fs.writeFileSync(input, 'group,events,population\nA,10,1000\nB,30,1000\n');
    const res = reachable('analyse', 'rri', '--input', input, '--reference', 'A', '--out', out);
    expect(res.code).toBe(0);
    expect(res.out).toBe('');
    expect(fs.readFileSync(out, 'utf8')).toMatch(/^group,rate,rri,ci_low,ci_high/);
  });

  it.runIf(engine === 'pglite')('prints the demo code beside a running server, and only for a demo database', () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'reachable-running-'));
    // A live process (this one) holds the folder, as a running server would.
    fs.writeFileSync(path.join(folder, 'reachable.lock'), String(process.pid));
    const saved = env.DATA_DIR;
    env.DATA_DIR = folder;
    try {
      expect(reachable('demo', 'code')).toMatchObject({ code: 2, err: expect.stringContaining('not a demo database') });
      fs.writeFileSync(path.join(folder, 'demo-database'), 'demo');
      const res = reachable('demo', 'code');
      expect(res.code).toBe(0);
      expect(res.out).toMatch(/^\d{6}\n$/);
    } finally {
      env.DATA_DIR = saved;
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });
});

