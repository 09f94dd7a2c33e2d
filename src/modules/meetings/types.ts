// Meeting types as configuration (issue 23): an administrator makes a panel
// from the library of agenda rules, with each rule's parameters, the chair's
// agency, the member agencies, how often it meets and its quorum. The
// shipped types (DRM, exploitation and risk, extra-familial risk, gangs
// intelligence, case conference, community partnership) are changed the
// same way. Every door that makes or changes one calls saveMeetingType.
import type { Kysely, Transaction } from 'kysely';
import type { DB, RuleSettings } from '../../db/schema.ts';
import { FormErrors, choices, str, text, type Body } from '../../platform/forms.ts';
import { StaleVersion } from '../../platform/versions.ts';
import { AGENDA_RULES } from './agenda.ts';
import { readRuleSettings, ruleLabel, settingsOf } from './agendaRule.ts';

type Db = Kysely<DB> | Transaction<DB>;

export interface MeetingTypeInput {
  name: string;
  description: string;
  chairAgencyId: string | null;
  memberAgencyIds: string[];
  intervalDays: number;
  defaultTime: string;
  quorum: number;
  rules: string[];
  settings: RuleSettings;
}

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

/** The form, checked field by field; null with errors when anything is wrong. */
export function readMeetingType(body: Body, errors: FormErrors, known: { agencyIds: string[]; incidentTypes: string[] }): MeetingTypeInput | null {
  const name = text(body, 'name', errors, { label: 'Name', required: true, max: 120, missing: 'Enter the meeting’s name' });
  const description = text(body, 'description', errors, { label: 'Purpose', required: true, max: 1000, missing: 'Say what the meeting is for' });
  const chair = str(body, 'chairAgency');
  if (chair && !known.agencyIds.includes(chair)) errors.add('chairAgency', 'Select the chair’s agency from the list');
  const members = choices(body, 'members', errors, known.agencyIds, 'Select member agencies from the list');
  const interval = str(body, 'intervalDays');
  const intervalDays = Number(interval);
  if (!/^\d{1,3}$/.test(interval) || intervalDays < 1 || intervalDays > 366) errors.add('intervalDays', 'How often must be a whole number of days from 1 to 366');
  const defaultTime = str(body, 'defaultTime');
  if (!TIME.test(defaultTime)) errors.add('defaultTime', 'Usual start time must be a 24-hour time, like 09:30');
  const q = str(body, 'quorum') || '0';
  const quorum = Number(q);
  if (!/^\d{1,2}$/.test(q)) errors.add('quorum', 'Quorum must be a whole number of agencies, 0 for none');
  else if (members.length && quorum > members.length) errors.add('quorum', `Quorum cannot be more than the ${members.length} member agencies`);
  const rules = choices(body, 'rules', errors, Object.keys(AGENDA_RULES), 'Select agenda rules from the library');
  if (!rules.length && !errors.messages.rules) errors.add('rules', 'Select at least one agenda rule: what the meeting’s agenda lists');
  const settings: RuleSettings = {};
  // Only the chosen rules' parameters are read, in the library's order, so the agenda lists them in that order.
  const ordered = Object.keys(AGENDA_RULES).filter((code) => rules.includes(code));
  for (const code of ordered) settings[code] = readRuleSettings(body, code, AGENDA_RULES[code], errors, known.incidentTypes);
  if (errors.any || !name || !description) return null;
  return { name, description, chairAgencyId: chair || null, memberAgencyIds: members, intervalDays, defaultTime, quorum, rules: ordered, settings };
}

/** A code for a new type, from its name: "Youth panel" becomes youth_panel (youth_panel_2 when taken). */
async function newCode(trx: Transaction<DB>, name: string): Promise<string> {
  const base = name.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '').slice(0, 40) || 'meeting';
  const taken = new Set((await trx.selectFrom('meeting_type').select('code').where('code', 'like', `${base}%`).execute()).map((t) => t.code));
  let code = base;
  for (let n = 2; taken.has(code); n += 1) code = `${base}_${n}`;
  return code;
}

/** Makes a type (no code) or changes one from the version the form read; throws StaleVersion when it moved on. */
export async function saveMeetingType(trx: Transaction<DB>, userId: string | null, input: MeetingTypeInput, existing?: { code: string; version: number | null }): Promise<string> {
  const values = {
    name: input.name,
    description: input.description,
    chair_agency_id: input.chairAgencyId,
    member_agency_ids: input.memberAgencyIds,
    interval_days: input.intervalDays,
    default_time: input.defaultTime,
    quorum: input.quorum,
    agenda_rules: input.rules,
    rule_settings: JSON.stringify(input.settings) as never,
  };
  if (!existing) {
    const code = await newCode(trx, input.name);
    await trx.insertInto('meeting_type').values({ code, ...values, created_by: userId, created_at: new Date() }).execute();
    return code;
  }
  if (existing.version === null) throw new StaleVersion();
  const changed = await trx
    .updateTable('meeting_type')
    .set((eb) => ({ ...values, version: eb('version', '+', 1) }))
    .where('code', '=', existing.code)
    .where('version', '=', existing.version)
    .executeTakeFirst();
  if (changed.numUpdatedRows !== 1n) throw new StaleVersion();
  return existing.code;
}

export function meetingTypeList(db: Db) {
  return db.selectFrom('meeting_type').selectAll().orderBy('name').execute();
}
export type MeetingTypeRow = Awaited<ReturnType<typeof meetingTypeList>>[number];

/** Who may plan meetings of this type: any agency, or only the chair's. */
export const mayPlan = (type: Pick<MeetingTypeRow, 'chair_agency_id'>, agencyId: string) => !type.chair_agency_id || type.chair_agency_id === agencyId;

/** The agenda as the type's rules describe it, parameters filled in: for the list and the plan form. */
export const describeRules = (type: Pick<MeetingTypeRow, 'agenda_rules' | 'rule_settings'>) =>
  type.agenda_rules.filter((code) => AGENDA_RULES[code]).map((code) => ruleLabel(AGENDA_RULES[code], settingsOf(AGENDA_RULES[code], type.rule_settings, code)));

/** The form's values for an existing type: what it says now. */
export function typeValues(type: MeetingTypeRow): Body {
  const values: Body = {
    name: type.name,
    description: type.description,
    chairAgency: type.chair_agency_id ?? '',
    members: type.member_agency_ids,
    intervalDays: String(type.interval_days),
    defaultTime: type.default_time,
    quorum: String(type.quorum),
    rules: type.agenda_rules,
    version: String(type.version),
  };
  for (const code of type.agenda_rules) {
    const rule = AGENDA_RULES[code];
    if (!rule) continue;
    for (const [param, value] of Object.entries(settingsOf(rule, type.rule_settings, code))) values[`${code}-${param}`] = Array.isArray(value) ? value : String(value);
  }
  return values;
}
