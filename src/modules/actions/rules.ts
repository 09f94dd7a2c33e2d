// Actions: things one agency has agreed to do for a young person, from an
// urgent response's plan or a meeting. Each has an owning agency and a named
// person, a due date and a status; one list across plans and meetings.
import { FormErrors, choice, dateInput, text, type Body } from '../../platform/forms.ts';
import { londonToday } from '../../platform/time.ts';

export const ACTION_STATUSES = { not_started: 'Not started', in_progress: 'In progress', done: 'Done', cancelled: 'Cancelled' } as const;
export type ActionStatus = keyof typeof ACTION_STATUSES;
export const OPEN_STATUSES: ActionStatus[] = ['not_started', 'in_progress'];

export interface ActionInput {
  description: string;
  ownerAgencyId: string;
  ownerName: string;
  dueOn: string;
}

/** A new action: what, which agency owns it and who there, and when it is due (today or later). */
export function readAction(body: Body, errors: FormErrors, agencyIds: string[], now = new Date()): ActionInput | null {
  const description = text(body, 'actionDescription', errors, { label: 'Action', required: true, max: 2000, missing: 'Describe the action' });
  const ownerAgencyId = choice(body, 'actionAgency', errors, agencyIds, 'Select the agency that owns the action');
  const ownerName = text(body, 'actionOwner', errors, { label: 'Named person', required: true, max: 120, missing: 'Enter the name of the person who owns the action' });
  const dueOn = dateInput(body, 'actionDue', errors, { label: 'Due date', required: true, minYear: 2000 }, now);
  if (dueOn && dueOn < londonToday(now)) errors.add('actionDue-day', 'Due date must be today or in the future');
  if (errors.any || !description || !ownerAgencyId || !ownerName || !dueOn) return null;
  return { description, ownerAgencyId, ownerName, dueOn };
}

export function readStatus(body: Body, errors: FormErrors): ActionStatus | null {
  return choice(body, 'status', errors, Object.keys(ACTION_STATUSES) as ActionStatus[], 'Select the action’s status');
}

export function isOverdue(action: { due_on: string; status: string }, today = londonToday()): boolean {
  return OPEN_STATUSES.includes(action.status as ActionStatus) && action.due_on < today;
}
