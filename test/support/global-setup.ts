// Once per run and engine: a migrated database for each test file to start
// from. PGlite: a dump of a migrated data folder (opening and migrating a
// fresh one costs seconds). PostgreSQL: a template database to copy.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../src/db/database.ts';
import { migrate } from '../../src/db/migrate.ts';

export default async function setup(project: TestProject) {
  const engine = project.config.env.REACHABLE_TEST_ENGINE;
  const run = `${process.pid}_${Date.now().toString(36)}`;
  if (engine === 'postgresql') {
    const url = project.config.env.REACHABLE_TEST_POSTGRES_URL!;
    const template = `reachable_test_${run}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${template}`);
    const database = await openDatabase({ databaseUrl: withDatabase(url, template) });
    await migrate(database.db);
    await database.close();
    project.provide('postgresTemplate', template);
    return async () => {
      const { rows } = await admin.query(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [`reachable_test_${run}%`]);
      for (const { datname } of rows.sort((a, b) => b.datname.length - a.datname.length)) {
        await admin.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
      }
      await admin.end();
    };
  }
  const database = await openDatabase({ dataDir: 'memory://' });
  await migrate(database.db);
  const dump = await database.pglite!.dumpDataDir('gzip');
  await database.close();
  const file = path.join(os.tmpdir(), `reachable-template-${run}.tar.gz`);
  fs.writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  project.provide('pgliteTemplate', file);
  return () => fs.rmSync(file, { force: true });
}

export function withDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
    postgresTemplate: string;
  }
}
