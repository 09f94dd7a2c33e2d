// `npm run db:snapshot`: remakes the migrated, empty embedded database that a
// first start copies (snapshot.ts). Run it after adding a migration or
// upgrading PGlite; test/db/snapshot.test.ts says when it is due.
import { openDatabase } from './database.ts';
import { migrate } from './migrate.ts';
import { SNAPSHOT_FILE, writeSnapshot } from './snapshot.ts';

const database = await openDatabase({ dataDir: 'memory://' });
await migrate(database.db);
await writeSnapshot(database.pglite!);
await database.close();
console.log(`wrote ${SNAPSHOT_FILE}`);
