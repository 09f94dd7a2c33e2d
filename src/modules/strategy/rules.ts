// What a strategy is made of (seed 000: domains, commitments, success
// measures; seed 004: numbered actions with lead partners and the
// principles they serve), and the checks every way of writing one goes through.
import { FormErrors, choice, choices, dateInput, optionalChoice, text, type Body } from '../../platform/forms.ts';

export const STRATEGY_KINDS = { strategy: 'Strategy', action_plan: 'Action plan' } as const;
export type StrategyKind = keyof typeof STRATEGY_KINDS;

/** Seed 000's four domains: what a new strategy starts with, changed as the partnership wishes. */
export const DEFAULT_DOMAINS = ['Strengthen', 'Support', 'Treat', 'Curtail'];

export const ACTION_STATUSES = { not_started: 'Not started', in_progress: 'In progress', complete: 'Complete', discontinued: 'Discontinued' } as const;
export type ActionStatus = keyof typeof ACTION_STATUSES;
export const ACTION_STATUS_CODES = Object.keys(ACTION_STATUSES) as ActionStatus[];

export const RAGS = { red: 'Red', amber: 'Amber', green: 'Green' } as const;
export type Rag = keyof typeof RAGS;
export const RAG_CODES = Object.keys(RAGS) as Rag[];
/** MoJ badge / GOV.UK tag colour for each rating. */
export const RAG_TAGS: Record<string, string> = { red: 'govuk-tag--red', amber: 'govuk-tag--orange', green: 'govuk-tag--green' };

export const PRINCIPLE_KINDS = { strategic: 'Strategic Principle', enabling: 'Enabling Principle', guiding: 'Guiding Principle' } as const;
export type PrincipleKind = keyof typeof PRINCIPLE_KINDS;
export const PRINCIPLE_KIND_CODES = Object.keys(PRINCIPLE_KINDS) as PrincipleKind[];

/** An action's number as plans write it: 5.1.3, 5.11.2, or a reference such as RR-2026-001.1. */
export const ACTION_NUMBER = /^[A-Za-z0-9]+(?:[.-][A-Za-z0-9]+)*$/;

export interface StrategyInput {
  name: string;
  kind: StrategyKind;
  startsOn: string | null;
  endsOn: string | null;
  vision: string | null;
  domains: string[];
}

export function readStrategy(body: Body, errors: FormErrors): StrategyInput | null {
  const name = text(body, 'name', errors, { label: 'The name', required: true, max: 200, missing: 'Enter the name of the strategy or plan' });
  const kind = choice(body, 'kind', errors, Object.keys(STRATEGY_KINDS) as StrategyKind[], 'Select whether this is a strategy or an action plan');
  const startsOn = dateInput(body, 'startsOn', errors, { label: 'Start date' });
  const endsOn = dateInput(body, 'endsOn', errors, { label: 'End date' });
  if (startsOn && endsOn && endsOn < startsOn) errors.add('endsOn-day', 'The end date must be the same as or after the start date');
  const vision = text(body, 'vision', errors, { label: 'The vision', max: 4000 });
  const domains = lines(text(body, 'domains', errors, { label: 'The domains', max: 2000 }));
  if (new Set(domains.map((d) => d.toLowerCase())).size !== domains.length) errors.add('domains', 'Give each domain once');
  if (errors.any || !name || !kind) return null;
  return { name, kind, startsOn, endsOn, vision, domains };
}

export interface ActionInput {
  number: string;
  statement: string;
  leadPartners: string[];
  startsOn: string | null;
  dueOn: string | null;
  commitmentId: string | null;
  principleIds: string[];
}

export function readAction(body: Body, errors: FormErrors, allowed: { commitments: string[]; principles: string[] }): ActionInput | null {
  const number = text(body, 'number', errors, { label: 'The action number', required: true, max: 30, missing: 'Enter the action number, like 5.1.3' });
  if (number && !ACTION_NUMBER.test(number)) errors.add('number', 'The action number must be numbers or letters separated by dots, like 5.1.3');
  const statement = text(body, 'statement', errors, { label: 'The action', required: true, max: 4000, missing: 'Enter what the action is' });
  const leadPartners = partners(text(body, 'leadPartners', errors, { label: 'The lead partners', required: true, max: 500, missing: 'Enter the lead partner or partners' }) ?? '');
  const startsOn = dateInput(body, 'startsOn', errors, { label: 'Start date' });
  const dueOn = dateInput(body, 'dueOn', errors, { label: 'Due date' });
  if (startsOn && dueOn && dueOn < startsOn) errors.add('dueOn-day', 'The due date must be the same as or after the start date');
  const commitmentId = allowed.commitments.length ? choice(body, 'commitmentId', errors, allowed.commitments, 'Select the commitment this action delivers') : null;
  const principleIds = choices(body, 'principles', errors, allowed.principles, 'Select principles from the list');
  if (errors.any || !number || !statement) return null;
  return { number, statement, leadPartners, startsOn, dueOn, commitmentId, principleIds };
}

export interface ProgressInput {
  status: ActionStatus;
  rag: Rag | null;
  ragReason: string | null;
  note: string;
}

/** An update to an action: its status, its RAG rating with the reason for it, and what happened. */
export function readProgress(body: Body, errors: FormErrors): ProgressInput | null {
  const status = choice(body, 'status', errors, ACTION_STATUS_CODES, 'Select the status of the action');
  const rag = optionalChoice(body, 'rag', errors, RAG_CODES, 'Select red, amber or green, or no rating');
  const ragReason = text(body, 'ragReason', errors, { label: 'The reason for the rating', max: 2000 });
  if (rag && !ragReason) errors.add('ragReason', 'Say why the action is rated ' + RAGS[rag].toLowerCase());
  const note = text(body, 'note', errors, { label: 'The update', required: true, max: 4000, missing: 'Enter what has happened since the last update' });
  if (errors.any || !status || !note) return null;
  return { status, rag, ragReason: rag ? ragReason : null, note };
}

/** Lead partners as a plan writes them: "Community Safety / Housing" is two partners. */
export function partners(value: string): string[] {
  return value
    .split('/')
    .map((p) => p.replace(/\s+/g, ' ').trim())
    .filter(Boolean);
}

export function lines(value: string | null): string[] {
  return (value ?? '')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
}

/** "Strategic Principle 4": how seed 004 names a principle. */
export function principleLabel(p: { kind: string; number: number }): string {
  return `${PRINCIPLE_KINDS[p.kind as PrincipleKind] ?? p.kind} ${p.number}`;
}
