// Data sharing agreements (issue 21): the register the information
// governance officer keeps, and the one question every entrance that shares
// asks of it: does an agreement in force cover this purpose between these
// two agencies today? The answer says which agreement is missing, not yet
// begun or ended, in words the user can act on. The lawful bases are UK
// GDPR's (Article 6; Article 9 for special category data; Article 10 for
// criminal offence data, with the Data Protection Act 2018 Schedule 1
// condition it relies on).
import { createHash } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { FormErrors, choice, choices, dateInput, isUuid, list, optionalChoice, text, type Body } from '../../platform/forms.ts';
import { formatDate, londonToday } from '../../platform/time.ts';
import { addDays } from '../../platform/workingDays.ts';
import { claimVersion } from '../../platform/versions.ts';

type Db = Kysely<DB> | Transaction<DB>;

/** What sharing an agreement covers: each entrance that shares names its purpose. */
export const SHARING_PURPOSES = {
  incident_sharing: 'Sharing incidents for the Urgent Response protocol',
  referral: 'Referrals to services',
  action: 'Actions given to another agency',
  meeting: 'Panels and meetings (agendas and attendance)',
} as const;
export type SharingPurpose = keyof typeof SHARING_PURPOSES;

export const DATA_CATEGORIES = {
  personal: 'Personal data (names, dates of birth, addresses, contacts)',
  health: 'Special category: health',
  ethnicity: 'Special category: racial or ethnic origin',
  criminal_offence: 'Criminal offence data (Article 10)',
  intelligence: 'Police intelligence',
  education: 'Education records',
} as const;

export const ARTICLE6 = {
  a: 'Article 6(1)(a): consent',
  c: 'Article 6(1)(c): legal obligation',
  d: 'Article 6(1)(d): vital interests',
  e: 'Article 6(1)(e): public task',
  f: 'Article 6(1)(f): legitimate interests (not for public authorities’ tasks)',
} as const;

export const ARTICLE9 = {
  b: 'Article 9(2)(b): employment, social security and social protection',
  g: 'Article 9(2)(g): substantial public interest',
  h: 'Article 9(2)(h): health or social care',
} as const;

export const ARTICLE10 = { dpa: 'Article 10: authorised by the Data Protection Act 2018 (section 10(5))' } as const;

/** The Schedule 1 conditions a safeguarding partnership relies on. */
export const SCHEDULE1 = {
  p6: 'Schedule 1, paragraph 6: statutory and government purposes',
  p10: 'Schedule 1, paragraph 10: preventing or detecting unlawful acts',
  p18: 'Schedule 1, paragraph 18: safeguarding of children and of individuals at risk',
} as const;

/** Agreements are listed as due for review this many days before their review date (and reminded then). */
export const REVIEW_WARNING_DAYS = 30;

export interface AgreementInput {
  title: string;
  partyAgencyIds: string[];
  purposes: SharingPurpose[];
  dataCategories: string[];
  article6: string;
  article9: string | null;
  article10: string | null;
  schedule1: string | null;
  startsOn: string;
  reviewOn: string;
  endsOn: string | null;
  signatories: string;
  document: string;
}

const keys = <T extends object>(o: T) => Object.keys(o) as (keyof T & string)[];

/** The agreement's form, field by field: special category and criminal offence data need their conditions. */
export function readAgreement(body: Body, errors: FormErrors, agencyIds: string[]): AgreementInput | null {
  const title = text(body, 'title', errors, { label: 'The title', required: true, max: 200, missing: 'Enter the agreement’s title' });
  const parties = list(body, 'partyAgencyIds').filter(isUuid);
  if (new Set(parties).size < 2) errors.add('partyAgencyIds', 'Select at least two agencies that are party to it');
  else if (parties.some((p) => !agencyIds.includes(p))) errors.add('partyAgencyIds', 'Select agencies from the list');
  const purposes = choices(body, 'purposes', errors, keys(SHARING_PURPOSES), 'Select purposes from the list');
  if (!purposes.length && !errors.field('purposes')) errors.add('purposes', 'Select what sharing it covers');
  const dataCategories = choices(body, 'dataCategories', errors, keys(DATA_CATEGORIES), 'Select categories from the list');
  if (!dataCategories.length && !errors.field('dataCategories')) errors.add('dataCategories', 'Select the categories of personal data it covers');
  const article6 = choice(body, 'article6', errors, keys(ARTICLE6), 'Select the Article 6 lawful basis');
  const article9 = optionalChoice(body, 'article9', errors, keys(ARTICLE9), 'Select an Article 9 condition from the list');
  const article10 = optionalChoice(body, 'article10', errors, keys(ARTICLE10), 'Select an Article 10 basis from the list');
  const schedule1 = optionalChoice(body, 'schedule1', errors, keys(SCHEDULE1), 'Select a Schedule 1 condition from the list');
  if ((dataCategories.includes('health') || dataCategories.includes('ethnicity')) && !article9) errors.add('article9', 'Special category data needs an Article 9 condition');
  if ((dataCategories.includes('criminal_offence') || dataCategories.includes('intelligence')) && !article10) errors.add('article10', 'Criminal offence data needs its Article 10 basis');
  if ((article9 === 'g' || article10) && !schedule1) errors.add('schedule1', 'Say which Data Protection Act 2018 Schedule 1 condition it relies on');
  const startsOn = dateInput(body, 'startsOn', errors, { label: 'The start date', required: true, minYear: 2000 });
  const reviewOn = dateInput(body, 'reviewOn', errors, { label: 'The review date', required: true, minYear: 2000 });
  const endsOn = dateInput(body, 'endsOn', errors, { label: 'The end date', required: false, minYear: 2000 });
  if (startsOn && reviewOn && reviewOn < startsOn) errors.add('reviewOn-day', 'The review date must be on or after the start date');
  if (startsOn && endsOn && endsOn < startsOn) errors.add('endsOn-day', 'The end date must be on or after the start date');
  const signatories = text(body, 'signatories', errors, { label: 'Who signed it', required: true, max: 2000, missing: 'Enter who signed it for each agency' });
  const document = text(body, 'document', errors, { label: 'Where the signed document is kept', required: true, max: 500, missing: 'Enter where the signed document is kept' });
  if (!title || !article6 || !startsOn || !reviewOn || !signatories || !document || errors.any) return null;
  return { title, partyAgencyIds: [...new Set(parties)], purposes, dataCategories, article6, article9, article10, schedule1, startsOn, reviewOn, endsOn, signatories, document };
}

const columns = (input: AgreementInput) => ({
  title: input.title,
  party_agency_ids: input.partyAgencyIds,
  purposes: input.purposes,
  data_categories: input.dataCategories,
  article6: input.article6,
  article9: input.article9,
  article10: input.article10,
  schedule1: input.schedule1,
  starts_on: input.startsOn,
  review_on: input.reviewOn,
  ends_on: input.endsOn,
  signatories: input.signatories,
  document: input.document,
});

export async function recordAgreement(trx: Transaction<DB>, userId: string | null, input: AgreementInput): Promise<string> {
  return (await trx.insertInto('sharing_agreement').values({ ...columns(input), recorded_by: userId }).returning('id').executeTakeFirstOrThrow()).id;
}

/** Changes an agreement from the version the form read (a stale save throws StaleVersion). */
export async function changeAgreement(trx: Transaction<DB>, id: string, version: number | null, input: AgreementInput): Promise<void> {
  await claimVersion(trx, 'sharing_agreement', id, version);
  await trx.updateTable('sharing_agreement').set(columns(input)).where('id', '=', id).execute();
}

export type Coverage = { covered: true; agreementId: string | null } | { covered: false; words: string };

/**
 * Whether sharing from one agency to another for this purpose is covered
 * today by an agreement in force (begun, not ended). Within one agency
 * nothing is shared. The refusal names what is missing: no agreement, one
 * not yet begun, or one that has ended.
 */
export async function agreementCovering(db: Db, fromAgencyId: string, toAgencyId: string, purpose: SharingPurpose, today = londonToday()): Promise<Coverage> {
  if (fromAgencyId === toAgencyId) return { covered: true, agreementId: null };
  const [agreements, agencies] = await Promise.all([
    db
      .selectFrom('sharing_agreement')
      .select(['id', 'title', 'starts_on', 'ends_on'])
      .where((eb) => eb(eb.val(fromAgencyId), '=', eb.fn.any('party_agency_ids')))
      .where((eb) => eb(eb.val(toAgencyId), '=', eb.fn.any('party_agency_ids')))
      .where((eb) => eb(eb.val<string>(purpose), '=', eb.fn.any('purposes')))
      .orderBy('starts_on', 'desc')
      .execute(),
    db.selectFrom('agency').select(['id', 'name']).where('id', 'in', [fromAgencyId, toAgencyId]).execute(),
  ]);
  const inForce = agreements.find((a) => a.starts_on <= today && (a.ends_on === null || a.ends_on >= today));
  if (inForce) return { covered: true, agreementId: inForce.id };
  const name = (id: string) => agencies.find((a) => a.id === id)?.name ?? 'the other agency';
  const between = `${name(fromAgencyId)} and ${name(toAgencyId)}`;
  const what = SHARING_PURPOSES[purpose].toLowerCase();
  const ended = agreements.find((a) => a.ends_on !== null && a.ends_on < today);
  const later = agreements.find((a) => a.starts_on > today);
  if (later) return { covered: false, words: `The data sharing agreement “${later.title}” between ${between} for ${what} starts on ${formatDate(later.starts_on)}: nothing is shared under it before then` };
  if (ended) return { covered: false, words: `The data sharing agreement “${ended.title}” between ${between} for ${what} ended on ${formatDate(ended.ends_on!)}: nothing is shared until the information governance officer records it renewed` };
  return { covered: false, words: `No data sharing agreement in force covers ${what} between ${between}: nothing is shared until the information governance officer records one` };
}

/** Agreements in force whose review falls within the warning days (or has passed), soonest first. */
export function agreementsDue(db: Db, today = londonToday()) {
  return db
    .selectFrom('sharing_agreement')
    .select(['id', 'title', 'review_on', 'ends_on'])
    .where('review_on', '<=', addDays(today, REVIEW_WARNING_DAYS))
    .where((eb) => eb.or([eb('ends_on', 'is', null), eb('ends_on', '>=', today)]))
    .orderBy('review_on')
    .execute();
}

/** The largest signed agreement accepted: a scanned PDF of a few dozen pages. */
export const DOCUMENT_LIMIT_MB = 20;

/** The signed agreement from an upload: a PDF (by its first bytes, not its name), within the limit. */
export function readDocument(body: Body, errors: FormErrors): Buffer | null {
  const file = body.signed;
  if (!Buffer.isBuffer(file) || file.length === 0) {
    errors.add('signed', 'Choose the signed agreement, as a PDF');
    return null;
  }
  if (file.subarray(0, 5).toString('latin1') !== '%PDF-') errors.add('signed', 'The signed agreement must be a PDF');
  else if (file.length > DOCUMENT_LIMIT_MB * 1024 * 1024) errors.add('signed', `The signed agreement must be smaller than ${DOCUMENT_LIMIT_MB} MB`);
  return errors.any ? null : file;
}

/** Keeps the signed copy from the version of the agreement the form read, replacing any before; returns its SHA-256. */
export async function attachDocument(trx: Transaction<DB>, actor: { userId: string }, agreementId: string, version: number | null, pdf: Buffer): Promise<string> {
  await claimVersion(trx, 'sharing_agreement', agreementId, version);
  const sha256 = createHash('sha256').update(pdf).digest('hex');
  const row = { content: pdf, bytes: pdf.length, sha256, uploaded_by: actor.userId, uploaded_at: new Date() };
  await trx
    .insertInto('sharing_agreement_document')
    .values({ agreement_id: agreementId, ...row })
    .onConflict((oc) => oc.column('agreement_id').doUpdateSet(row))
    .execute();
  return sha256;
}

/** The signed copy's facts, without its bytes (for the agreement's page). */
export function documentOf(db: Db, agreementId: string) {
  return db
    .selectFrom('sharing_agreement_document')
    .innerJoin('app_user', 'app_user.id', 'sharing_agreement_document.uploaded_by')
    .select(['sharing_agreement_document.bytes', 'sharing_agreement_document.sha256', 'sharing_agreement_document.uploaded_at', 'app_user.display_name as uploaded_by_name'])
    .where('agreement_id', '=', agreementId)
    .executeTakeFirst();
}
