// What an agenda rule is (issue 23): a finder of what a meeting should
// discuss, with the parameters an administrator sets per meeting type. The
// library itself is AGENDA_RULES in agenda.ts; the exploitation rules live
// with their domain and join it there.
import type { Transaction } from 'kysely';
import type { DB, RuleSettings } from '../../db/schema.ts';
import { FormErrors, type Body } from '../../platform/forms.ts';

export interface AgendaMeeting {
  id: string;
  agency_id: string;
  type_code: string;
  starts_at: Date;
  interval_days: number;
  /** The meeting type's parameters for its rules; absent: each rule's defaults. */
  rule_settings?: RuleSettings;
}

export interface Window {
  /** The previous meeting of this type (or one interval before this one). */
  since: Date;
  until: Date;
  /** The next meeting: "due before the next meeting". */
  next: Date;
}

export interface ItemDraft {
  rule: string;
  title: string;
  why: string;
  urgent_response_id?: string;
  incident_id?: string;
  person_id?: string;
  referral_id?: string;
  carried_action_id?: string;
  place_key?: string;
  possible_breach_id?: string;
  critical_incident_id?: string;
}

export type Settings = Record<string, number | string | string[]>;

export type RuleParam =
  | { name: string; label: string; kind: 'number'; default: number; min: number; max: number; suffix?: string }
  | { name: string; label: string; kind: 'choice'; default: string; options: Record<string, string> }
  /** Incident types (from the incident_type table); none chosen: every type. */
  | { name: string; label: string; kind: 'incident_types'; default: string[] };

export interface AgendaRule {
  /** What the rule lists, in the chair's words, with its parameters filled in. */
  label: string | ((s: Settings) => string);
  params?: RuleParam[];
  find: (trx: Transaction<DB>, meeting: AgendaMeeting, window: Window, settings: Settings) => Promise<ItemDraft[]>;
}

/** The rule's parameters: the meeting type's where set, each default otherwise. */
export function settingsOf(rule: AgendaRule, all: RuleSettings | undefined, code: string): Settings {
  const set = all?.[code] ?? {};
  return Object.fromEntries((rule.params ?? []).map((p) => [p.name, set[p.name] ?? p.default]));
}

export function ruleLabel(rule: AgendaRule, settings: Settings): string {
  return typeof rule.label === 'function' ? rule.label(settings) : rule.label;
}

/**
 * The form's parameters for one rule (fields named `<rule>-<param>`), each
 * checked against its bounds; a field-level error for each that is not.
 */
export function readRuleSettings(body: Body, code: string, rule: AgendaRule, errors: FormErrors, incidentTypes: string[]): Settings {
  const out: Settings = {};
  for (const p of rule.params ?? []) {
    const field = `${code}-${p.name}`;
    const raw = body[field];
    if (p.kind === 'number') {
      const text = typeof raw === 'string' ? raw.trim() : '';
      const n = text === '' ? p.default : Number(text);
      if (!/^\d{1,6}$/.test(text === '' ? String(p.default) : text) || n < p.min || n > p.max) errors.add(field, `${p.label} must be a whole number from ${p.min} to ${p.max}`);
      else out[p.name] = n;
    } else if (p.kind === 'choice') {
      const value = typeof raw === 'string' && raw ? raw : p.default;
      if (!(value in p.options)) errors.add(field, `Select ${p.label.toLowerCase()} from the list`);
      else out[p.name] = value;
    } else {
      const values = (Array.isArray(raw) ? raw : raw ? [raw] : []).map(String);
      if (values.some((v) => !incidentTypes.includes(v))) errors.add(field, `Select ${p.label.toLowerCase()} from the list`);
      else out[p.name] = values;
    }
  }
  return out;
}
