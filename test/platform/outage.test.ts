// When PostgreSQL goes away, Reachable stays up (issue 24): the server ends
// every connection, and Reachable answers the next request on a new one; the
// database refuses connections for a while, and Reachable answers 503 with
// Retry-After and words (a page, the API, /health), saving nothing; the
// database comes back, and everything acknowledged before is there.
// PostgreSQL only: the embedded database cannot go away on its own.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { sql } from 'kysely';
import { createApiClient } from '../../src/modules/access/accounts.ts';
import { engine, incidentForm, makeAgency, makeUser, signedIn, testApp, type Client, type TestApp } from '../support/app.ts';

describe.skipIf(engine !== 'postgresql')('when PostgreSQL goes away', () => {
  let t: TestApp;
  let officer: Client;
  let police: { id: string };
  let secret: string;
  let name: string;
  const admin = () => new pg.Client({ connectionString: process.env.REACHABLE_TEST_POSTGRES_URL });
  const asAdmin = async (query: string) => {
    const client = admin();
    await client.connect();
    try {
      await client.query(query);
    } finally {
      await client.end();
    }
  };
  const terminate = () => asAdmin(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${name}' AND pid <> pg_backend_pid()`);

  beforeAll(async () => {
    t = await testApp();
    police = await makeAgency(t.db, { kind: 'police' });
    officer = await signedIn(t, await makeUser(t.db, police.id, ['police']));
    secret = (await createApiClient(t.db, { agencyId: police.id, name: 'custody system', role: 'police', createdBy: null })).secret;
    name = (await sql<{ name: string }>`SELECT current_database() AS name`.execute(t.db)).rows[0].name;
  });
  afterAll(async () => {
    await asAdmin(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`).catch(() => {});
    await t?.close();
  });

  it('answers on a new connection after the server ended every one (no crash from the pool)', async () => {
    const saved = await officer.post('/incidents', incidentForm({ sourceAgencyId: police.id, sourceReference: 'CAD 0001/OUTAGE' }));
    expect(saved.statusCode).toBe(303);
    // The pool's idle connections are ended by the server: without a listener, node-postgres's 'error' event ends the process.
    await terminate();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const list = await officer.get('/incidents');
    expect(list.statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/health' })).json()).toMatchObject({ status: 'ok' });
  });

  it('says it is unavailable while the database refuses connections, saves nothing, and carries on when it is back', async () => {
    await asAdmin(`ALTER DATABASE ${name} ALLOW_CONNECTIONS false`);
    await terminate();
    await new Promise((resolve) => setTimeout(resolve, 300));
    try {
      const page = await officer.get('/incidents');
      expect(page.statusCode).toBe(503);
      expect(page.headers['retry-after']).toBe('30');
      expect(page.body).toContain('Sorry, Reachable is unavailable for a moment');
      expect(page.body).toContain('If you were saving something, it was not saved');
      const form = await officer.post('/incidents', incidentForm({ sourceAgencyId: police.id, sourceReference: 'CAD 0002/OUTAGE' }));
      expect(form.statusCode).toBe(503);
      const api = await t.app.inject({ method: 'GET', url: '/api/v1/people?name=Ayo', headers: { authorization: `Bearer ${secret}` } });
      expect(api.statusCode).toBe(503);
      expect(api.headers['retry-after']).toBe('30');
      expect(api.json()).toMatchObject({ error: 'unavailable' });
      const health = await t.app.inject({ method: 'GET', url: '/health' });
      expect(health.statusCode).toBe(503);
      expect(health.json()).toMatchObject({ status: 'unavailable' });
    } finally {
      await asAdmin(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`);
    }
    const back = await officer.get('/incidents');
    expect(back.statusCode).toBe(200);
    const references = (await t.db.selectFrom('incident').select('source_reference').execute()).map((r) => r.source_reference);
    expect(references).toContain('CAD 0001/OUTAGE');
    expect(references).not.toContain('CAD 0002/OUTAGE');
  });
});
