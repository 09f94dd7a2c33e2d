// Passwords: Argon2id hashes (OWASP's parameters), and the NCSC's advice on
// rules: length over complexity, no composition rules, a blocklist of the
// most common passwords, no forced expiry.
import { createRequire } from 'node:module';
import { hash, verify } from '@node-rs/argon2';

const require = createRequire(import.meta.url);
const commonPasswords: { test(password: string): boolean } = require('fxa-common-password-list');

// OWASP Password Storage Cheat Sheet: Argon2id, 19 MiB, 2 iterations, 1 lane.
// algorithm 2 is Argon2id in @node-rs/argon2's Algorithm enum (a const enum, so spelled out here).
const ARGON2 = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

/** NCSC: a minimum length is the rule that matters; 12 lets three random words through. */
export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 256;

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2);
}

export async function verifyPassword(hashed: string, password: string): Promise<boolean> {
  try {
    return await verify(hashed, password);
  } catch {
    return false;
  }
}

// Checked against when the email is unknown, so both answers take an Argon2 verification's time.
let dummyHash: Promise<string> | undefined;
export function timingDummyHash(): Promise<string> {
  dummyHash ??= hashPassword('not a real password: for equal timing only');
  return dummyHash;
}

/** Why a new password is not acceptable, or null if it is. */
export function passwordProblem(password: string, email: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `Password must be ${MIN_PASSWORD_LENGTH} characters or more`;
  if (password.length > MAX_PASSWORD_LENGTH) return `Password must be ${MAX_PASSWORD_LENGTH} characters or fewer`;
  const lower = password.toLowerCase();
  const stripped = lower.replace(/[^a-z0-9]/g, '');
  if (commonPasswords.test(password) || commonPasswords.test(lower) || (stripped.length >= 6 && commonPasswords.test(stripped))) {
    return 'Password is too common: try three random words';
  }
  if (new Set(password).size <= 2) return 'Password must not be one or two characters repeated';
  const local = email.split('@')[0]?.toLowerCase();
  if (local && local.length >= 4 && lower.includes(local)) return 'Password must not contain your email address';
  if (lower.includes('reachable')) return 'Password must not contain the name of this service';
  return null;
}
