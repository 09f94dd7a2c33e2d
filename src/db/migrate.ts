// Numbered plain SQL files in ./migrations, applied in order by Kysely's
// Migrator at start-up and by `reachable db migrate`. Forward only.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Migrator, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';

const migrationsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

/** The migration files in order, by name (the file name without .sql) with their text. */
export function migrationFiles(): { name: string; text: string }[] {
  const files = fs.readdirSync(migrationsDir).filter((f) => /^\d{4}_.+\.sql$/.test(f)).sort();
  return files.map((file) => ({ name: file.replace(/\.sql$/, ''), text: fs.readFileSync(path.join(migrationsDir, file), 'utf8') }));
}

class SqlFileProvider implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    const migrations: Record<string, Migration> = {};
    for (const { name, text } of migrationFiles()) {
      migrations[name] = {
        // No parameters: node-postgres sends it as a simple query, so one file may hold many statements.
        up: async (db) => {
          await sql.raw(text).execute(db);
        },
      };
    }
    return migrations;
  }
}

export async function migrate(db: Kysely<any>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: new SqlFileProvider() });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error;
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
