// Every change confirms itself (issue 22): after a form saves, the page it
// leads to says what happened in a GOV.UK success banner, once; a refused
// form and a search say nothing of the kind; nothing goes in the address.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { incidentForm, makeAgency, makeUser, signedIn, testApp, type Client, type TestApp } from './support/app.ts';

let t: TestApp;
let officer: Client;
let policeId: string;
beforeAll(async () => {
  t = await testApp();
  const council = await makeAgency(t.db, { kind: 'council', receivesIncidents: true });
  policeId = (await makeAgency(t.db, { kind: 'police' })).id;
  officer = await signedIn(t, await makeUser(t.db, policeId, ['police']));
  void council;
});
afterAll(() => t.close());

const banner = (html: string) => html.match(/<div class="govuk-notification-banner govuk-notification-banner--success"[\s\S]*?<p class="govuk-notification-banner__heading">([^<]+)<\/p>/)?.[1] ?? null;

describe('a change confirms itself', () => {
  it('recording an incident, then adding a person: each page says what was done, once', async () => {
    const recorded = await officer.post('/incidents', incidentForm({ sourceAgencyId: policeId }));
    expect(recorded.statusCode).toBe(303);
    const location = recorded.headers.location as string;
    expect(location).toMatch(/^\/incidents\/[0-9a-f-]+$/);
    const shown = await officer.get(location);
    expect(banner(shown.body)).toBe('The incident has been recorded');
    // Once only: a reload does not say it again.
    expect(banner((await officer.get(location)).body)).toBeNull();

    const added = await officer.post(`${location}/people`, { confirmNew: 'yes', role: 'witness', givenName: 'Ola', familyName: 'Banner', 'dateOfBirth-day': '1', 'dateOfBirth-month': '1', 'dateOfBirth-year': '1990', sex: 'female', ethnicity: 'not_stated' });
    expect(added.statusCode).toBe(303);
    expect(banner((await officer.get(added.headers.location as string)).body)).toBe('The person has been added to the incident');
  });

  it('a refused form and a search confirm nothing', async () => {
    const refused = await officer.post('/incidents', incidentForm({ sourceAgencyId: policeId, type: '' }));
    expect(refused.statusCode).toBe(400);
    expect(banner(refused.body)).toBeNull();
    expect(banner((await officer.get('/incidents')).body)).toBeNull();
    const ref = await t.db.selectFrom('incident').select('reference').executeTakeFirstOrThrow();
    const found = await officer.post('/search', { q: ref.reference });
    expect(found.statusCode).toBe(303);
    expect(banner((await officer.get(found.headers.location as string)).body)).toBeNull();
  });
});
