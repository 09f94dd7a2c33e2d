// Consent and sharing (seed 003: "working to gain consent where safe to do
// so"). Information about a young person leaves the urgent response (a MASH
// referral, later referrals to services) only with consent given, or with a
// lawful basis recorded and confirmed by a second person who may approve it.
// The server checks this on every share, whatever a form or API sends.
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { decideSharing } from '../sharing/decision.ts';
import { FormErrors, choice, dateTimeInput, text, type Body } from '../../platform/forms.ts';

type Db = Kysely<DB> | Transaction<DB>;

export const CONSENT_STATUSES = { given: 'Given', refused: 'Refused', not_sought: 'Not yet sought', not_possible: 'Not possible' } as const;
export const CONSENT_BY = { young_person: 'Young person', parent_carer: 'Parent or carer' } as const;

/** Lawful bases partners rely on to share without consent (UK GDPR and the Data Protection Act 2018). */
export const LAWFUL_BASES = {
  safeguarding_children: 'Safeguarding children and individuals at risk (DPA 2018 Schedule 1, paragraph 18)',
  public_task: 'Public task: statutory duty (UK GDPR Article 6(1)(e)), e.g. Children Act 1989 s.47',
  crime_prevention: 'Prevention or detection of crime (DPA 2018 Schedule 1, paragraph 10; Crime and Disorder Act 1998 s.115)',
  vital_interests: 'Vital interests: to protect someone’s life (UK GDPR Article 6(1)(d))',
  serious_violence_duty: 'Serious Violence Duty (Police, Crime, Sentencing and Courts Act 2022, s.16)',
} as const;

const keys = <T extends object>(o: T) => Object.keys(o) as (keyof T & string)[];

export function readConsent(body: Body, errors: FormErrors, now = new Date()) {
  const status = choice(body, 'consentStatus', errors, keys(CONSENT_STATUSES), 'Select whether consent was given');
  const byWhom = status === 'given' || status === 'refused' ? choice(body, 'consentBy', errors, keys(CONSENT_BY), 'Select who gave or refused consent') : null;
  const decidedAt = dateTimeInput(body, 'decidedAt', errors, { label: 'When', required: true, notFuture: true, minYear: 2000 }, now);
  const note = text(body, 'consentNote', errors, { label: 'Note', max: 2000 });
  if (errors.any || !status || !decidedAt) return null;
  return { status, byWhom, decidedAt, note };
}

export function readLawfulBasis(body: Body, errors: FormErrors) {
  const basis = choice(body, 'basis', errors, keys(LAWFUL_BASES), 'Select the lawful basis for sharing without consent');
  const reason = text(body, 'basisReason', errors, { label: 'Reason', required: true, max: 2000, missing: 'Say why sharing without consent is necessary and proportionate' });
  if (errors.any || !basis || !reason) return null;
  return { basis, reason };
}

export async function consentHistory(db: Db, responseId: string) {
  return db
    .selectFrom('consent')
    .leftJoin('app_user', 'app_user.id', 'consent.recorded_by')
    .selectAll('consent')
    .select('app_user.display_name as recorded_by_name')
    .where('urgent_response_id', '=', responseId)
    .orderBy('recorded_at', 'desc')
    .execute();
}

export async function lawfulBases(db: Db, responseId: string) {
  return db
    .selectFrom('lawful_basis')
    .innerJoin('app_user as recorder', 'recorder.id', 'lawful_basis.recorded_by')
    .leftJoin('app_user as approver', 'approver.id', 'lawful_basis.approved_by')
    .selectAll('lawful_basis')
    .select(['recorder.display_name as recorded_by_name', 'approver.display_name as approved_by_name'])
    .where('urgent_response_id', '=', responseId)
    .orderBy('recorded_at')
    .execute();
}

/** May information about this urgent response's young person be shared with the partnership? The one decision (sharing/decision.ts). */
export async function sharingAllowed(db: Db, responseId: string): Promise<boolean> {
  const response = await db.selectFrom('urgent_response').select('person_id').where('id', '=', responseId).executeTakeFirstOrThrow();
  return (await decideSharing(db, response.person_id, null)).allowed;
}

export function readMashReferral(body: Body, errors: FormErrors, now = new Date()) {
  const concern = text(body, 'concern', errors, { label: 'Safeguarding concern', required: true, max: 4000, missing: 'Describe the safeguarding concern' });
  const referredAt = dateTimeInput(body, 'referredAt', errors, { label: 'When it was referred', required: true, notFuture: true, minYear: 2000 }, now);
  const reference = text(body, 'mashReference', errors, { label: 'MASH reference', max: 60 });
  const outcome = text(body, 'mashOutcome', errors, { label: 'Outcome', max: 2000 });
  if (errors.any || !concern || !referredAt) return null;
  return { concern, referredAt, reference, outcome };
}

export async function mashReferrals(db: Db, responseId: string) {
  return db.selectFrom('mash_referral').selectAll().where('urgent_response_id', '=', responseId).orderBy('referred_at').execute();
}
