// Per test file: a database copied from the migrated template, the real app
// on it, and small helpers to act as a signed-in user of a given role.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { sql, type Kysely } from 'kysely';
import { buildApp } from '../../src/app.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import { openDatabase, type Database } from '../../src/db/database.ts';
import type { DB } from '../../src/db/schema.ts';
import { hashPassword } from '../../src/platform/passwords.ts';
import { newTotpSecret } from '../../src/platform/totp.ts';
import { sha256, newToken } from '../../src/platform/sessions.ts';
import type { Role } from '../../src/platform/permissions.ts';
import { withDatabase } from './global-setup.ts';
import { formFields } from './forms.ts';

export const engine = process.env.REACHABLE_TEST_ENGINE === 'postgresql' ? 'postgresql' : 'pglite';

export async function testDatabase(): Promise<Database> {
  if (engine === 'postgresql') return openDatabase({ databaseUrl: await testPostgresUrl(), poolSize: 5 });
  const dump = fs.readFileSync(inject('pgliteTemplate'));
  return openDatabase({ dataDir: 'memory://', loadDataDir: new Blob([dump]) });
}

/** A new PostgreSQL database copied from the migrated template, by URL. */
export async function testPostgresUrl(): Promise<string> {
  {
    const url = process.env.REACHABLE_TEST_POSTGRES_URL!;
    const template = inject('postgresTemplate');
    const name = `${template}_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      for (let attempt = 0; ; attempt++) {
        try {
          await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
          break;
        } catch (error) {
          // Two workers copying the template at the same moment: wait and try again.
          if (attempt > 20) throw error;
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
      }
    } finally {
      await admin.end();
    }
    return withDatabase(url, name);
  }
}

export function testConfig(overrides: Partial<Config> = {}): Config {
  // Each app its own audit checkpoints and key, as each test file has its own database.
  const audit = fs.mkdtempSync(path.join(os.tmpdir(), 'reachable-audit-'));
  return {
    ...loadConfig({}),
    logLevel: 'silent',
    signInRateLimit: 10_000,
    demoSeedOnEmpty: false,
    audit: { checkpointDir: path.join(audit, 'checkpoints'), keyFile: path.join(audit, 'signing-key.pem'), checkpointMinutes: 15 },
    ...overrides,
  };
}

export interface TestApp {
  app: FastifyInstance;
  db: Kysely<DB>;
  database: Database;
  close(): Promise<void>;
}

export async function testApp(overrides: Partial<Config> = {}, database?: Database): Promise<TestApp> {
  const db = database ?? (await testDatabase());
  const app = await buildApp({ config: testConfig({ logLevel: process.env.TEST_LOG ?? 'silent', ...overrides }), db: db.db, databaseKind: db.kind, logger: Boolean(process.env.TEST_LOG) });
  await app.ready();
  return {
    app,
    db: db.db,
    database: db,
    async close() {
      await app.close();
      if (!database) await db.close();
    },
  };
}

let counter = 0;
const unique = () => `${Date.now().toString(36)}${(counter++).toString(36)}${randomBytes(2).toString('hex')}`;

/** Every test agency joins one data sharing agreement covering every purpose (issue 21), unless a test needs it left out. */
const TEST_AGREEMENT = 'Test partnership information sharing agreement';

export async function makeAgency(db: Kysely<DB>, options: { name?: string; kind?: string; receivesIncidents?: boolean; agreement?: boolean } = {}) {
  const row = await db
    .insertInto('agency')
    .values({ name: options.name ?? `Agency ${unique()}`, kind: options.kind ?? 'council', receives_incidents: options.receivesIncidents ?? false })
    .returning(['id', 'name'])
    .executeTakeFirstOrThrow();
  if (options.agreement !== false) await joinTestAgreement(db, row.id);
  return row;
}

export async function joinTestAgreement(db: Kysely<DB>, agencyId: string) {
  const joined = await db
    .updateTable('sharing_agreement')
    .set({ party_agency_ids: sql<string[]>`array_append(party_agency_ids, ${agencyId}::uuid)` })
    .where('title', '=', TEST_AGREEMENT)
    .executeTakeFirst();
  if (Number(joined.numUpdatedRows) > 0) return;
  await db
    .insertInto('sharing_agreement')
    .values({ title: TEST_AGREEMENT, party_agency_ids: [agencyId, agencyId], purposes: ['incident_sharing', 'referral', 'action', 'meeting'], data_categories: ['personal'], article6: 'e', starts_on: '2000-01-01', review_on: '2099-01-01', signatories: 'Test signatories', document: 'Test' })
    .execute();
}

export const TEST_PASSWORD = 'orange kettle harbour';
let passwordHash: Promise<string> | undefined;

export async function makeUser(db: Kysely<DB>, agencyId: string, roles: Role[], options: { email?: string; withTotp?: boolean } = {}) {
  passwordHash ??= hashPassword(TEST_PASSWORD);
  const email = options.email ?? `user-${unique()}@example.gov.uk`;
  const totpSecret = options.withTotp === false ? null : newTotpSecret();
  const row = await db
    .insertInto('app_user')
    .values({ agency_id: agencyId, email, display_name: `Test ${roles.join(' ')}`, roles, password_hash: await passwordHash, totp_secret: totpSecret })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, email, agencyId, roles, totpSecret };
}

/**
 * A browser-like client for Fastify's inject: keeps cookies, and sends the
 * CSRF token from the last page it was shown.
 */
export class Client {
  cookies = new Map<string, string>();
  csrf: string | undefined;
  constructor(readonly app: FastifyInstance) {}

  private cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private remember(res: LightMyRequestResponse) {
    for (const c of res.cookies as { name: string; value: string; maxAge?: number; expires?: Date }[]) {
      if (c.value === '' || (c.expires && c.expires.getTime() < Date.now())) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    const match = /name="_csrf" value="([^"]+)"/.exec(res.body);
    if (match) this.csrf = match[1];
    return res;
  }

  async get(url: string, headers: Record<string, string> = {}) {
    return this.remember(await this.app.inject({ method: 'GET', url, headers: { cookie: this.cookieHeader(), ...headers } }));
  }

  /** Posts a form; fetches a page first if no CSRF token has been seen yet. */
  async post(url: string, form: Record<string, string | string[]>, options: { csrf?: boolean } = {}) {
    if (options.csrf !== false && !this.csrf) {
      // Signed in, any page's sign-out form carries a token; signed out, the sign-in form does.
      await this.get('/accessibility');
      if (!this.csrf) await this.get('/sign-in');
    }
    const body = new URLSearchParams();
    for (const [key, value] of Object.entries(form)) for (const v of [value].flat()) body.append(key, v);
    if (options.csrf !== false && this.csrf) body.append('_csrf', this.csrf);
    return this.remember(
      await this.app.inject({ method: 'POST', url, payload: body.toString(), headers: { cookie: this.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' } }),
    );
  }

  /** Posts a form with one file, as a browser sends an upload (multipart/form-data). */
  async upload(url: string, form: Record<string, string>, file: { field: string; filename: string; type: string; content: Buffer }) {
    if (!this.csrf) await this.get('/accessibility');
    const boundary = `----reachable${crypto.randomUUID()}`;
    const part = (headers: string, content: Buffer | string) => Buffer.concat([Buffer.from(`--${boundary}\r\n${headers}\r\n\r\n`), Buffer.from(content), Buffer.from('\r\n')]);
    const fields = Object.entries({ ...form, _csrf: this.csrf ?? '' }).map(([k, v]) => part(`Content-Disposition: form-data; name="${k}"`, v));
    const payload = Buffer.concat([...fields, part(`Content-Disposition: form-data; name="${file.field}"; filename="${file.filename}"\r\nContent-Type: ${file.type}`, file.content), Buffer.from(`--${boundary}--\r\n`)]);
    return this.remember(await this.app.inject({ method: 'POST', url, payload, headers: { cookie: this.cookieHeader(), 'content-type': `multipart/form-data; boundary=${boundary}` } }));
  }
}

/** A POST as the page would send it: its form's hidden fields (the version it read among them) and current values, with what the user enters. */
export async function submit(client: Client, page: string, action: string, fill: Record<string, string | string[]> = {}) {
  const shown = await client.get(page);
  const form = formFields(shown.body, action);
  if (!form) throw new Error(`No form posting to ${action} on ${page} (status ${shown.statusCode})`);
  const { _csrf, ...fields } = form;
  return client.post(action, { ...fields, ...fill });
}

/** A client already signed in as the user (a session row made directly; the sign-in flow has its own tests). */
export async function signedIn(t: TestApp, user: { id: string }): Promise<Client> {
  const client = new Client(t.app);
  const token = newToken();
  await t.db.insertInto('session').values({ token_hash: sha256(token), user_id: user.id, stage: 'active' }).execute();
  client.cookies.set('reachable-session', token);
  return client;
}

export async function auditCount(db: Kysely<DB>, where: { action?: string; recordId?: string } = {}): Promise<number> {
  let query = db.selectFrom('audit_event').select((eb) => eb.fn.countAll<number>().as('n'));
  if (where.action) query = query.where('action', '=', where.action);
  if (where.recordId) query = query.where('record_id', '=', where.recordId);
  return Number((await query.executeTakeFirstOrThrow()).n);
}

/** A GOV.UK date input and time field's values for an instant, in UK time. */
export function formTime(d: Date, name: string): Record<string, string> {
  const f = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', year: 'numeric', month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  const p = Object.fromEntries(f.formatToParts(d).map((x) => [x.type, x.value]));
  return { [`${name}-day`]: p.day, [`${name}-month`]: p.month, [`${name}-year`]: p.year, [`${name}-time`]: `${p.hour}:${p.minute}` };
}

/**
 * An incident recorded by a new police agency, shared with the coordinating
 * agency, with one young victim: answers the urgent response it opened.
 */
export async function newResponse(t: TestApp, councilId: string, given: string, options: { family?: string; form?: Record<string, string | string[]> } = {}) {
  const police = await makeAgency(t.db, { kind: 'police' });
  const officer = await signedIn(t, await makeUser(t.db, police.id, ['police']));
  const res = await officer.post('/incidents', incidentForm({ sourceAgencyId: police.id, shareWith: [councilId], ...options.form }));
  const incidentId = (res.headers.location as string).split('/').pop()!;
  await officer.post(`/incidents/${incidentId}/people`, { confirmNew: 'yes', role: 'victim', givenName: given, familyName: options.family ?? 'Tester', 'dateOfBirth-day': '1', 'dateOfBirth-month': '1', 'dateOfBirth-year': String(new Date().getFullYear() - 15), sex: 'male', ethnicity: 'not_stated' });
  const row = await t.db.selectFrom('urgent_response').innerJoin('person', 'person.id', 'urgent_response.person_id').select(['urgent_response.id', 'person.id as personId']).where('person.given_name', '=', given).where('urgent_response.status', '=', 'open').executeTakeFirstOrThrow();
  return { id: row.id, personId: row.personId, incidentId, police, officer };
}

/** The form fields of a valid incident, occurring a day before `now`. */
export function incidentForm(overrides: Record<string, string | string[]> = {}, now = new Date()) {
  const occurred = new Date(now.getTime() - 26 * 3_600_000);
  const notified = new Date(now.getTime() - 25 * 3_600_000);
  const parts = formTime;
  return {
    type: 'knife_injury',
    ...parts(occurred, 'occurredAt'),
    ...parts(notified, 'notifiedAt'),
    weapon: 'knife',
    placeDescription: 'Outside Walthamstow Central station',
    latitude: '51.5830',
    longitude: '-0.0199',
    sourceReference: 'CAD 1234/21NOV',
    narrative: 'A 16-year-old was stabbed in the leg outside the station.',
    submissionKey: crypto.randomUUID(),
    ...overrides,
  } as Record<string, string | string[]>;
}

/** The version a form would carry for this record now (as the page that shows it would put in its hidden field). */
export async function versionOf(db: Kysely<DB>, table: 'urgent_response' | 'action', id: string): Promise<string> {
  return String((await db.selectFrom(table).select('version').where('id', '=', id).executeTakeFirstOrThrow()).version);
}
