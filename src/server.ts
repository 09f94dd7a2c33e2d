// Starts Reachable: configuration, database (embedded unless DATABASE_URL),
// migrations, the borough demo on an empty database, then the web server.
import { loadConfig } from './config.ts';
import { DataFolderLockedError, openDatabase } from './db/database.ts';
import { migrate } from './db/migrate.ts';
import { buildApp } from './app.ts';
import { isEmptyDatabase, seedDemo } from './modules/demo/seed.ts';

async function main() {
  const config = loadConfig();
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  await migrate(database.db);
  if (config.demoSeedOnEmpty && (await isEmptyDatabase(database.db))) {
    console.log('Empty database: loading the Waltham Forest demo partnership…');
    await seedDemo(database.db, { scale: 'borough', seed: 1 });
  }
  const app = await buildApp({ config, db: database.db, databaseKind: database.kind });
  const shutdown = async () => {
    await app.close();
    await database.close();
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  await app.listen({ port: config.port, host: config.host });
  console.log(`Reachable is running at ${config.publicUrl} (database: ${database.kind === 'pglite' ? `embedded, in ${config.dataDir}` : 'PostgreSQL'})`);
}

main().catch((error) => {
  if (error instanceof DataFolderLockedError) console.error(error.message);
  else console.error(error);
  process.exit(1);
});
