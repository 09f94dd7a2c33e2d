// GOV.UK Notify: email through its API when a key is configured. The key is
// "{name}-{service id}-{secret}" (both UUIDs); each request carries a fresh
// HS256 JWT with iss = the service id and iat = now, signed with the secret
// (Notify refuses tokens more than 30 seconds old). No client library: one
// POST is all Reachable needs. Nothing personal is ever put in an email.
import { createHmac } from 'node:crypto';

export interface NotifyConfig {
  apiKey: string;
  templateId: string;
  baseUrl: string;
}

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const KEY = new RegExp(`^(.+)-(${UUID})-(${UUID})$`, 'i');

export function parseNotifyKey(apiKey: string): { serviceId: string; secret: string } {
  const match = KEY.exec(apiKey.trim());
  if (!match) throw new Error('NOTIFY_API_KEY must be a GOV.UK Notify API key: key name, service ID and secret key, joined by hyphens');
  return { serviceId: match[2], secret: match[3] };
}

const base64url = (data: string | Buffer) => Buffer.from(data).toString('base64url');

export function notifyToken(apiKey: string, now = Date.now()): string {
  const { serviceId, secret } = parseNotifyKey(apiKey);
  const unsigned = `${base64url(JSON.stringify({ typ: 'JWT', alg: 'HS256' }))}.${base64url(JSON.stringify({ iss: serviceId, iat: Math.floor(now / 1000) }))}`;
  return `${unsigned}.${base64url(createHmac('sha256', secret).update(unsigned).digest())}`;
}

/** Sends one email; answers Notify's notification id, or throws with Notify's error. */
export async function sendEmail(config: NotifyConfig, email: { to: string; personalisation: Record<string, string>; reference: string }): Promise<string> {
  const res = await fetch(`${config.baseUrl}/v2/notifications/email`, {
    method: 'POST',
    headers: { authorization: `Bearer ${notifyToken(config.apiKey)}`, 'content-type': 'application/json' },
    body: JSON.stringify({ email_address: email.to, template_id: config.templateId, personalisation: email.personalisation, reference: email.reference }),
    signal: AbortSignal.timeout(10_000),
  });
  const body = (await res.json().catch(() => ({}))) as { id?: string; errors?: { error: string; message: string }[] };
  if (res.status !== 201 || !body.id) throw new Error(`GOV.UK Notify answered ${res.status}: ${(body.errors ?? []).map((e) => `${e.error}: ${e.message}`).join('; ')}`);
  return body.id;
}
