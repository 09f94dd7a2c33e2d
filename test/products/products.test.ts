// Intelligence products end to end (issue 25), on the demo partnership: an
// analyst builds the month's problem profile for Waltham Forest from its
// template, leaves a section out, moves one, adds an assessment (refused
// field by field first, then a stale save refused with the words kept) and
// generates it; who may open it and how people appear is decided on
// opening; a board member opens the board pack and finds no names and small
// counts hidden; the gangs intelligence meeting gets its pack the working
// day before, and not two working days before; the PDF's text has the
// sections and, for the board pack, no names (pdftotext, once).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../src/modules/demo/seed.ts';
import { changeSections, schedulePacks, generate } from '../../src/modules/products/operations.ts';
import { londonToday } from '../../src/platform/time.ts';
import { addWorkingDays, isWorkingDay } from '../../src/platform/workingDays.ts';
import { londonToUtc } from '../../src/platform/time.ts';
import { addMonths } from '../../src/modules/figures/figures.ts';
import { engine, makeAgency, makeUser, signedIn, submit, testApp, testDatabase, type Client, type TestApp } from '../support/app.ts';
import type { Database } from '../../src/db/database.ts';

let database: Database;
let t: TestApp;
let analyst: Client;
let board: Client;
let coordinator: Client;
let outsider: Client;
let councilId: string;
const MONTH = addMonths(londonToday().slice(0, 7), -1);
let names: string[];

async function demoUser(local: string) {
  const user = await t.db.selectFrom('app_user').select(['id', 'agency_id']).where('email', 'like', `${local}@%`).executeTakeFirstOrThrow();
  return user;
}

/** The product's generation runs in the background: wait for it as the page's "see whether it is ready" would. */
async function ready(id: string) {
  for (let i = 0; i < 600; i++) {
    const p = await t.db.selectFrom('product').select(['state', 'failure']).where('id', '=', id).executeTakeFirstOrThrow();
    if (p.state === 'generated') return;
    if (p.failure) throw new Error(p.failure);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('The product was not made in a minute');
}

/** The product's PDF as the reader downloads it, as text (poppler's pdftotext). */
async function pdfText(reader: Client, id: string): Promise<string> {
  const res = await reader.get(`/products/${id}/product.pdf`);
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toBe('application/pdf');
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'reachable-pdf-')), 'product.pdf');
  fs.writeFileSync(file, res.rawPayload);
  const text = spawnSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  if (text.status !== 0) throw new Error(text.stderr);
  return text.stdout;
}

beforeAll(async () => {
  database = await testDatabase();
  await seedDemo(database.db, { scale: 'borough', seed: 11, people: 400, incidents: 1500 });
  t = await testApp({}, database);
  const a = await demoUser('analyst');
  councilId = a.agency_id;
  analyst = await signedIn(t, a);
  board = await signedIn(t, await demoUser('board'));
  coordinator = await signedIn(t, await demoUser('coordinator'));
  outsider = await signedIn(t, await makeUser(t.db, (await makeAgency(t.db, { name: 'Elsewhere Police', kind: 'police' })).id, ['police']));
  names = (await t.db.selectFrom('person').select(['given_name', 'family_name']).execute()).map((p) => `${p.given_name} ${p.family_name}`);
}, 180_000);
afterAll(async () => {
  await t.close();
  await database.close();
});

describe('the monthly problem profile', () => {
  let id: string;

  it('is refused without a product or a month, field by field, and nothing is made', async () => {
    const res = await analyst.post('/products', { month: '2026-13', audience: 'restricted' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Select which product to make');
    expect(res.body).toContain('govuk-error-summary');
    expect(await t.db.selectFrom('product').select('id').execute()).toHaveLength(0);
    expect((await board.post('/products', { kind: 'board_pack', month: MONTH, audience: 'partnership' })).statusCode).toBe(403);
    // Both edges of the period: this month may be chosen, next month may not.
    const next = await analyst.post('/products', { kind: 'problem_profile', month: addMonths(londonToday().slice(0, 7), 1), audience: 'restricted' });
    expect(next.statusCode).toBe(400);
    expect(next.body).toContain('The last month must be this month or before it');
    expect(await t.db.selectFrom('product').select('id').execute()).toHaveLength(0);
    const thisMonth = await analyst.post('/products', { kind: 'problem_profile', month: londonToday().slice(0, 7), audience: 'restricted' });
    expect(thisMonth.statusCode).toBe(303);
    await t.db.deleteFrom('product').execute();
  });

  it('is made for Waltham Forest from its template', async () => {
    const res = await analyst.post('/products', { kind: 'problem_profile', month: MONTH, audience: 'restricted', boroughs: 'Waltham Forest' });
    expect(res.statusCode).toBe(303);
    id = res.headers.location!.split('/').pop()!;
    const page = await analyst.get(`/products/${id}`);
    expect(page.body).toContain('The product has been made from its template');
    for (const heading of ['What changed since the period before', 'Hot spots', 'Hot times', 'Near repeats', 'Groups active in the period', 'The 48-hour urgent response']) expect(page.body).toContain(heading);
  });

  it('leaves a section out, moves one and adds an assessment, refusing a bad one field by field', async () => {
    const sections = async () => (await t.db.selectFrom('product').select('sections').where('id', '=', id).executeTakeFirstOrThrow()).sections as { id: string; kind: string; title?: string }[];
    const before = await sections();
    const orders = before.find((s) => s.kind === 'orders')!;
    // Another agency's analyst or police officer neither sees the draft nor changes it: it answers as missing.
    const version0 = String((await t.db.selectFrom('product').select('version').where('id', '=', id).executeTakeFirstOrThrow()).version);
    expect((await outsider.get(`/products/${id}`)).statusCode).toBe(404);
    expect((await outsider.post(`/products/${id}/sections`, { version: version0, change: 'remove', sectionId: orders.id })).statusCode).toBe(404);
    expect((await outsider.post(`/products/${id}/generate`, { version: version0 })).statusCode).toBe(404);
    expect(await sections()).toEqual(before);
    expect((await submit(analyst, `/products/${id}`, `/products/${id}/sections`, { change: 'remove', sectionId: orders.id })).statusCode).toBe(303);
    const groups = (await sections()).find((s) => s.kind === 'groups')!;
    const groupsAt = (await sections()).findIndex((s) => s.id === groups.id);
    // The page's first section form is the Move up/down/remove of the first row: post the groups' own move with the version the page carries.
    const version = String((await t.db.selectFrom('product').select('version').where('id', '=', id).executeTakeFirstOrThrow()).version);
    expect((await analyst.post(`/products/${id}/sections`, { version, change: 'up', sectionId: groups.id })).statusCode).toBe(303);
    expect((await sections()).findIndex((s) => s.id === groups.id)).toBe(groupsAt - 1);
    expect((await sections()).some((s) => s.kind === 'orders')).toBe(false);

    const bad = await analyst.post(`/products/${id}/sections`, { version: String(Number(version) + 1), change: 'assess', title: '', text: 'Words' });
    expect(bad.statusCode).toBe(400);
    for (const message of ['Enter a heading for the assessment', 'Select how reliable the source is', 'Select how the source knows it', 'Select a handling code']) expect(bad.body).toContain(message);
    expect(bad.body).toContain('Words');
    const count = (await sections()).length;
    // A stale version: refused with who changed it, the words kept, nothing added.
    const stale = await analyst.post(`/products/${id}/sections`, { version, change: 'assess', title: 'Analyst’s view', text: 'Rivalry between two groups drives the rise near the station.', sourceEvaluation: '2', intelligenceAssessment: 'B', handlingCode: 'P' });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('Your changes were not saved');
    expect(stale.body).toContain('Rivalry between two groups drives the rise near the station.');
    expect(await sections()).toHaveLength(count);
    const ok = await submit(analyst, `/products/${id}`, `/products/${id}/sections`, { change: 'assess', title: 'Analyst’s view', text: 'Rivalry between two groups drives the rise near the station.', sourceEvaluation: '2', intelligenceAssessment: 'B', handlingCode: 'P' });
    expect(ok.statusCode).toBe(303);
    expect((await sections()).at(-1)).toMatchObject({ kind: 'assessment', title: 'Analyst’s view' });
    // The operation itself refuses a section from a page the maker's role does not open (here the Networks page for a board member's role).
    const refused = await t.db.transaction().execute((trx) => changeSections(trx, { roles: ['board_member'] }, id, null, { add: { kind: 'groups' } }));
    expect(refused).toEqual({ refused: { kind: expect.stringContaining('Your role does not open the page') } });
    expect(await sections()).toHaveLength(count + 1);
  });

  it('is generated in the background with its progress shown, then kept as made', async () => {
    const res = await submit(analyst, `/products/${id}`, `/products/${id}/generate`);
    expect(res.statusCode).toBe(303);
    const during = await analyst.get(`/products/${id}`);
    expect(during.body).toMatch(/Being made: \d+ of \d+ sections done|How this is worked out/);
    await ready(id);
    const page = await analyst.get(`/products/${id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Contents');
    expect(page.body).toContain('How this is worked out');
    expect(page.body).toContain('2: untested; B: known indirectly to the source but corroborated; P: lawful sharing permitted');
    expect(page.body).toContain('Police recorded crime (police.uk)');
    expect(page.body).toMatch(/Last imported \d{4}-\d{2}-\d{2}/);
    expect(page.body).toContain('<svg class="reachable-chart reachable-map"');
    // Kept as made: its sections no longer change, and generating again is refused.
    const version = String((await t.db.selectFrom('product').select('version').where('id', '=', id).executeTakeFirstOrThrow()).version);
    const again = await analyst.post(`/products/${id}/sections`, { version, change: 'remove', sectionId: 'x' });
    expect(again.statusCode).toBe(400);
    expect((await analyst.post(`/products/${id}/generate`, { version })).statusCode).toBe(409);
  });

  it('names people only for roles that see names, pseudonymises them for the analyst, and answers as missing to another agency', async () => {
    const content = (await t.db.selectFrom('product').select('content').where('id', '=', id).executeTakeFirstOrThrow()).content as { sections: { kind: string; built: { tables: { rows: unknown[][] }[] } }[] };
    const people = content.sections.find((s) => s.kind === 'groups')!.built.tables[1].rows.map((r) => r[1] as { name: string });
    expect(people.length).toBeGreaterThan(0);
    const asAnalyst = (await analyst.get(`/products/${id}`)).body;
    const asCoordinator = (await coordinator.get(`/products/${id}`)).body;
    expect(asAnalyst).toMatch(/Person [0-9A-F]{6}/);
    for (const p of people) {
      expect(asAnalyst).not.toContain(p.name);
      expect(asCoordinator).toContain(p.name);
    }
    const missing = await outsider.get(`/products/${id}`);
    const nothing = await outsider.get('/products/00000000-0000-0000-0000-000000000000');
    expect(missing.statusCode).toBe(404);
    const normalise = (body: string) => body.replace(/nonce="[^"]+"/g, '').replace(/name="_csrf" value="[^"]+"/g, '');
    expect(normalise(missing.body)).toBe(normalise(nothing.body));
    expect((await outsider.get('/products')).body).not.toContain(id);
    const audit = await t.db.selectFrom('audit_event').select(['action', 'detail']).where('record_id', '=', id).execute();
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['product.make', 'product.sections', 'product.generate', 'product.view']));
  });

  it('withholds from a reader the sections drawn from pages their role cannot open', async () => {
    const page = (await board.get(`/products/${id}`)).body;
    expect(page).toContain('Withheld: your role does not open the Networks page this section is drawn from.');
    expect(page).toContain('Withheld: your role does not open the Hot spots page this section is drawn from.');
    expect(page).not.toMatch(/Person [0-9A-F]{6}/);
    // The urgent response figures are the board's own.
    expect(page).toContain('Urgent responses by month, and the share that met each clock');
  });

  it.runIf(engine === 'pglite' && fs.existsSync('/usr/bin/chromium'))('prints the analyst’s PDF with people pseudonymised, none named (pdftotext)', async () => {
    const text = await pdfText(analyst, id);
    for (const heading of ['Contents', 'What changed since the period before', 'Groups active in the period', 'Analyst’s view', 'How this is worked out']) expect(text).toContain(heading);
    expect(text).toMatch(/Person [0-9A-F]{6}/);
    for (const name of names) expect(text).not.toContain(name);
  });

  it('gives every table as CSV', async () => {
    const csv = await coordinator.get(`/products/${id}/tables.csv`);
    expect(csv.statusCode).toBe(200);
    expect(csv.body.split('\r\n')[0]).toBe('section,table,row,column,value');
    expect(csv.body).toContain('Hot spots,Events by borough,Waltham Forest,Events,');
  });
});

describe('the board pack', () => {
  let id: string;
  it('is opened by a board member with no names and small counts hidden', async () => {
    const res = await analyst.post('/products', { kind: 'board_pack', month: MONTH, audience: 'partnership' });
    id = res.headers.location!.split('/').pop()!;
    await submit(analyst, `/products/${id}`, `/products/${id}/generate`);
    await ready(id);
    const page = await board.get(`/products/${id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('nobody is named');
    expect(page.body).toContain('hidden');
    for (const name of names) expect(page.body).not.toContain(name);
    const stored = JSON.stringify((await t.db.selectFrom('product').select('content').where('id', '=', id).executeTakeFirstOrThrow()).content);
    expect(stored).not.toContain('"person":');
    expect((await board.get('/products')).body).toContain(id);
  });

  it.runIf(engine === 'pglite' && fs.existsSync('/usr/bin/chromium'))('prints to a PDF whose text has every section and no name (pdftotext)', async () => {
    const text = await pdfText(board, id);
    for (const heading of ['Contents', 'The 48-hour urgent response', 'Indicators against target', 'Hot spots', 'Disproportionality: Knife-injury victims', 'Critical incidents', 'How this is worked out']) expect(text).toContain(heading);
    for (const name of names) expect(text).not.toContain(name);
  });
});

describe('the gangs intelligence meeting’s pack', () => {
  it('is made the working day before the meeting, not two working days before, and attached to its agenda', async () => {
    const today = londonToday();
    const at = (day: string) => londonToUtc({ year: Number(day.slice(0, 4)), month: Number(day.slice(5, 7)), day: Number(day.slice(8, 10)), hour: 10, minute: 0 })!;
    const chairUser = await demoUser('chair');
    const plan = async (day: string) =>
      (await t.db.insertInto('meeting').values({ type_code: 'gangs_intelligence', agency_id: chairUser.agency_id, starts_at: at(day), agenda_built_at: new Date() }).returning('id').executeTakeFirstOrThrow()).id;
    const next = addWorkingDays(today, 1);
    const later = addWorkingDays(today, 2);
    expect(isWorkingDay(next)).toBe(true);
    const tomorrow = await plan(next);
    const dayAfter = await plan(later);
    // The demo's own intelligence meeting (also the next working day) gets its pack too.
    const made = await schedulePacks(t.db);
    expect(made).toHaveLength(2);
    expect(await schedulePacks(t.db)).toHaveLength(0);
    const pack = await t.db.selectFrom('product').selectAll().where('meeting_id', '=', tomorrow).executeTakeFirstOrThrow();
    expect(pack.kind).toBe('intelligence_pack');
    expect(await t.db.selectFrom('product').select('id').where('meeting_id', '=', dayAfter).executeTakeFirst()).toBeUndefined();
    await generate(t.db, pack.id);
    await ready(pack.id);
    const chair = await signedIn(t, chairUser);
    const meeting = await chair.get(`/meetings/${tomorrow}`);
    expect(meeting.body).toContain('Intelligence pack');
    expect(meeting.body).toContain(`/products/${pack.id}`);
    expect(pack.agency_ids).toContain(chairUser.agency_id);
    // Another agency's chair, not among those it is for, does not see it on the agenda (nor open it).
    expect((await outsider.get(`/products/${pack.id}`)).statusCode).toBe(404);
  });
});
