// Durability of the embedded database (issue 24): counts the sync calls
// (fsync, fdatasync, sync_file_range, msync) the process makes for N
// acknowledged commits on a PGlite data folder, under strace. PGlite's sync
// is a no-op, so the answer is expected to be 0: what the README, the
// start-up log and /health say. Run under strace by `npm run bench:durability`.
//
//   strace -f -c -e trace=fsync,fdatasync,sync_file_range,msync node --import tsx bench/durability.ts [COMMITS]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { openDatabase } from '../src/db/database.ts';

const commits = Number(process.argv[2] ?? 50);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reachable-durability-'));
const database = await openDatabase({ dataDir: dir });
try {
  await sql`CREATE TABLE saved (id serial PRIMARY KEY, said text NOT NULL)`.execute(database.db);
  // Marks the start of the counted part in the strace output.
  fs.writeFileSync(path.join(dir, 'counting'), '');
  for (let i = 0; i < commits; i++) await database.db.transaction().execute((trx) => sql`INSERT INTO saved (said) VALUES (${`save ${i}`})`.execute(trx));
  console.log(`${commits} acknowledged commits on the embedded database`);
} finally {
  await database.close();
  fs.rmSync(dir, { recursive: true, force: true });
}
