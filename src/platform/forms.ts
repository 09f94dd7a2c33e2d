// Reading and checking submitted forms. Each check returns the clean value
// or records a GOV.UK-style message against the field; a form with any
// error changes nothing and is shown again with an error summary.
import { londonCandidates, londonParts, londonToday } from './time.ts';
import { FileProblems } from '../analysis/csvRead.ts';

export type Body = Record<string, unknown>;

export class FormErrors {
  readonly messages: Record<string, string> = {};
  /** Field ids in the order the errors were found, for the error summary. */
  private readonly order: string[] = [];

  add(field: string, message: string): void {
    if (this.messages[field]) return;
    this.messages[field] = message;
    this.order.push(field);
  }
  get any(): boolean {
    return this.order.length > 0;
  }
  /** The list the govukErrorSummary macro takes. */
  summary(): { text: string; href: string }[] {
    return this.order.map((field) => ({ text: this.messages[field], href: `#${field}` }));
  }
  /** { errorMessage: { text } } for a field's macro, or undefined. */
  field(name: string): { text: string } | undefined {
    return this.messages[name] ? { text: this.messages[name] } : undefined;
  }
  toJSON(): Record<string, string> {
    return { ...this.messages };
  }
}

// Control characters other than tab and newlines have no place in any field.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

export function str(body: Body, name: string): string {
  const value = body[name];
  if (Array.isArray(value)) return String(value[0] ?? '').trim();
  return value === undefined || value === null ? '' : String(value).trim();
}

export function list(body: Body, name: string): string[] {
  const value = body[name];
  if (value === undefined || value === null || value === '') return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

interface TextRule {
  label: string;
  required?: boolean;
  max: number;
  /** Message when missing, e.g. "Enter a description of the place". */
  missing?: string;
}

export function text(body: Body, name: string, errors: FormErrors, rule: TextRule): string | null {
  const value = str(body, name);
  if (!value) {
    if (rule.required) errors.add(name, rule.missing ?? `Enter ${rule.label.toLowerCase()}`);
    return null;
  }
  if (value.length > rule.max) {
    errors.add(name, `${rule.label} must be ${rule.max} characters or fewer`);
    return null;
  }
  if (CONTROL.test(value)) {
    errors.add(name, `${rule.label} must not contain control characters`);
    return null;
  }
  return value;
}

export function choice<T extends string>(body: Body, name: string, errors: FormErrors, allowed: readonly T[], missing: string): T | null {
  const value = str(body, name);
  if (!value) {
    errors.add(name, missing);
    return null;
  }
  if (!(allowed as readonly string[]).includes(value)) {
    errors.add(name, missing);
    return null;
  }
  return value as T;
}

/** A choice that may be left empty (null); a value that is not one of the choices is an error. */
export function optionalChoice<T extends string>(body: Body, name: string, errors: FormErrors, allowed: readonly T[], invalid: string): T | null {
  return str(body, name) ? choice(body, name, errors, allowed, invalid) : null;
}

export function choices<T extends string>(body: Body, name: string, errors: FormErrors, allowed: readonly T[], message: string): T[] {
  const values = list(body, name);
  if (values.some((v) => !(allowed as readonly string[]).includes(v))) {
    errors.add(name, message);
    return [];
  }
  return [...new Set(values)] as T[];
}

const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]+$/;

export function email(body: Body, name: string, errors: FormErrors): string | null {
  const value = str(body, name).toLowerCase();
  if (!value) {
    errors.add(name, 'Enter an email address');
    return null;
  }
  if (value.length > 254 || !EMAIL.test(value)) {
    errors.add(name, 'Enter an email address in the correct format, like name@example.gov.uk');
    return null;
  }
  return value;
}

interface DateRule {
  label: string;
  required?: boolean;
  notFuture?: boolean;
  /** Earliest year accepted (keeps out typing slips like 0202). */
  minYear?: number;
}

/** A GOV.UK date input: fields name-day, name-month, name-year. Returns YYYY-MM-DD. */
export function dateInput(body: Body, name: string, errors: FormErrors, rule: DateRule, now = new Date()): string | null {
  const day = str(body, `${name}-day`);
  const month = str(body, `${name}-month`);
  const year = str(body, `${name}-year`);
  if (!day && !month && !year) {
    if (rule.required) errors.add(`${name}-day`, `Enter ${rule.label.toLowerCase()}`);
    return null;
  }
  const missing = [!day && 'day', !month && 'month', !year && 'year'].filter(Boolean);
  if (missing.length) {
    errors.add(`${name}-${missing[0]}`, `${rule.label} must include a ${missing.join(' and a ')}`);
    return null;
  }
  const d = Number(day);
  const m = Number(month);
  const y = Number(year);
  const valid =
    /^\d{1,2}$/.test(day) && /^\d{1,2}$/.test(month) && /^\d{4}$/.test(year) && m >= 1 && m <= 12 && d >= 1 && d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
  if (!valid) {
    errors.add(`${name}-day`, `${rule.label} must be a real date`);
    return null;
  }
  if (y < (rule.minYear ?? 1900)) {
    errors.add(`${name}-year`, `${rule.label} must be after ${rule.minYear ?? 1900}`);
    return null;
  }
  const iso = `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  if (rule.notFuture && iso > londonToday(now)) {
    errors.add(`${name}-day`, `${rule.label} must be today or in the past`);
    return null;
  }
  return iso;
}

/** An API's date, YYYY-MM-DD, checked by the same rule as a date input; null when it is not a date the rule accepts. */
export function isoDay(raw: string, rule: DateRule, now = new Date()): string | null {
  const ymd = /^(\d{4})-(\d{2})-(\d{2})$/.exec(raw);
  return ymd ? dateInput({ 'd-day': ymd[3], 'd-month': ymd[2], 'd-year': ymd[1] }, 'd', new FormErrors(), rule, now) : null;
}

/** A day (YYYY-MM-DD) and a 24-hour time ("14:30") in UK time, as an instant; a problem is recorded against `field`. */
/**
 * A London wall-clock time. The hour the clocks go back happens twice, so
 * it is asked about, never guessed: `clock` is the answer ("BST" for the
 * first time, "GMT" for the second), and without it the error goes on
 * `clockField`, where the form then offers the choice.
 */
export function londonInstant(date: string, time: string, errors: FormErrors, field: string, label: string, clock?: { field: string; value: string }): Date | null {
  const match = /^(\d{1,2})[:.]?(\d{2})$/.exec(time);
  if (!match || Number(match[1]) > 23 || Number(match[2]) > 59) {
    errors.add(field, `Time for ${label.toLowerCase()} must be a real time in 24-hour format, like 14:30`);
    return null;
  }
  const [y, m, d] = date.split('-').map(Number);
  const candidates = londonCandidates({ year: y, month: m, day: d, hour: Number(match[1]), minute: Number(match[2]) });
  if (!candidates.length) {
    errors.add(field, `${time} did not happen on that day because the clocks went forward: enter a time before 01:00 or after 02:00`);
    return null;
  }
  if (candidates.length === 1 || !clock) return candidates[0];
  if (clock.value === 'BST') return candidates[0];
  if (clock.value === 'GMT') return candidates[1];
  errors.add(clock.field, `${time} happened twice that night, because the clocks went back: select whether it was the first time (BST) or the second (GMT)`);
  return null;
}

/** A date input plus a 24-hour time field (name-time, "14:30"), read as London time. */
export function dateTimeInput(body: Body, name: string, errors: FormErrors, rule: DateRule, now = new Date()): Date | null {
  const date = dateInput(body, name, errors, { ...rule, notFuture: false }, now);
  const time = str(body, `${name}-time`);
  if (!date) return null;
  if (!time) {
    errors.add(`${name}-time`, `Enter the time for ${rule.label.toLowerCase()}`);
    return null;
  }
  const instant = londonInstant(date, time, errors, `${name}-time`, rule.label, { field: `${name}-clock`, value: str(body, `${name}-clock`) });
  if (!instant) return null;
  if (rule.notFuture && instant.getTime() > now.getTime()) {
    errors.add(`${name}-day`, `${rule.label} must be in the past`);
    return null;
  }
  return instant;
}

// ISO 8601 with an explicit offset or Z: a partner system's clock zone must never be guessed.
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/;

/** An API's date-time: ISO 8601 with its zone, in the past. */
export function isoInstant(body: Body, name: string, label: string, errors: FormErrors, now: Date): Date | null {
  const value = str(body, name);
  if (!value) {
    errors.add(name, `Enter ${label.toLowerCase()}`);
    return null;
  }
  const instant = ISO_INSTANT.test(value) ? new Date(value) : null;
  if (!instant || Number.isNaN(instant.getTime())) {
    errors.add(name, `${label} must be an ISO 8601 date-time with a time zone, like 2026-11-21T14:30:00Z`);
    return null;
  }
  if (instant > now) {
    errors.add(name, `${label} must be in the past`);
    return null;
  }
  return instant;
}

export function decimal(body: Body, name: string, errors: FormErrors, rule: { label: string; min: number; max: number; required?: boolean }): number | null {
  const value = str(body, name);
  if (!value) {
    if (rule.required) errors.add(name, `Enter ${rule.label.toLowerCase()}`);
    return null;
  }
  const n = Number(value);
  if (!/^-?\d+(\.\d+)?$/.test(value) || !Number.isFinite(n)) {
    errors.add(name, `${rule.label} must be a number`);
    return null;
  }
  if (n < rule.min || n > rule.max) {
    errors.add(name, `${rule.label} must be between ${rule.min} and ${rule.max}`);
    return null;
  }
  return n;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

/** A YYYY-MM-DD date as a GOV.UK date input's values. */
export function dateParts(name: string, iso: string): Record<string, string> {
  const [y, m, d] = iso.split('-');
  return { [`${name}-day`]: String(Number(d)), [`${name}-month`]: String(Number(m)), [`${name}-year`]: y };
}

/** A date-and-time field's values for an instant, in London time: what a form about "now" starts with. */
export function dateTimeParts(name: string, at = new Date()): Record<string, string> {
  const p = londonParts(at);
  return { [`${name}-day`]: String(p.day), [`${name}-month`]: String(p.month), [`${name}-year`]: String(p.year), [`${name}-time`]: `${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}` };
}

/**
 * An uploaded CSV read whole by `read`: its value, or null with the file's
 * line-numbered problems and one message at the field saying nothing was done.
 */
export function uploadedFile<T>(body: Body, name: string, errors: FormErrors, label: string, verb: 'import' | 'load', read: (text: string) => T): { value: T | null; problems: string[] } {
  const text = uploadedText(body, name, errors, label);
  if (!text) return { value: null, problems: [] };
  try {
    return { value: read(text), problems: [] };
  } catch (e) {
    if (!(e instanceof FileProblems)) throw e;
    errors.add(name, `The file has ${e.problems.length === 1 ? 'a problem' : `${e.problems.length} problems`}: nothing was ${verb}ed. Correct the file and ${verb} it again`);
    return { value: null, problems: e.problems };
  }
}

/** The text of an uploaded file (a form sent as multipart/form-data), or null with a message. */
function uploadedText(body: Body, name: string, errors: FormErrors, label: string): string | null {
  const value = body[name];
  const text = Buffer.isBuffer(value) ? value.toString('utf8') : typeof value === 'string' ? value : '';
  if (!text.trim()) {
    errors.add(name, `Choose ${label}`);
    return null;
  }
  if (text.includes('\u0000') || text.includes('\ufffd')) {
    errors.add(name, `${label[0].toUpperCase()}${label.slice(1)} must be a CSV file saved as text (UTF-8)`);
    return null;
  }
  return text;
}

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** A month as YYYY-MM (a period's end, a filter), or the fallback when left empty. */
export function monthField(body: Body, name: string, errors: FormErrors, label: string, fallback: string | null): string | null {
  const value = str(body, name) || fallback;
  if (!value) {
    errors.add(name, `Enter ${label.toLowerCase()}, like 2026-07`);
    return null;
  }
  if (!MONTH.test(value) || Number(value.slice(0, 4)) < 1900) {
    errors.add(name, `${label} must be a month, like 2026-07`);
    return null;
  }
  return value;
}
