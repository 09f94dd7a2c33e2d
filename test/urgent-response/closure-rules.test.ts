// "No contact after attempts" on both sides of every edge (issue 18): the
// attempts, the channels, and an attempt that reached someone. The hint is
// built from the same constants as the rule, so moving either moves both.
import { describe, expect, it } from 'vitest';
import { closureProblem, NO_CONTACT_MIN_ATTEMPTS, NO_CONTACT_MIN_CHANNELS } from '../../src/modules/urgent-response/rules.ts';

const attempt = (channel: string, outcome = 'no_answer', with_whom = 'young_person') => ({ channel, outcome, with_whom });
const CHANNELS = ['phone', 'letter', 'home', 'text', 'school'];

describe('closing as "no contact"', () => {
  it('is the rule the protocol names: 3 attempts on 2 channels', () => {
    expect([NO_CONTACT_MIN_ATTEMPTS, NO_CONTACT_MIN_CHANNELS]).toEqual([3, 2]);
  });

  it(`refuses ${NO_CONTACT_MIN_ATTEMPTS - 1} attempts on ${NO_CONTACT_MIN_CHANNELS} channels and allows ${NO_CONTACT_MIN_ATTEMPTS}`, () => {
    const fewer = Array.from({ length: NO_CONTACT_MIN_ATTEMPTS - 1 }, (_, i) => attempt(CHANNELS[i % NO_CONTACT_MIN_CHANNELS]));
    expect(closureProblem('no_contact', fewer)).toBe(`To close as “no contact”, record at least ${NO_CONTACT_MIN_ATTEMPTS} attempts on at least ${NO_CONTACT_MIN_CHANNELS} different channels (so far: ${NO_CONTACT_MIN_ATTEMPTS - 1} on ${Math.min(NO_CONTACT_MIN_ATTEMPTS - 1, NO_CONTACT_MIN_CHANNELS)})`);
    const enough = Array.from({ length: NO_CONTACT_MIN_ATTEMPTS }, (_, i) => attempt(CHANNELS[i % NO_CONTACT_MIN_CHANNELS]));
    expect(closureProblem('no_contact', enough)).toBeNull();
  });

  it(`refuses ${NO_CONTACT_MIN_ATTEMPTS} attempts on ${NO_CONTACT_MIN_CHANNELS - 1} channel, and allows them on ${NO_CONTACT_MIN_CHANNELS}`, () => {
    const oneChannel = Array.from({ length: NO_CONTACT_MIN_ATTEMPTS + 2 }, () => attempt('phone'));
    expect(closureProblem('no_contact', oneChannel)).toMatch(/so far: 5 on 1/);
    expect(closureProblem('no_contact', [...oneChannel.slice(1), attempt('letter')])).toBeNull();
  });

  it('refuses it after an attempt that reached the young person or their family, not after one that reached a professional', () => {
    const tried = Array.from({ length: NO_CONTACT_MIN_ATTEMPTS }, (_, i) => attempt(CHANNELS[i]));
    expect(closureProblem('no_contact', [...tried, attempt('home', 'reached', 'young_person')])).toMatch(/reached the young person or their family/);
    expect(closureProblem('no_contact', [...tried, attempt('phone', 'reached', 'parent_carer')])).toMatch(/reached/);
    expect(closureProblem('no_contact', [...tried, attempt('phone', 'reached', 'professional')])).toBeNull();
    expect(closureProblem('no_contact', [...tried, attempt('phone', 'refused', 'young_person')])).toBeNull();
  });

  it('asks nothing of the other reasons', () => {
    expect(closureProblem('declined', [])).toBeNull();
    expect(closureProblem('supported', [])).toBeNull();
  });
});
