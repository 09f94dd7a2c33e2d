// Time-based one-time codes (RFC 6238, as authenticator apps use them:
// SHA-1, 6 digits, 30 seconds). Each code works once: the time step of the
// last accepted code is kept and any code at or before it is refused.
import { generateSecret, generateURI, verify, generate } from 'otplib';
import QRCode from 'qrcode';

export const TOTP_ISSUER = 'Reachable';
/** One step either side, for phone clocks that drift (RFC 6238 §5.2). */
const TOLERANCE_SECONDS = 30;

export function newTotpSecret(): string {
  return generateSecret();
}

export async function totpQrCode(secret: string, email: string): Promise<string> {
  const uri = generateURI({ issuer: TOTP_ISSUER, label: email, secret });
  return QRCode.toDataURL(uri, { margin: 2, scale: 6, errorCorrectionLevel: 'M' });
}

/** The secret in groups of four, for typing into an app by hand. */
export function groupedSecret(secret: string): string {
  return secret.replace(/(.{4})/g, '$1 ').trim();
}

/** The accepted code's time step, or null. */
export async function checkTotp(secret: string, code: string, lastStep: number | null, now = Date.now()): Promise<number | null> {
  const token = code.replace(/\s+/g, '');
  if (!/^\d{6}$/.test(token)) return null;
  const result = await verify({
    secret,
    token,
    epoch: Math.floor(now / 1000),
    epochTolerance: TOLERANCE_SECONDS,
    ...(lastStep !== null ? { afterTimeStep: lastStep } : {}),
  });
  // TOTP results carry the time step (RFC 6238's T) of the code that matched.
  return result.valid ? (result as unknown as { timeStep: number }).timeStep : null;
}

export function totpCode(secret: string, now = Date.now()): Promise<string> {
  return generate({ secret, epoch: Math.floor(now / 1000) });
}
