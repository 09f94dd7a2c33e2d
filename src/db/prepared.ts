// Every parameterised statement Reachable sends to PostgreSQL is a named
// prepared statement on its connection (issue 24, pages at half the CPU).
// The same page asks the same statements every time: PostgreSQL then parses
// and analyses each once per connection instead of once per request, and
// plans it once when a generic plan is as good as a custom one (PostgreSQL's
// plan_cache_mode decides, per statement, from the first five runs).
//
// A statement is named by a hash of its text, so the same text is the same
// statement and a name never stands for two texts. Statements without
// parameters (BEGIN, COMMIT, a migration's script of several statements)
// keep the simple protocol. Each connection keeps at most MAX_PREPARED, and
// a long statement (a bulk insert of many rows) is never kept, so a
// connection's memory in PostgreSQL stays bounded.
//
// PostgreSQL only: the embedded database is one session shared by every
// client of its pool, where a second client would prepare a name the first
// already has.
import { createHash } from 'node:crypto';
import pg from 'pg';

export const MAX_PREPARED = 1000;
const MAX_TEXT = 8000;

export class PreparingClient extends pg.Client {
  /** The statements this connection has named, up to MAX_PREPARED. */
  readonly prepared = new Set<string>();
}

// Assigned rather than declared in the class, so the client keeps node-postgres's overloads.
const query = pg.Client.prototype.query as (...args: unknown[]) => unknown;
PreparingClient.prototype.query = function (this: PreparingClient, ...args: unknown[]) {
  const [text, values, ...rest] = args;
  if (typeof text === 'string' && Array.isArray(values) && values.length > 0 && text.length <= MAX_TEXT) {
    const name = `r${createHash('sha1').update(text).digest('base64url')}`;
    if (this.prepared.has(name) || this.prepared.size < MAX_PREPARED) {
      this.prepared.add(name);
      return query.call(this, { name, text, values }, ...rest);
    }
  }
  return query.apply(this, args);
} as pg.Client['query'];
