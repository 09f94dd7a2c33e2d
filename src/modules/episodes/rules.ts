// What an episode of casework records: contacts and notes at a visibility
// level, goals and their progress, outcome measures at the start and end
// (seed 000: "impact measured before and after"), and how it closed.
import { FormErrors, choice, dateInput, dateTimeInput, str, text, type Body } from '../../platform/forms.ts';
import { addDays } from '../../platform/workingDays.ts';

const keys = <T extends object>(o: T) => Object.keys(o) as (keyof T & string)[];

export const NOTE_KINDS = { contact: 'Contact with the young person or family', note: 'Case note' } as const;
export const CONTACT_METHODS = { face_to_face: 'Face to face', phone: 'Phone', video: 'Video call', message: 'Text or message', letter: 'Letter' } as const;
export const VISIBILITY = {
  all: 'Everyone who can see this episode',
  agency: 'My agency only',
  restricted: 'Restricted: me and the lead worker only',
} as const;
export const GOAL_STATUSES = { not_started: 'Not started', in_progress: 'In progress', achieved: 'Achieved', not_achieved: 'Not achieved' } as const;
export const OUTCOMES = { completed: 'Completed', disengaged: 'Disengaged', moved: 'Moved away', transferred: 'Transferred to another service' } as const;
export const STAGES = { start: 'At the start', end: 'At the end' } as const;
export const ETE_STATUSES = { school: 'In school', college: 'In college or training', employment: 'In employment', neet: 'Not in education, employment or training', excluded: 'Excluded or not attending' } as const;
export const BENEFIT_STATUSES = { none: 'Not claiming', claiming: 'Claiming', not_known: 'Not known' } as const;

/** Weeks before the planned end when the lead worker is warned. */
export const NEARING_END_WEEKS = 4;
/** Seed 000: A&E navigators offer "up to six months" of casework: the planned length when a service sets none. */
export const DEFAULT_EPISODE_MONTHS = 6;

/** The day an episode is planned to end: its service's length, or six months from its start. */
export function plannedEnd(startedOn: string, plannedEndOn: string | null): string {
  if (plannedEndOn) return plannedEndOn;
  const [y, m, d] = startedOn.split('-').map(Number);
  const months = m - 1 + DEFAULT_EPISODE_MONTHS;
  const year = y + Math.floor(months / 12);
  const month = (months % 12) + 1;
  // The same day of the month, or the month's last day when it is shorter (31 August + 6 months = 28 or 29 February).
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${year}-${String(month).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

export function readNote(body: Body, errors: FormErrors, now = new Date()) {
  const kind = choice(body, 'kind', errors, keys(NOTE_KINDS), 'Select whether this is a contact or a case note');
  const method = kind === 'contact' ? choice(body, 'method', errors, keys(CONTACT_METHODS), 'Select how the contact happened') : null;
  const happenedAt = dateTimeInput(body, 'happenedAt', errors, { label: 'When', required: true, notFuture: true, minYear: 2000 }, now);
  const noteBody = text(body, 'body', errors, { label: 'Note', required: true, max: 10_000, missing: 'Enter what happened' });
  const visibility = choice(body, 'visibility', errors, keys(VISIBILITY), 'Select who may see this note');
  if (errors.any || !kind || !happenedAt || !noteBody || !visibility) return null;
  return { kind, method, happenedAt, body: noteBody, visibility };
}

export function readGoal(body: Body, errors: FormErrors) {
  const description = text(body, 'goal', errors, { label: 'Goal', required: true, max: 1000, missing: 'Describe the goal, in the young person’s words where you can' });
  return errors.any ? null : description;
}

export function readGoalProgress(body: Body, errors: FormErrors) {
  const status = choice(body, 'goalStatus', errors, keys(GOAL_STATUSES), 'Select how the goal is going');
  const note = text(body, 'progressNote', errors, { label: 'Progress', max: 2000 });
  return errors.any || !status ? null : { status, note };
}

function count(body: Body, name: string, errors: FormErrors, label: string, required: boolean): number | null {
  const raw = str(body, name);
  if (!raw) {
    if (required) errors.add(name, `Enter ${label.toLowerCase()}, or 0`);
    return null;
  }
  if (!/^\d{1,3}$/.test(raw)) {
    errors.add(name, `${label} must be a whole number, like 2`);
    return null;
  }
  return Number(raw);
}

export function readMeasures(body: Body, errors: FormErrors, now = new Date()) {
  const stage = choice(body, 'stage', errors, keys(STAGES), 'Select whether these are the measures at the start or the end');
  const measuredOn = dateInput(body, 'measuredOn', errors, { label: 'Date measured', required: true, notFuture: true, minYear: 2000 }, now);
  const offences = count(body, 'offences6m', errors, 'Offences in the previous six months', true);
  const victimisation = count(body, 'victimisation6m', errors, 'Times a victim in the previous six months', true);
  const attendanceRaw = str(body, 'attendancePct');
  let attendance: number | null = null;
  if (attendanceRaw) {
    attendance = Number(attendanceRaw);
    if (!/^\d{1,3}(\.\d)?$/.test(attendanceRaw) || attendance > 100) {
      errors.add('attendancePct', 'School attendance must be a percentage from 0 to 100, like 87.5');
      attendance = null;
    }
  }
  const exclusions = count(body, 'exclusions', errors, 'Exclusions', false);
  const ete = choice(body, 'eteStatus', errors, keys(ETE_STATUSES), 'Select their education, training or employment status');
  const benefit = choice(body, 'benefitStatus', errors, keys(BENEFIT_STATUSES), 'Select their benefit status');
  if (errors.any || !stage || !measuredOn || offences === null || victimisation === null || !ete || !benefit) return null;
  return { stage, measured_on: measuredOn, offences_6m: offences, victimisation_6m: victimisation, attendance_pct: attendance, exclusions, ete_status: ete, benefit_status: benefit };
}

export function readClosure(body: Body, errors: FormErrors, startedOn: string, now = new Date()) {
  const outcome = choice(body, 'outcome', errors, ['completed', 'disengaged', 'moved'] as const, 'Select how the episode ended');
  const closedOn = dateInput(body, 'closedOn', errors, { label: 'Date closed', required: true, notFuture: true, minYear: 2000 }, now);
  if (closedOn && closedOn < startedOn) errors.add('closedOn-day', 'Date closed must be on or after the start date');
  const note = text(body, 'closureNote', errors, { label: 'Closing summary', required: true, max: 4000, missing: 'Summarise the work and what happens next' });
  return errors.any || !outcome || !closedOn ? null : { outcome, closedOn, note };
}

/** Where the episode stands against its planned length: a warning as it nears the end, another once past it. */
export function lengthWarning(startedOn: string, plannedEndOn: string | null, today: string, closed: boolean): 'past' | 'near' | null {
  if (closed) return null;
  const end = plannedEnd(startedOn, plannedEndOn);
  if (end < today) return 'past';
  return today >= addDays(end, -NEARING_END_WEEKS * 7) ? 'near' : null;
}
