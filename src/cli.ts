// The `reachable` command line: database, users, API clients, audit, demo.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sql, type Kysely } from 'kysely';
import { loadConfig } from './config.ts';
import { DataFolderLockedError, openDatabase, type Database } from './db/database.ts';
import { migrate } from './db/migrate.ts';
import { backfillMatchKeys } from './modules/people/queries.ts';
import type { DB } from './db/schema.ts';
import { verifyAuditChain, recordAudit } from './platform/audit.ts';
import { cutOf, readCheckpoints, verifyAudit } from './platform/auditAnchor.ts';
import { removeApprovedAudit } from './modules/governance/retention.ts';
import { isRole, ROLES, type Role } from './platform/permissions.ts';
import { isDemoDatabase } from './platform/settings.ts';
import { totpCode } from './platform/totp.ts';
import { AGENCY_KIND_CODES, createApiClient, createUser, findAgencyByName, isEmailTaken, setupLink } from './modules/access/accounts.ts';
import { seedDemo, type Scale } from './modules/demo/seed.ts';
import { DEMO_MARK, DEMO_TOTP_SECRET } from './modules/demo/accounts.ts';
import { CountsError, readGroupCounts, rriCsv } from './analysis/rri.ts';
import { FileProblems } from './analysis/csvRead.ts';
import { networkMeasures, readLinks } from './analysis/networkMeasures.ts';
import { BETWEENNESS_SAMPLE, EXACT_BETWEENNESS_LIMIT } from './analysis/graph.ts';
import { giCsv, kdeCsv, paiCsv } from './analysis/hotSpots.ts';
import { knoxCsv, readBands } from './analysis/nearRepeats.ts';
import { IMPORTS, saveImport, type ImportKind } from './modules/crime-data/imports.ts';
import { ISTV_COLUMNS } from './modules/crime-data/istv.ts';

const HELP = `reachable: the Reachable command line

  reachable db migrate
      apply any new database migrations
  reachable db grant-app-role ROLE
      (PostgreSQL) grant the service's database role what it needs, and only
      INSERT and SELECT on the audit log
  reachable db backup FILE.tar.gz
      (embedded database) write a consistent copy of the data folder
  reachable db restore FILE.tar.gz
      (embedded database) restore a backup into DATA_DIR, which must not exist yet
  reachable user create --agency NAME --role ROLE [--role ROLE…] --email EMAIL
                        [--name "Full Name"] [--agency-kind KIND]
      create a user and print their one-time set-up link (with --agency-kind,
      the agency is created if it does not exist: ${AGENCY_KIND_CODES.join(', ')})
  reachable api-client create --agency NAME --role ROLE --name LABEL
      issue an API credential for a partner system and print it once
  reachable audit verify
      check the audit log's hash chain
  reachable audit expire
      (as the database owner) remove the months of the audit log the
      information governance officer approved on the Retention page
  reachable demo seed --scale borough|london [--seed N]
      load the demonstration partnership into an empty database
  reachable demo code
      print the current sign-in code for the demo accounts (demo databases only)
  reachable import police-street FILE…
  reachable import stop-search FILE…
  reachable import istv FILE…
  reachable import lsoa-boundaries FILE…
      import police.uk street-level crime files (the twelve published
      columns), stop and search files (the fifteen), ISTV files from an
      emergency department (columns: ${ISTV_COLUMNS.join(',')}) or the ONS
      LSOA boundaries (GeoJSON), all or nothing: every problem is named by
      file and line (or feature) and nothing is saved; importing a file again
      adds nothing. ISTV places are matched to named places; the rest wait
      for an analyst
  reachable analyse rri --input groups.csv --reference GROUP [--out FILE]
      relative rate index with its 95% confidence interval (Katz log method)
      for each group against the reference: reads group,events,population and
      writes group,rate,rri,ci_low,ci_high (to standard output without --out)
  reachable network measures --input links.csv [--out people.csv] [--sample K] [--seed N]
      reads an undirected link list (source,target) and writes
      id,degree,betweenness,pagerank,community: betweenness normalised as
      networkx's betweenness_centrality(normalized=True), exact up to ${EXACT_BETWEENNESS_LIMIT.toLocaleString('en-GB')}
      people and sampled from K sources beyond (default ${BETWEENNESS_SAMPLE}); PageRank with
      damping 0.85; Louvain communities numbered by size. A summary goes to
      standard error.
  reachable analyse gi --input features.csv --distance D [--self-excluded] [--out result.csv]
      Getis-Ord Gi* z-scores (Gi with --self-excluded) with binary weights for
      features within D metres (inclusive): reads id,x,y,value (metres) and
      writes id,z,p (p two-sided, normal), as R's spdep::localG with
      dnearneigh(0, D) (and include.self() for Gi*)
  reachable analyse kde --input points.csv [--cell-size M] [--radius M] [--out grid.csv]
      quartic kernel density as ArcGIS's Kernel Density tool: reads id,x,y
      (metres) and writes x,y,density (cell centres, per square kilometre);
      the cell size defaults to the extent's shorter side over 250 and the
      radius to ArcGIS's spatial rule of thumb
  reachable analyse pai --input cells.csv [--out result.csv]
      how well a hot spot map predicted: reads id,score,count (score from the
      first period, count of events in the next) and writes
      coverage,cells,captured,total,pai,pei for the top 1%, 5% and 10% of cells
  reachable analyse knox --input events.csv --space-bands 200,400,600 --time-bands 7,14,21
                         [--iterations 999] [--seed N] [--manhattan] [--out result.csv]
      the Knox near repeat test as the Near Repeat Calculator runs it: reads
      id,x,y,date (metres, YYYY-MM-DD) and writes
      space_band,time_band,observed,expected,knox_ratio,p for every cell (a
      same-location row first; dates shuffled among events N times from the
      seed); the plain-words summary goes to standard error

Roles: ${ROLES.join(', ')}
The database is the one the server uses: DATABASE_URL, or the embedded one in DATA_DIR.`;

async function withDatabase<T>(work: (db: Kysely<DB>, database: Database) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: 2 });
  try {
    await migrate(database.db);
    await backfillMatchKeys(database.db);
    return await work(database.db, database);
  } finally {
    await database.close();
  }
}

/** True while another live process holds the embedded data folder. */
function isLocked(dataDir: string): boolean {
  try {
    const holder = Number(fs.readFileSync(path.join(dataDir, 'reachable.lock'), 'utf8'));
    if (!holder || holder === process.pid) return false;
    process.kill(holder, 0);
    return true;
  } catch {
    return false;
  }
}

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

/** An analyst's file, read whole; a file with problems gives them, each named by line, instead of its rows. */
function tryInput<T>(file: string, read: (text: string) => T, outcome = 'nothing was computed'): { value: T } | { problem: string } {
  try {
    return { value: read(fs.readFileSync(file, 'utf8')) };
  } catch (error) {
    if (error instanceof FileProblems || error instanceof CountsError) return { problem: `${file}: ${outcome}:\n${error.message}` };
    if (error instanceof RangeError) return { problem: `${file}: ${error.message}` };
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { problem: `${file}: no such file` };
    throw error;
  }
}

/** As tryInput, stopping the command on a problem (before any database is open). */
function readInput<T>(file: string, read: (text: string) => T, outcome?: string): T {
  const got = tryInput(file, read, outcome);
  if ('problem' in got) fail(got.problem);
  return got.value;
}

/** A progress bar on standard error, redrawn in place: "saving [#####     ] 50,000 of 100,000". */
function progressBar(label: string) {
  return (done: number, total: number) => {
    const width = 30;
    const filled = total ? Math.round((done / total) * width) : width;
    process.stderr.write(`\r${label} [${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${done.toLocaleString('en-GB')} of ${total.toLocaleString('en-GB')} rows`);
  };
}

function writeOutput(file: string | undefined, text: string): void {
  if (file) fs.writeFileSync(file, text);
  else process.stdout.write(text);
}

function roleList(values: string[] | undefined): Role[] {
  if (!values?.length) fail('Give at least one --role');
  for (const role of values) if (!isRole(role)) fail(`Unknown role "${role}". Roles: ${ROLES.join(', ')}`);
  return values as Role[];
}

/** The options each command takes (--out and --output are one option). */
const OUT = ['out', 'output'];
const OPTIONS: Record<string, string[]> = {
  'db migrate': [],
  'db backup': [],
  'db restore': [],
  'db grant-app-role': [],
  'user create': ['agency', 'agency-kind', 'role', 'email', 'name'],
  'api-client create': ['agency', 'role', 'name'],
  'audit verify': [],
  'audit expire': [],
  'demo seed': ['scale', 'seed'],
  'demo code': [],
  'import police-street': [],
  'import stop-search': [],
  'import istv': [],
  'import lsoa-boundaries': [],
  'analyse rri': ['input', 'reference', ...OUT],
  'analyse gi': ['input', 'distance', 'self-excluded', ...OUT],
  'analyse kde': ['input', 'cell-size', 'radius', ...OUT],
  'analyse pai': ['input', ...OUT],
  'analyse knox': ['input', 'space-bands', 'time-bands', 'iterations', 'seed', 'manhattan', ...OUT],
  'network measures': ['input', 'sample', 'seed', ...OUT],
};

async function main(argv: string[]): Promise<number> {
  const [group, command, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      agency: { type: 'string' },
      'agency-kind': { type: 'string' },
      role: { type: 'string', multiple: true },
      email: { type: 'string' },
      name: { type: 'string' },
      scale: { type: 'string' },
      input: { type: 'string' },
      reference: { type: 'string' },
      output: { type: 'string' },
      out: { type: 'string' },
      sample: { type: 'string' },
      seed: { type: 'string' },
      distance: { type: 'string' },
      'self-excluded': { type: 'boolean' },
      'space-bands': { type: 'string' },
      'time-bands': { type: 'string' },
      iterations: { type: 'string' },
      manhattan: { type: 'boolean' },
      'cell-size': { type: 'string' },
      radius: { type: 'string' },
    },
  });
  const config = loadConfig();
  const name = `${group ?? ''} ${command ?? ''}`.trim();
  // Each command takes its own options: one that is not its own is an error, never ignored.
  const unknown = Object.keys(values).filter((option) => OPTIONS[name] && !OPTIONS[name].includes(option));
  if (unknown.length) fail(`reachable ${name} has no option ${unknown.map((o) => `--${o}`).join(', ')}. Its options: ${OPTIONS[name].map((o) => `--${o}`).join(', ') || 'none'}`);
  switch (name) {
    case 'db migrate':
      return withDatabase(async () => {
        console.log('migrations applied: database is up to date');
        return 0;
      });
    case 'db backup': {
      const file = positionals[0];
      if (!file) fail('Give the file to write, like: reachable db backup reachable-2026-11-21.tar.gz');
      if (config.databaseUrl) fail('With DATABASE_URL set, back up PostgreSQL with pg_dump (see the README)');
      return withDatabase(async (_db, database) => {
        const dump = await database.pglite!.dumpDataDir('gzip');
        fs.writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
        console.log(`backup written to ${file}`);
        return 0;
      });
    }
    case 'db restore': {
      const file = positionals[0];
      if (!file || !fs.existsSync(file)) fail('Give a backup file made by `reachable db backup`');
      if (config.databaseUrl) fail('With DATABASE_URL set, restore PostgreSQL with pg_restore (see the README)');
      if (fs.existsSync(path.join(config.dataDir, 'pgdata'))) fail(`${config.dataDir} already holds a database: restore into a new DATA_DIR, or move the old one away first`);
      const database = await openDatabase({ dataDir: config.dataDir, loadDataDir: new Blob([fs.readFileSync(file)]) });
      try {
        await migrate(database.db);
        // From where each lane starts after any audit expiry (the signed cuts); later checkpoints may postdate the backup.
        const check = await verifyAuditChain(database.db, { cut: cutOf(readCheckpoints(config.audit).checkpoints) });
        console.log(`restored into ${config.dataDir}; audit chain ${check.intact ? `intact: ${check.count} events` : `BROKEN at event ${check.seq}`}`);
      } finally {
        await database.close();
      }
      return 0;
    }
    case 'db grant-app-role': {
      const role = positionals[0];
      if (!role || !/^[a-z_][a-z0-9_]*$/.test(role)) fail('Give the role name, like: reachable db grant-app-role reachable_app');
      return withDatabase(async (db, database) => {
        if (database.kind !== 'postgresql') fail('Roles apply to PostgreSQL only: set DATABASE_URL');
        await grantAppRole(db, role);
        console.log(`${role} may read and write Reachable's tables, and only INSERT and SELECT on audit_event`);
        return 0;
      });
    }
    case 'user create': {
      if (!values.agency || !values.email) fail('Usage: reachable user create --agency NAME --role ROLE --email EMAIL');
      const roles = roleList(values.role);
      return withDatabase(async (db) => {
        let agency = await findAgencyByName(db, values.agency!);
        if (!agency && values['agency-kind']) {
          if (!(AGENCY_KIND_CODES as string[]).includes(values['agency-kind'])) fail(`--agency-kind must be one of ${AGENCY_KIND_CODES.join(', ')}`);
          await db.insertInto('agency').values({ name: values.agency!, kind: values['agency-kind'] }).execute();
          agency = await findAgencyByName(db, values.agency!);
        }
        if (!agency) fail(`No agency called "${values.agency}". Add --agency-kind KIND to create it.`);
        if (await isEmailTaken(db, values.email!)) fail(`A user with the email ${values.email} already exists`);
        const user = await db.transaction().execute(async (trx) => {
          const user = await createUser(trx, { agencyId: agency!.id, email: values.email!, displayName: values.name ?? values.email!, roles });
          await recordAudit(trx, { agencyId: agency!.id }, { action: 'user.create', recordType: 'user', recordId: user.id, detail: { via: 'command line', roles } });
          return user;
        });
        console.log(`User created. Send them this one-time set-up link (valid for 7 days):\n${setupLink(config.publicUrl, user.setupToken)}`);
        return 0;
      });
    }
    case 'api-client create': {
      if (!values.agency || !values.name) fail('Usage: reachable api-client create --agency NAME --role ROLE --name LABEL');
      const [role] = roleList(values.role);
      return withDatabase(async (db) => {
        const agency = await findAgencyByName(db, values.agency!);
        if (!agency) fail(`No agency called "${values.agency}"`);
        const client = await db.transaction().execute(async (trx) => {
          const client = await createApiClient(trx, { agencyId: agency.id, name: values.name!, role, createdBy: null });
          await recordAudit(trx, { agencyId: agency.id }, { action: 'api-client.create', recordType: 'api_client', recordId: client.id, detail: { via: 'command line' } });
          return client;
        });
        console.log(`API credential for "${values.name}" (${agency.name}, ${role}). It is shown only now:\n${client.secret}`);
        return 0;
      });
    }
    case 'audit verify':
      return withDatabase(async (db) => {
        const result = await verifyAudit(db, config.audit, { checkpoint: true });
        if (result.intact) {
          console.log(`audit chain intact: ${result.count} events, matching ${result.checkpoints} signed checkpoint${result.checkpoints === 1 ? '' : 's'}; a new checkpoint is written to ${config.audit.checkpointDir}`);
          return 0;
        }
        const where = result.seq !== undefined ? ` at event ${result.seq} (chain ${result.chain}, position ${result.position})` : '';
        console.error(`audit log NOT intact${where}: ${result.problem}`);
        return 1;
      });
    case 'audit expire':
      return withDatabase(async (db) => {
        const result = await removeApprovedAudit(db, config.audit);
        if (!result) {
          console.log('No months of the audit log are approved for removal: the information governance officer approves them on the Retention page');
          return 0;
        }
        if ('refused' in result) {
          console.error(`nothing removed: ${result.refused}`);
          return 1;
        }
        console.log(`removed ${result.removed} audit events (${result.months.join(', ')}) from ${result.lanes} lanes; a signed checkpoint records where each lane now starts, and reachable audit verify starts there`);
        return 0;
      });
    case 'demo seed': {
      const scale = (values.scale ?? 'borough') as Scale;
      if (scale !== 'borough' && scale !== 'london') fail('--scale must be borough or london');
      const seed = Number(values.seed ?? '1');
      if (!Number.isInteger(seed)) fail('--seed must be a whole number');
      return withDatabase(async (db) => {
        const started = Date.now();
        const counts = await seedDemo(db, { scale, seed, progress: (m) => console.log(`  ${m} (${((Date.now() - started) / 1000).toFixed(1)} s)`) });
        console.log(`demo seeded: ${counts.people} people, ${counts.incidents} incidents in ${((Date.now() - started) / 1000).toFixed(1)} s`);
        return 0;
      });
    }
    case 'import police-street':
    case 'import stop-search':
    case 'import istv':
    case 'import lsoa-boundaries': {
      const kind = ({ 'police-street': 'police_street', 'stop-search': 'stop_search', istv: 'istv', 'lsoa-boundaries': 'lsoa_boundaries' } as const)[command as 'istv'] as ImportKind;
      const { label, reader } = IMPORTS[kind];
      if (!positionals.length) fail(`Give one or more ${label} files`);
      return withDatabase(async (db) => {
        // Every file is read and checked before anything is saved: one bad row anywhere and nothing goes in.
        const read = await reader(db);
        const files = [];
        for (const file of positionals) {
          const got = tryInput(file, read, 'nothing was imported (from this or any other file)');
          if ('problem' in got) {
            console.error(got.problem);
            return 2;
          }
          files.push({ fileName: path.basename(file), rows: got.value });
        }
        const started = Date.now();
        const results = await saveImport(db, {}, kind, files, progressBar('saving'));
        process.stderr.write('\n');
        for (const r of results) console.log(`${r.fileName}: ${r.read.toLocaleString('en-GB')} rows read, ${r.added.toLocaleString('en-GB')} new`);
        const seconds = (Date.now() - started) / 1000;
        const rows = results.reduce((s, r) => s + r.read, 0);
        console.log(`saved in ${seconds.toFixed(1)} s (${Math.round(rows / Math.max(seconds, 0.001)).toLocaleString('en-GB')} rows a second)`);
        return 0;
      });
    }
    case 'analyse rri': {
      if (!values.input || !values.reference) fail('Give --input FILE and --reference GROUP');
      const reference = values.reference;
      writeOutput(values.out ?? values.output, readInput(values.input, (text) => rriCsv(readGroupCounts(text), reference)));
      return 0;
    }
    case 'analyse gi': {
      if (!values.input || values.distance === undefined) fail('Give --input features.csv (columns id,x,y,value) and --distance D (metres)');
      const distance = Number(values.distance);
      if (!Number.isFinite(distance) || distance < 0) fail('--distance must be a number of metres, 0 or more');
      const csv = readInput(values.input, (text) => giCsv(text, distance, Boolean(values['self-excluded'])));
      writeOutput(values.out ?? values.output, csv);
      return 0;
    }
    case 'analyse kde': {
      if (!values.input) fail('Give --input points.csv (columns id,x,y)');
      const metres = (name: 'cell-size' | 'radius') => {
        if (values[name] === undefined) return undefined;
        const n = Number(values[name]);
        if (!Number.isFinite(n) || n <= 0) fail(`--${name} must be a number of metres, more than 0`);
        return n;
      };
      const options = { cellSize: metres('cell-size'), radius: metres('radius') };
      const run = readInput(values.input, (text) => kdeCsv(text, options));
      writeOutput(values.out ?? values.output, run.csv);
      console.error(run.summary);
      return 0;
    }
    case 'analyse pai': {
      if (!values.input) fail('Give --input cells.csv (columns id,score,count)');
      writeOutput(values.out ?? values.output, readInput(values.input, paiCsv));
      return 0;
    }
    case 'analyse knox': {
      if (!values.input || !values['space-bands'] || !values['time-bands']) fail('Give --input events.csv (columns id,x,y,date), --space-bands (metres, like 200,400,600) and --time-bands (days, like 7,14,21)');
      const spaceBands = readBands(values['space-bands'], '--space-bands');
      const timeBands = readBands(values['time-bands'], '--time-bands');
      if (typeof spaceBands === 'string') fail(spaceBands);
      if (typeof timeBands === 'string') fail(timeBands);
      const iterations = Number(values.iterations ?? 999);
      const seed = Number(values.seed ?? 1);
      if (!Number.isInteger(iterations) || iterations < 1 || iterations > 100_000) fail('--iterations must be a whole number from 1 to 100000');
      if (!Number.isInteger(seed)) fail('--seed must be a whole number');
      const run = readInput(values.input, (text) => knoxCsv(text, { spaceBands, timeBands, iterations, seed, metric: values.manhattan ? 'manhattan' : 'euclidean' }));
      writeOutput(values.out ?? values.output, run.csv);
      console.error(run.summary.join('\n'));
      return 0;
    }
    case 'network measures': {
      if (!values.input) fail('Give --input links.csv (columns source,target)');
      const numberOption = (name: 'seed' | 'sample') => {
        if (values[name] === undefined) return undefined;
        const n = Number(values[name]);
        if (!Number.isInteger(n) || n < 1) fail(`--${name} must be a whole number of at least 1`);
        return n;
      };
      const links = readInput(values.input, readLinks);
      const run = await networkMeasures(links, { seed: numberOption('seed'), sample: numberOption('sample') });
      writeOutput(values.out ?? values.output, run.csv);
      console.error(run.summary);
      return 0;
    }
    case 'demo code':
      // Beside a running server the embedded folder is locked: the server's mark says whether it is a demo.
      if (!config.databaseUrl && isLocked(config.dataDir)) {
        if (!fs.existsSync(path.join(config.dataDir, DEMO_MARK))) fail('This is not a demo database: there is no demo code.');
        console.log(await totpCode(DEMO_TOTP_SECRET));
        return 0;
      }
      return withDatabase(async (db) => {
        if (!(await isDemoDatabase(db))) fail('This is not a demo database: there is no demo code.');
        console.log(await totpCode(DEMO_TOTP_SECRET));
        return 0;
      });
    default:
      console.log(HELP);
      return group ? 2 : 0;
  }
}

/** The service's role: full use of every table but the audit log, which it may only add to and read. */
async function grantAppRole(db: Kysely<DB>, role: string): Promise<void> {
  const name = sql.id(role);
  await sql`DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = ${sql.lit(role)}) THEN CREATE ROLE ${name} LOGIN; END IF; END $$`.execute(db);
  await sql`GRANT USAGE ON SCHEMA public TO ${name}`.execute(db);
  await sql`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${name}`.execute(db);
  await sql`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${name}`.execute(db);
  await sql`REVOKE UPDATE, DELETE, TRUNCATE ON audit_event FROM ${name}`.execute(db);
  await sql`GRANT SELECT, INSERT ON audit_event TO ${name}`.execute(db);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    console.error(error instanceof DataFolderLockedError ? error.message : error);
    process.exit(1);
  },
);
