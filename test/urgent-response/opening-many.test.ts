// The opening rule applied to many incidents at once (openForIncidents): the
// demo's year and a partner's batch take it, so it must answer exactly as one
// incident at a time would, in the order the incidents were notified.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeAgency, testApp, type TestApp } from '../support/app.ts';
import { openForIncidents } from '../../src/modules/urgent-response/queries.ts';

let t: TestApp;
let police: { id: string };
let council: { id: string };
const HOUR = 3_600_000;
const at = new Date('2026-06-15T20:00:00Z');

beforeAll(async () => {
  t = await testApp();
  police = await makeAgency(t.db, { kind: 'police' });
  council = await makeAgency(t.db, { kind: 'council', receivesIncidents: true });
});
afterAll(() => t.close());

let n = 0;
async function incident(hoursAfter: number, people: { id: string; role: string }[]) {
  const occurred = new Date(at.getTime() + hoursAfter * HOUR);
  const { id } = await t.db
    .insertInto('incident')
    .values({ reference: `INC-M${++n}`, agency_id: police.id, source_agency_id: police.id, occurred_at: occurred, notified_at: new Date(occurred.getTime() + HOUR), type_code: 'knife_injury', weapon: 'knife', place_description: 'Hoe Street' })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (people.length) await t.db.insertInto('involvement').values(people.map((p) => ({ incident_id: id, person_id: p.id, role: p.role }))).execute();
  return id;
}

async function person(given: string, dateOfBirth: string) {
  return t.db.insertInto('person').values({ agency_id: police.id, given_name: given, family_name: 'Manytest', date_of_birth: dateOfBirth, sex: 'male', ethnicity: 'not_stated' }).returning('id').executeTakeFirstOrThrow();
}

describe('opening urgent responses for many incidents at once', () => {
  it('opens from a person’s first incident, links the later ones, links to one already open, and keeps the age edge', async () => {
    const twice = await person('Ada', '2010-03-01');
    const alreadyOpen = await person('Bo', '2011-05-05');
    // London date of the incidents is 15 June 2026: 25 that day is not under 25; 25 the day after still is.
    const turns25Today = await person('Cy', '2001-06-15');
    const turns25Tomorrow = await person('Di', '2001-06-16');
    const witness = await person('Ed', '2012-01-01');
    const earlier = await incident(0, [{ id: alreadyOpen.id, role: 'victim' }]);
    const [open] = await t.db.transaction().execute((trx) => openForIncidents(trx, [earlier], { userId: null }));
    expect(open.opened).toBe(true);

    const later = await incident(3, [{ id: twice.id, role: 'suspect' }]);
    const first = await incident(1, [{ id: twice.id, role: 'victim' }, { id: alreadyOpen.id, role: 'associate' }, { id: turns25Today.id, role: 'victim' }, { id: turns25Tomorrow.id, role: 'victim' }, { id: witness.id, role: 'witness' }]);
    // Given out of order: notified order decides which incident opens.
    const results = await t.db.transaction().execute((trx) => openForIncidents(trx, [later, first], { userId: null }));
    const said = results.map((r) => `${r.incidentId === first ? 'first' : 'later'} ${r.personId === twice.id ? 'Ada' : r.personId === alreadyOpen.id ? 'Bo' : r.personId === turns25Tomorrow.id ? 'Di' : 'other'} ${r.opened ? 'opened' : 'linked'}`);
    expect(said.sort()).toEqual(['first Ada opened', 'first Bo linked', 'first Di opened', 'later Ada linked']);

    const ada = await t.db.selectFrom('urgent_response').select(['id', 'notified_at', 'agency_id']).where('person_id', '=', twice.id).execute();
    expect(ada).toHaveLength(1);
    const firstNotified = await t.db.selectFrom('incident').select('notified_at').where('id', '=', first).executeTakeFirstOrThrow();
    expect(new Date(ada[0].notified_at).toISOString()).toBe(new Date(firstNotified.notified_at).toISOString());
    // Run by the coordinating agency, which is then told of both incidents.
    expect(ada[0].agency_id).toBe(council.id);
    const shares = await t.db.selectFrom('incident_share').select('incident_id').where('agency_id', '=', council.id).where('incident_id', 'in', [first, later]).execute();
    expect(shares).toHaveLength(2);
    const links = await t.db.selectFrom('urgent_response_incident').select('incident_id').where('urgent_response_id', '=', ada[0].id).execute();
    expect(links.map((l) => l.incident_id).sort()).toEqual([first, later].sort());
    expect(await t.db.selectFrom('urgent_response').select('id').where('person_id', '=', alreadyOpen.id).execute()).toHaveLength(1);

    // Again: nothing new opens, every link is already there.
    const again = await t.db.transaction().execute((trx) => openForIncidents(trx, [first, later], { userId: null }));
    expect(again.every((r) => !r.opened)).toBe(true);
    expect(await t.db.selectFrom('urgent_response_incident').select('incident_id').where('incident_id', 'in', [first, later]).execute()).toHaveLength(4);
  });
});
