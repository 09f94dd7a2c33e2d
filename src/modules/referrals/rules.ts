// Referrals to services (seeds 000 and 002): what a referral must say, and
// the steps it goes through. Nothing about a young person goes to another
// service without recorded consent or a recorded lawful basis for sharing
// without it: the server refuses the referral otherwise, whatever sent it.
import { FormErrors, choice, isUuid, str, text, type Body } from '../../platform/forms.ts';
import { CONSENT_BY, LAWFUL_BASES } from '../urgent-response/consent.ts';

export const REFERRAL_STATUSES = {
  sent: 'Sent',
  accepted: 'Accepted',
  declined: 'Declined',
  waiting_list: 'On the waiting list',
  started: 'Started',
  ended: 'Ended',
  withdrawn: 'Withdrawn',
} as const;
export type ReferralStatus = keyof typeof REFERRAL_STATUSES;

/** How an episode, and with it its referral, ends. */
export const END_REASONS = { completed: 'Completed', disengaged: 'Disengaged', moved: 'Moved away' } as const;
export type EndReason = keyof typeof END_REASONS;

/** What the receiving agency may decide, from which states. */
export const DECISIONS = { accepted: 'Accept', declined: 'Decline', waiting_list: 'Put on the waiting list' } as const;
export type Decision = keyof typeof DECISIONS;
export const DECIDABLE: readonly ReferralStatus[] = ['sent', 'waiting_list'];
export const STARTABLE: readonly ReferralStatus[] = ['accepted'];
export const WITHDRAWABLE: readonly ReferralStatus[] = ['sent', 'waiting_list', 'accepted'];

const keys = <T extends object>(o: T) => Object.keys(o) as (keyof T & string)[];

export const SHARING_BASES = { consent: 'Consent', lawful_basis: 'A lawful basis to share without consent' } as const;

export interface SharingBasis {
  sharing_basis: 'consent' | 'lawful_basis';
  consent_by: 'young_person' | 'parent_carer' | null;
  consent_on: string | null;
  lawful_basis: string | null;
  basis_reason: string | null;
}

export interface ReferralInput {
  serviceId: string;
  reason: string;
  /** Null for a transfer: the consent on the case follows the young person. */
  basis: SharingBasis | null;
  transfer: boolean;
}

/**
 * Reads a referral from a form or an API body. `readDate` reads the consent
 * date in the caller's format (a GOV.UK date input, or ISO 8601 in the API).
 */
export function readReferral(body: Body, errors: FormErrors, readDate: (name: string, label: string) => string | null, options: { transferable: boolean }): ReferralInput | null {
  const serviceId = str(body, 'serviceId');
  if (!isUuid(serviceId)) errors.add('serviceId', 'Select the service to refer to');
  const reason = text(body, 'reason', errors, { label: 'Reason for referral', required: true, max: 4000, missing: 'Say why you are referring the young person and what you hope the service will do' });
  const transfer = options.transferable && str(body, 'transfer') === 'yes';
  const basis = transfer ? null : readSharingBasis(body, errors, readDate);
  if (errors.any || !reason) return null;
  return { serviceId, reason, basis, transfer };
}

function readSharingBasis(body: Body, errors: FormErrors, readDate: (name: string, label: string) => string | null): SharingBasis | null {
  const kind = choice(body, 'sharingBasis', errors, keys(SHARING_BASES), 'Select whether the young person (or their parent or carer) consented, or the lawful basis for sharing without consent');
  if (kind === 'consent') {
    const by = choice(body, 'consentBy', errors, keys(CONSENT_BY), 'Select who gave consent');
    const on = readDate('consentOn', 'Date consent was given');
    return by && on ? { sharing_basis: 'consent', consent_by: by, consent_on: on, lawful_basis: null, basis_reason: null } : null;
  }
  if (kind === 'lawful_basis') {
    const basis = choice(body, 'lawfulBasis', errors, keys(LAWFUL_BASES), 'Select the lawful basis for sharing without consent');
    const reason = text(body, 'basisReason', errors, { label: 'Reason', required: true, max: 2000, missing: 'Say why sharing without consent is necessary and proportionate' });
    return basis && reason ? { sharing_basis: 'lawful_basis', consent_by: null, consent_on: null, lawful_basis: basis, basis_reason: reason } : null;
  }
  return null;
}

export function readDecision(body: Body, errors: FormErrors, isTransfer: boolean) {
  const decision = choice(body, 'decision', errors, keys(DECISIONS), 'Select whether you accept the referral, decline it or put it on the waiting list');
  const reason = text(body, 'decisionReason', errors, { label: 'Reason', required: decision === 'declined', max: 2000, missing: 'Say why the referral is declined, so the referrer can find another service' });
  // A transfer moves a case with the consent given to another agency: the receiving agency confirms it covers its work.
  const consentConfirmed = str(body, 'consentConfirmed') === 'yes';
  if (isTransfer && decision === 'accepted' && !consentConfirmed) errors.add('consentConfirmed', 'Confirm that the consent recorded on the case covers your service’s work, or decline the transfer');
  if (errors.any || !decision) return null;
  return { decision, reason, consentConfirmed };
}
