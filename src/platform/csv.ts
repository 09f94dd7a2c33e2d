// CSV exports (RFC 4180), with a header row, all through one writer. Text
// cells that a spreadsheet would run as a formula (starting =, +, -, @, tab
// or carriage return) are prefixed with an apostrophe (OWASP: CSV injection);
// numbers are left as numbers. A CSV answer that did not come through sendCsv
// is refused in app.ts, so a new export cannot forget the rule.
import type { FastifyReply, FastifyRequest } from 'fastify';

export type Cell = string | number | boolean | null | undefined | Date;
/** Text made by toCsv: the only kind sendCsv sends. */
export type Csv = string & { readonly __csv: unique symbol };

export const FORMULA_START = /^[=+\-@\t\r]/;

function cell(value: Cell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  let text = value instanceof Date ? value.toISOString() : String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(header: string[], rows: Cell[][]): Csv {
  return ([header, ...rows].map((row) => row.map(cell).join(',')).join('\r\n') + '\r\n') as Csv;
}

const written = new WeakSet<FastifyReply>();

/** Sends an export as a download. */
export function sendCsv(reply: FastifyReply, fileName: string, csv: Csv): FastifyReply {
  written.add(reply);
  return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${fileName.replace(/[^A-Za-z0-9._-]/g, '-')}"`).send(csv);
}

/** True when this reply's CSV came through sendCsv (checked for every CSV answer in app.ts). */
export function wentThroughWriter(reply: FastifyReply): boolean {
  return written.has(reply);
}

/** The CSV export of the page being shown, with the same filters. */
export function exportHref(req: FastifyRequest, path: string): string {
  const query = req.url.includes('?') ? req.url.slice(req.url.indexOf('?')) : '';
  return `${path}${query}`;
}
