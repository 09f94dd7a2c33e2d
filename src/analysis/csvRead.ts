// Reading CSV files people bring in (RFC 4180: quoted cells may hold commas,
// quotes and line breaks, as spreadsheets write them). Each record keeps the
// line it starts on, so every import can name the line of each problem.

export interface CsvRecord {
  line: number;
  cells: string[];
}

export function readCsv(text: string): CsvRecord[] {
  // Line breaks as \n only (a spreadsheet's \r\n, an old Mac's \r), so each line ends at the next \n.
  const unmarked = text.replace(/^\uFEFF/, '');
  const src = unmarked.includes('\r') ? unmarked.replace(/\r\n?/g, '\n') : unmarked;
  const records: CsvRecord[] = [];
  let pos = 0;
  let line = 1;
  while (pos < src.length) {
    let end = src.indexOf('\n', pos);
    if (end === -1) end = src.length;
    const row = src.slice(pos, end);
    if (!row.includes('"')) {
      // Most rows have no quotes: splitting them directly is many times faster on files of millions of rows.
      if (row.trim() !== '' || row.includes(',')) records.push({ line, cells: row.split(',') });
      pos = end + 1;
      line++;
      continue;
    }
    const quoted = readQuoted(src, pos);
    if (quoted.cells.length > 1 || quoted.cells[0].trim() !== '') records.push({ line, cells: quoted.cells });
    line += quoted.lines;
    pos = quoted.next;
  }
  return records;
}

/** One record with quoted cells, which may hold commas, doubled quotes and line breaks; where the next record starts. */
function readQuoted(src: string, from: number): { cells: string[]; next: number; lines: number } {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  let lines = 1;
  for (let i = from; i < src.length; i++) {
    const ch = src[i];
    if (quoted) {
      if (ch === '"' && src[i + 1] === '"') (cell += '"'), i++;
      else if (ch === '"') quoted = false;
      else {
        if (ch === '\n') lines++;
        cell += ch;
      }
    } else if (ch === '"') quoted = true;
    else if (ch === ',') cells.push(cell), (cell = '');
    else if (ch === '\n') {
      cells.push(cell);
      return { cells, next: i + 1, lines };
    } else cell += ch;
  }
  cells.push(cell);
  return { cells, next: src.length, lines };
}

/** What is wrong with a file, one line each ("line 4: …"): nothing is taken from a file with any. */
export class FileProblems extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
  }
}
