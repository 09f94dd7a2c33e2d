// Who was at a meeting (issue 21): an agency recorded present heard the
// young people on the agenda discussed, so it is personal data shared with
// that agency. It may be recorded present only under a data sharing agreement
// in force for panels and meetings between it and the agency running the
// meeting; the refusal names the agreement that is missing or ended. Apologies
// and absence share nothing and are always recorded.
import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { Refusal } from '../../platform/changes.ts';
import { FormErrors, str, type Body } from '../../platform/forms.ts';
import { claimVersion } from '../../platform/versions.ts';
import { agreementCovering } from '../governance/agreements.ts';

export const ATTENDANCE = { present: 'Present', apologies: 'Apologies', absent: 'Not present' } as const;
type Status = keyof typeof ATTENDANCE;

export interface Mark {
  agencyId: string;
  name: string;
  status: Status;
  attendees: string | null;
}

/** The form's marks, one per agency recorded; each refused field by field. */
export function readAttendance(body: Body, errors: FormErrors, agencies: { id: string; name: string }[]): Mark[] | null {
  const marks = agencies.flatMap((a) => {
    const status = str(body, `attendance-${a.id}`);
    if (!status) return [];
    if (!(status in ATTENDANCE)) errors.add(`attendance-${a.id}`, `Select whether ${a.name} was present`);
    const attendees = str(body, `attendees-${a.id}`);
    if (attendees.length > 500) errors.add(`attendees-${a.id}`, `Names for ${a.name} must be 500 characters or fewer`);
    return [{ agencyId: a.id, name: a.name, status: status as Status, attendees: attendees || null }];
  });
  return errors.any ? null : marks;
}

/** Records the meeting's attendance from the version read, replacing what was recorded; an agency present without an agreement in force is refused. */
export async function recordAttendance(trx: Transaction<DB>, meeting: { id: string; agency_id: string }, version: number | null, marks: Mark[]): Promise<'recorded' | Refusal> {
  const refused: Record<string, string> = {};
  for (const m of marks.filter((x) => x.status === 'present')) {
    const coverage = await agreementCovering(trx, meeting.agency_id, m.agencyId, 'meeting');
    if (!coverage.covered) refused[`attendance-${m.agencyId}`] = `${m.name} cannot be recorded present: ${coverage.words}`;
  }
  if (Object.keys(refused).length) return { refused };
  await claimVersion(trx, 'meeting', meeting.id, version);
  await trx.deleteFrom('meeting_attendance').where('meeting_id', '=', meeting.id).execute();
  if (marks.length) await trx.insertInto('meeting_attendance').values(marks.map((m) => ({ meeting_id: meeting.id, agency_id: m.agencyId, status: m.status, attendees: m.attendees }))).execute();
  return 'recorded';
}
