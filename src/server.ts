// Starts Reachable: configuration, database (embedded unless DATABASE_URL),
// migrations, the borough demo on an empty database, then the web server.
import cluster from 'node:cluster';
import fs from 'node:fs';
import path from 'node:path';
import { DEMO_MARK } from './modules/demo/accounts.ts';
import { loadConfig } from './config.ts';
import { DataFolderLockedError, EMBEDDED_DURABILITY, openDatabase } from './db/database.ts';
import { migrate } from './db/migrate.ts';
import { waitForDatabase } from './db/availability.ts';
import { backfillMatchKeys } from './modules/people/queries.ts';
import { isEmptyDatabase, seedDemo } from './modules/demo/seed.ts';
import { appendOnlyGuardProblem, writeCheckpoint } from './platform/auditAnchor.ts';

// `npm run bench:start` asks for each step's time (START_TIMINGS=1) so the slow one is named.
const phase = process.env.START_TIMINGS ? (step: string) => console.log(`[${(performance.now() / 1000).toFixed(2)} s] ${step}`) : () => {};

// The web app's modules load while the database opens (their loading is read and compiled off the main thread).
const web = Promise.all([import('./app.ts'), import('./modules/urgent-response/sweep.ts')]);
web.catch(() => {}); // a failure is reported where it is awaited

async function main() {
  phase('modules loaded');
  const config = loadConfig();
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  // PostgreSQL may still be starting (or restarting): wait for it rather than exit.
  if (database.kind === 'postgresql') await waitForDatabase(database.db, config.databaseWaitSeconds);
  phase('database open');
  if (cluster.isPrimary) {
    await migrate(database.db);
    phase('migrated');
    // An audit log whose append-only guard is off could be rewritten unseen: refuse to run on it.
    const guard = await appendOnlyGuardProblem(database.db);
    if (guard) {
      console.error(`Reachable will not start: ${guard}. Put it back (as the database owner: ALTER TABLE audit_event ENABLE TRIGGER USER), then run \`reachable audit verify\`.`);
      await database.close();
      process.exit(1);
    }
    // People recorded before the person search keys existed get them once.
    await backfillMatchKeys(database.db);
    if (config.demoSeedOnEmpty && (await isEmptyDatabase(database.db))) {
      console.log('Empty database: loading the Waltham Forest demo partnership…');
      await seedDemo(database.db, { scale: 'borough', seed: 1, progress: (step) => phase(`demo: ${step}`) });
      phase('demo loaded');
    }
    // On PostgreSQL, several processes can share the port: Node renders pages on one core each.
    if (config.workers > 1) {
      await database.close();
      for (let i = 0; i < config.workers; i++) cluster.fork();
      cluster.on('exit', (worker, code) => {
        if (code !== 0) console.error(`worker ${worker.process.pid} stopped (${code}); starting another`);
        if (code !== 0) cluster.fork();
      });
      const stop = () => {
        for (const worker of Object.values(cluster.workers ?? {})) worker?.kill('SIGTERM');
        process.exit(0);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      console.log(`Reachable is running at ${config.publicUrl} with ${config.workers} workers (database: PostgreSQL)`);
      return;
    }
  }
  const [{ buildApp }, { startSweeps }] = await web;
  phase('web modules loaded');
  const app = await buildApp({ config, db: database.db, databaseKind: database.kind });
  phase('app built');
  if (database.kind === 'pglite') {
    const mark = path.join(config.dataDir, DEMO_MARK);
    if (app.demoDatabase) fs.writeFileSync(mark, 'This embedded database is a demo: `reachable demo code` may print its sign-in code.\n');
    else fs.rmSync(mark, { force: true });
  }
  const shutdown = async () => {
    await app.close();
    await database.close();
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  const stopSweeps = startSweeps(database.db, config.sweepIntervalSeconds * 1000, app.log, config.notify && { config: config.notify, publicUrl: config.publicUrl });
  app.addHook('onClose', async () => stopSweeps());
  // The audit log's heads, signed and written outside the database: at start and every few minutes.
  const checkpoint = () => writeCheckpoint(database.db, config.audit).catch((error) => app.log.error({ err: error }, 'audit checkpoint failed'));
  await checkpoint();
  const checkpoints = setInterval(checkpoint, config.audit.checkpointMinutes * 60_000);
  checkpoints.unref();
  app.addHook('onClose', async () => clearInterval(checkpoints));
  await app.listen({ port: config.port, host: config.host });
  if (cluster.isWorker) return;
  console.log(`Reachable is running at ${config.publicUrl} (database: ${database.kind === 'pglite' ? `embedded, in ${config.dataDir}` : 'PostgreSQL'})`);
  if (database.kind === 'pglite') console.log(EMBEDDED_DURABILITY);
}

main().catch((error) => {
  if (error instanceof DataFolderLockedError) console.error(error.message);
  else console.error(error);
  process.exit(1);
});
