// CSV exports (RFC 4180), with a header row. Cells that a spreadsheet would
// run as a formula are prefixed with an apostrophe (OWASP: CSV injection).
import type { FastifyRequest } from 'fastify';

type Cell = string | number | boolean | null | undefined | Date;

function cell(value: Cell): string {
  if (value === null || value === undefined) return '';
  let text = value instanceof Date ? value.toISOString() : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(header: string[], rows: Cell[][]): string {
  return [header, ...rows].map((row) => row.map(cell).join(',')).join('\r\n') + '\r\n';
}

/** The CSV export of the page being shown, with the same filters. */
export function exportHref(req: FastifyRequest, path: string): string {
  const query = req.url.includes('?') ? req.url.slice(req.url.indexOf('?')) : '';
  return `${path}${query}`;
}
