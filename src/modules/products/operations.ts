// What the products domain does, for every door (the pages, the sweep that
// makes the intelligence meeting's pack): make a draft from a template,
// change its sections, generate it in the background, and decide who may
// open it. A generated product is kept as it was made: nothing here makes
// it again.
import { setImmediate as yieldToOthers } from 'node:timers/promises';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { recordAudit, type Actor } from '../../platform/audit.ts';
import { can } from '../../platform/permissions.ts';
import { claimVersion } from '../../platform/versions.ts';
import { londonParts, londonToday } from '../../platform/time.ts';
import { addWorkingDays } from '../../platform/workingDays.ts';
import { boroughsOnGrid, type GridBorough } from '../../analysis/geography.ts';
import { SUBJECTS } from '../disproportionality/queries.ts';
import { addMonths, monthLabel } from '../figures/figures.ts';
import { SOURCE_CODES, SOURCES, type Source } from '../hotspots/events.ts';
import { PRODUCT_KINDS, SECTION_PAGES, sectionId, sectionOpen, sectionTitle, templateSections, type Audience, type ProductKindCode, type Section } from './kinds.ts';
import { buildSection, withheld, type Built, type Scope } from './sections.ts';

export type Refusal = { refused: Record<string, string> };

export interface ProductInput {
  kind: ProductKindCode;
  /** The period's last month, YYYY-MM. */
  month: string;
  boroughs: string[];
  audience: Audience;
  agencyIds: string[];
  meetingId?: string;
}

export const periodOf = (kind: ProductKindCode, month: string) => ({ from: addMonths(month, 1 - PRODUCT_KINDS[kind].months), to: month });

export function periodWords(from: string, to: string): string {
  return from === to ? monthLabel(from) : `${monthLabel(from)} to ${monthLabel(to)}`;
}

/** The study area: the boroughs chosen, or by default those the partnership's own incidents are in. */
export async function areaOf(db: Kysely<DB>, boroughs: string[]): Promise<GridBorough[]> {
  const names = boroughs.length ? boroughs : (await db.selectFrom('incident').select('borough_name').distinct().where('borough_name', 'is not', null).execute()).map((r) => r.borough_name!);
  const chosen = boroughsOnGrid().filter((b) => names.includes(b.name));
  return chosen.length ? chosen : boroughsOnGrid();
}

/** A draft made from its kind's template, for the actor's agency and those it names. */
export async function makeProduct(trx: Transaction<DB>, actor: Actor & { agencyId: string }, input: ProductInput): Promise<{ id: string } | Refusal> {
  const refused: Record<string, string> = {};
  const names = boroughsOnGrid().map((b) => b.name);
  if (input.boroughs.some((b) => !names.includes(b))) refused.boroughs = 'Select boroughs from the list';
  // A month still to come has nothing in it yet: this month is allowed (a pack made mid-month says so by its date).
  if (input.month > londonToday().slice(0, 7)) refused.month = 'The last month must be this month or before it';
  const known = input.agencyIds.length ? await trx.selectFrom('agency').select('id').where('id', 'in', input.agencyIds).execute() : [];
  if (known.length !== new Set(input.agencyIds).size) refused.agencyIds = 'Select agencies from the list';
  // A product for named agencies always includes the agency that makes it.
  const agencyIds = input.audience === 'restricted' ? [...new Set([actor.agencyId, ...input.agencyIds])] : [];
  if (Object.keys(refused).length) return { refused };
  const period = periodOf(input.kind, input.month);
  const title = `${PRODUCT_KINDS[input.kind].label}: ${periodWords(period.from, period.to)}${input.boroughs.length === 1 ? `, ${input.boroughs[0]}` : ''}`;
  const { id } = await trx
    .insertInto('product')
    .values({ kind: input.kind, title, period_from: `${period.from}-01`, period_to: `${period.to}-01`, boroughs: input.boroughs, audience: input.audience, agency_ids: agencyIds, sections: JSON.stringify(templateSections(input.kind)), agency_id: actor.agencyId, created_by: actor.userId ?? null, meeting_id: input.meetingId ?? null })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id };
}

export type SectionChange = { add: Omit<Section, 'id'> } | { move: string; by: -1 | 1 } | { remove: string };

/** A draft's sections changed, claiming the version the page read; a generated product's are refused (it is kept as made). */
export async function changeSections(trx: Transaction<DB>, maker: { roles: readonly string[] }, id: string, version: number | null, change: SectionChange): Promise<'changed' | Refusal> {
  const product = await trx.selectFrom('product').select(['state', 'sections', 'audience']).where('id', '=', id).executeTakeFirstOrThrow();
  if (product.state !== 'draft') return { refused: { sections: 'This product has been generated and is kept as it was made: make a new one to change it' } };
  // A maker adds only sections from pages their role opens (generation would withhold the rest anyway).
  if ('add' in change && !sectionOpen(maker.roles, change.add.kind, product.audience)) return { refused: { kind: 'Your role does not open the page this section comes from: select another section' } };
  await claimVersion(trx, 'product', id, version);
  const sections = [...(product.sections as Section[])];
  if ('add' in change) sections.push({ ...change.add, id: sectionId() });
  else {
    const at = sections.findIndex((s) => s.id === ('move' in change ? change.move : change.remove));
    if (at < 0) return { refused: { sections: 'That section is no longer in the product' } };
    if ('remove' in change) {
      if (sections.length === 1) return { refused: { sections: 'A product needs at least one section' } };
      sections.splice(at, 1);
    } else {
      const to = at + change.by;
      if (to < 0 || to >= sections.length) return { refused: { sections: 'That section cannot move further' } };
      [sections[at], sections[to]] = [sections[to], sections[at]];
    }
  }
  await trx.updateTable('product').set({ sections: JSON.stringify(sections) }).where('id', '=', id).execute();
  return 'changed';
}

/** What a generated product holds: each section as built, the sources it read with when each was last imported. */
export interface Content {
  madeAt: string;
  sections: { id: string; kind: Section['kind']; title: string; built: Built }[];
  sources: { source: Source; label: string; imported: string }[];
}

/** police.uk and ISTV come in by import: when each was last loaded, and from which file. */
async function sourceNotes(db: Kysely<DB>, used: Source[]): Promise<Content['sources']> {
  const imports = await db.selectFrom('import_run').select(['kind', 'file_name', 'imported_at']).orderBy('imported_at', 'desc').execute();
  return SOURCE_CODES.filter((s) => used.includes(s)).map((source) => {
    if (source === 'partnership') return { source, label: SOURCES[source], imported: 'Recorded in Reachable: read when the product was made' };
    const kind = source === 'police_street' ? 'police_street' : source;
    const last = imports.find((i) => i.kind === kind);
    return { source, label: SOURCES[source], imported: last ? `Last imported ${londonToday(new Date(last.imported_at))} (${last.file_name})` : 'Never imported: no events from it' };
  });
}

/** Products whose generation stopped beating (the process ended) are picked up again by the sweep. */
export const STALLED_AFTER_MS = 60_000;

/** Marks a draft as generating; the caller then runs `generate` without waiting. False when it is not a draft. */
export async function startGeneration(trx: Transaction<DB>, id: string, version: number | null): Promise<boolean> {
  const product = await trx.selectFrom('product').select(['state', 'sections']).where('id', '=', id).executeTakeFirstOrThrow();
  if (product.state !== 'draft') return false;
  await claimVersion(trx, 'product', id, version);
  await trx.updateTable('product').set({ state: 'generating', done: 0, total: (product.sections as Section[]).length, beat_at: new Date(), failure: null }).where('id', '=', id).execute();
  return true;
}

const running = new Map<string, Promise<void>>();

/** Builds every section in turn, recording progress after each; the content is kept and the product marked generated. */
export function generate(db: Kysely<DB>, id: string, onSection?: (kind: Section['kind'], ms: number) => void): Promise<void> {
  const existing = running.get(id);
  if (existing) return existing;
  const job = (async () => {
    const p = await db.selectFrom('product').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const sections = p.sections as Section[];
    const from = String(p.period_from).slice(0, 7);
    const to = String(p.period_to).slice(0, 7);
    const scope: Scope = { db, agencyId: p.agency_id, audience: p.audience, from, to, area: await areaOf(db, p.boroughs), now: new Date(), cache: new Map() };
    // Made by a user: only what their role may see on the pages. Made by the sweep (a meeting's pack): for the meeting's agencies.
    const maker = p.created_by ? await db.selectFrom('app_user').select('roles').where('id', '=', p.created_by).executeTakeFirst() : undefined;
    const built: Content['sections'] = [];
    try {
      for (const [i, s] of sections.entries()) {
        const t0 = performance.now();
        const open = !maker || sectionOpen(maker.roles, s.kind, p.audience);
        built.push({ id: s.id, kind: s.kind, title: sectionTitle(s, SUBJECTS), built: open ? await buildSection(scope, s) : withheld(SECTION_PAGES[s.kind].page, 'maker') });
        onSection?.(s.kind, performance.now() - t0);
        await db.updateTable('product').set({ done: i + 1, beat_at: new Date() }).where('id', '=', id).execute();
        await yieldToOthers();
      }
      const used = [...new Set(built.flatMap((b) => b.built.sources))];
      const content: Content = { madeAt: new Date().toISOString(), sections: built, sources: await sourceNotes(db, used) };
      await db.updateTable('product').set({ state: 'generated', content: JSON.stringify(content), generated_at: new Date(), beat_at: new Date() }).where('id', '=', id).where('state', '=', 'generating').execute();
    } catch (error) {
      // Back to a draft with the reason, so the analyst can try again; nothing half-made is kept.
      await db.updateTable('product').set({ state: 'draft', failure: String((error as Error).message).slice(0, 300) }).where('id', '=', id).execute();
      throw error;
    }
  })().finally(() => running.delete(id));
  running.set(id, job);
  return job;
}

/**
 * Waits for products being made here to finish, up to `ms`: the server
 * closing gives them a moment; any still going are taken up again by the
 * next sweep (their beat stops), so nothing half-made is kept.
 */
export async function settle(ms: number): Promise<void> {
  if (!running.size) return;
  await Promise.race([Promise.allSettled([...running.values()]), new Promise((resolve) => setTimeout(resolve, ms).unref())]);
}

/** Runs `generate` in the background: a failure is logged and left on the draft. */
export function generateInBackground(db: Kysely<DB>, id: string, log: (error: unknown) => void = (e) => console.error('Generating a product failed', e)): void {
  void generate(db, id).catch(log);
}

/**
 * Whether the reader's agency may open a product: a draft (or one being
 * made) only the agency making it; once made, partnership-wide ones anyone
 * may, the rest only the agencies named.
 */
export function mayOpen(reader: { agencyId: string }, product: { audience: Audience; agency_ids: string[]; agency_id: string; state: string }): boolean {
  if (product.state !== 'generated') return product.agency_id === reader.agencyId;
  return product.audience === 'partnership' || product.agency_ids.includes(reader.agencyId);
}

/** `mayOpen` as a condition on the product table, for lists: kept beside it so the two decide alike. */
export function openableBy(reader: { agencyId: string }) {
  return sql<boolean>`(product.agency_id = ${reader.agencyId} OR (product.state = 'generated' AND (product.audience = 'partnership' OR ${reader.agencyId}::uuid = ANY(product.agency_ids))))`;
}

/** The pack attached to a meeting's agenda, if the reader's agency may open it and has the right to products. */
export async function attachedPack(db: Kysely<DB>, meetingId: string, reader: { agencyId: string; roles: string[] }) {
  if (!can(reader.roles, 'product.read')) return undefined;
  const pack = await db.selectFrom('product').select(['id', 'title', 'state', 'generated_at', 'audience', 'agency_ids', 'agency_id']).where('meeting_id', '=', meetingId).executeTakeFirst();
  // A pack being made is shown as such to the agencies it is for: they will open it once it is made.
  return pack && (mayOpen(reader, pack) || pack.agency_ids.includes(reader.agencyId)) ? pack : undefined;
}

/** The meeting type whose meetings get the intelligence pack attached (the Gang Violence Strategy's monthly IGU Intelligence meeting). */
export const PACK_MEETING_TYPE = 'gangs_intelligence';

/**
 * The intelligence meeting's pack, made the working day before each planned
 * meeting of that type and attached to its agenda: the last whole month
 * before the meeting, for the agencies that attend. Safe to run twice: one
 * pack per meeting. Products left generating by a process that stopped are
 * taken up again.
 */
export async function schedulePacks(db: Kysely<DB>, now = new Date()): Promise<string[]> {
  const today = londonToday(now);
  const meetings = await db
    .selectFrom('meeting')
    .innerJoin('meeting_type as t', 't.code', 'meeting.type_code')
    .leftJoin('product', 'product.meeting_id', 'meeting.id')
    .select(['meeting.id', 'meeting.agency_id', 'meeting.starts_at', 't.chair_agency_id', 't.member_agency_ids'])
    .where('meeting.type_code', '=', PACK_MEETING_TYPE)
    .where('meeting.status', '=', 'planned')
    .where('meeting.starts_at', '>', now)
    .where('product.id', 'is', null)
    .execute();
  const made: string[] = [];
  for (const m of meetings) {
    const day = londonToday(new Date(m.starts_at));
    if (addWorkingDays(day, -1) > today) continue;
    const p = londonParts(new Date(m.starts_at));
    const month = addMonths(`${p.year}-${String(p.month).padStart(2, '0')}`, -1);
    const agencyIds = [...new Set([m.agency_id, ...(m.chair_agency_id ? [m.chair_agency_id] : []), ...m.member_agency_ids])];
    // A second sweep (or instance) that made this meeting's pack first wins: the meeting's one pack is unique.
    const id = await db
      .transaction()
      .execute(async (trx) => {
        const result = await makeProduct(trx, { agencyId: m.agency_id, userId: null }, { kind: 'intelligence_pack', month, boroughs: [], audience: 'restricted', agencyIds, meetingId: m.id });
        if ('refused' in result) return null;
        await trx.updateTable('product').set({ state: 'generating', total: sql`jsonb_array_length(sections)`, beat_at: new Date() }).where('id', '=', result.id).execute();
        await recordAudit(trx, { agencyId: m.agency_id }, { action: 'product.generate', recordType: 'product', recordId: result.id, detail: { kind: 'intelligence_pack', meeting: m.id, scheduled: true } });
        return result.id;
      })
      .catch((error: { code?: string }) => {
        if (error.code === '23505') return null;
        throw error;
      });
    if (id) made.push(id);
  }
  // Claimed by moving its beat on, so only one process takes a stalled product up.
  const stalled = await db.updateTable('product').set({ beat_at: new Date() }).where('state', '=', 'generating').where('beat_at', '<', new Date(now.getTime() - STALLED_AFTER_MS)).returning('id').execute();
  for (const id of [...made, ...stalled.map((s) => s.id).filter((s) => !running.has(s))]) generateInBackground(db, id);
  return made;
}

