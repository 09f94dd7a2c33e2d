// Every environment variable Reachable reads, validated once. The README's
// "Configuration" table lists the same names and defaults.
import path from 'node:path';

export interface Config {
  port: number;
  host: string;
  /** Folder holding the embedded PGlite database and its lock. */
  dataDir: string;
  /** When set, PostgreSQL is used instead of the embedded database. */
  databaseUrl: string | undefined;
  /** Idle session timeout (minutes). Issue 2: 30 minutes. */
  sessionIdleMinutes: number;
  /** Absolute session lifetime (hours). Issue 2: 12 hours. */
  sessionAbsoluteHours: number;
  /** Seed the borough demo on an empty database at start-up. */
  demoSeedOnEmpty: boolean;
  /** Served over HTTPS (behind a proxy that terminates TLS): secure cookies and HSTS. */
  https: boolean;
  trustProxy: boolean;
  logLevel: string;
  /** Public base URL, used for set-up links and OIDC redirects. */
  publicUrl: string;
  oidc: { issuer: string; clientId: string; clientSecret: string; name: string } | undefined;
  /** Sign-in attempts allowed per client address per minute. */
  signInRateLimit: number;
  /** Web processes sharing the port (PostgreSQL only: the embedded database belongs to one process). */
  workers: number;
  /** How often the reminder sweep checks the urgent response clocks (issue 3: every minute). */
  sweepIntervalSeconds: number;
  /** How long a start waits for PostgreSQL to answer before giving up (issue 24). */
  databaseWaitSeconds: number;
  /** GOV.UK Notify for reminder emails; without it, reminders stay in the in-app outbox. */
  notify: { apiKey: string; templateId: string; baseUrl: string } | undefined;
  /** A tile server for the maps; without one, maps draw boundaries and cells on a plain background and nothing leaves the machine. */
  mapTiles: { url: string; attribution: string; origin: string } | undefined;
  /** The Chromium that prints products to PDF (issue 25): Debian's, unless CHROMIUM_PATH says otherwise. */
  chromiumPath: string;
  /** Where the audit log's signed checkpoints go, the key that signs them, and how often (issue 17). */
  audit: { checkpointDir: string; keyFile: string; key?: string; checkpointMinutes: number };
}

function int(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 1): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be a whole number of at least ${min} (got "${raw}")`);
  return value;
}

function bool(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no'].includes(raw.toLowerCase())) return false;
  throw new Error(`${name} must be true or false (got "${raw}")`);
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = int(env, 'PORT', 3000, 0);
  const https = bool(env, 'HTTPS', false);
  const oidcIssuer = env.OIDC_ISSUER;
  const oidc = oidcIssuer
    ? {
        issuer: oidcIssuer,
        clientId: required(env, 'OIDC_CLIENT_ID'),
        clientSecret: required(env, 'OIDC_CLIENT_SECRET'),
        name: env.OIDC_NAME || 'your organisation’s account',
      }
    : undefined;
  return {
    port,
    host: env.HOST || '127.0.0.1',
    dataDir: path.resolve(env.DATA_DIR || './data'),
    databaseUrl: env.DATABASE_URL || undefined,
    sessionIdleMinutes: int(env, 'SESSION_IDLE_MINUTES', 30),
    sessionAbsoluteHours: int(env, 'SESSION_ABSOLUTE_HOURS', 12),
    demoSeedOnEmpty: bool(env, 'DEMO_SEED_ON_EMPTY', true),
    https,
    trustProxy: bool(env, 'TRUST_PROXY', false),
    logLevel: env.LOG_LEVEL || 'info',
    publicUrl: (env.PUBLIC_URL || `http://localhost:${port}`).replace(/\/$/, ''),
    oidc,
    signInRateLimit: int(env, 'SIGN_IN_RATE_LIMIT', 10),
    workers: workers(env),
    sweepIntervalSeconds: int(env, 'SWEEP_INTERVAL_SECONDS', 60),
    databaseWaitSeconds: int(env, 'DATABASE_WAIT_SECONDS', 120),
    notify: env.NOTIFY_API_KEY
      ? { apiKey: env.NOTIFY_API_KEY, templateId: requiredWith(env, 'NOTIFY_TEMPLATE_ID', 'NOTIFY_API_KEY'), baseUrl: (env.NOTIFY_BASE_URL || 'https://api.notifications.service.gov.uk').replace(/\/$/, '') }
      : undefined,
    audit: auditAnchors(env),
    chromiumPath: env.CHROMIUM_PATH || '/usr/bin/chromium',
    mapTiles: env.MAP_TILE_URL ? { url: env.MAP_TILE_URL, attribution: requiredWith(env, 'MAP_TILE_ATTRIBUTION', 'MAP_TILE_URL'), origin: tileOrigin(env.MAP_TILE_URL) } : undefined,
  };
}

/**
 * The audit checkpoints live outside the database: by default in a folder
 * beside the embedded database's (DATA_DIR-audit), or ./audit with
 * PostgreSQL. Production should point them at storage the database's
 * administrators cannot write to.
 */
function auditAnchors(env: NodeJS.ProcessEnv): Config['audit'] {
  const base = env.DATABASE_URL ? path.resolve('./audit') : `${path.resolve(env.DATA_DIR || './data')}-audit`;
  return {
    checkpointDir: path.resolve(env.AUDIT_CHECKPOINT_DIR || path.join(base, 'checkpoints')),
    keyFile: path.resolve(env.AUDIT_KEY_FILE || path.join(base, 'signing-key.pem')),
    key: env.AUDIT_SIGNING_KEY || undefined,
    checkpointMinutes: int(env, 'AUDIT_CHECKPOINT_MINUTES', 15),
  };
}

/** The tile server's origin, for the content security policy; {s} subdomains allowed as a wildcard. */
function tileOrigin(url: string): string {
  const parsed = new URL(url.replace(/\{s\}/g, 'a').replace(/\{[xyzr]\}/g, '0'));
  if (parsed.protocol !== 'https:') throw new Error('MAP_TILE_URL must be an https:// URL, like https://tile.example.org/{z}/{x}/{y}.png');
  return url.includes('{s}') ? `https://*.${parsed.host.split('.').slice(1).join('.')}` : parsed.origin;
}

function required(env: NodeJS.ProcessEnv, name: string): string {
  return requiredWith(env, name, 'OIDC_ISSUER');
}

function requiredWith(env: NodeJS.ProcessEnv, name: string, other: string): string {
  const value = env[name];
  if (!value) throw new Error(`${name} is required when ${other} is set`);
  return value;
}

function workers(env: NodeJS.ProcessEnv): number {
  const count = int(env, 'WORKERS', 1);
  if (count > 1 && !env.DATABASE_URL) throw new Error('WORKERS above 1 needs DATABASE_URL: the embedded database can only be opened by one process');
  return count;
}
