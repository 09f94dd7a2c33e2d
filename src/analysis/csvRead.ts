// Reading CSV files people bring in (RFC 4180: quoted cells may hold commas,
// quotes and line breaks, as spreadsheets write them). Each record keeps the
// line it starts on, so every import can name the line of each problem.

export interface CsvRecord {
  line: number;
  cells: string[];
}

export function readCsv(text: string): CsvRecord[] {
  const src = text.replace(/^\uFEFF/, '');
  const records: CsvRecord[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let start = 1;
  const endRecord = () => {
    cells.push(cell);
    if (cells.length > 1 || cells[0].trim() !== '') records.push({ line: start, cells });
    cells = [];
    cell = '';
  };
  for (let i = 0; i < src.length; i++) {
    const ch = src[i];
    if (quoted) {
      if (ch === '"' && src[i + 1] === '"') (cell += '"'), i++;
      else if (ch === '"') quoted = false;
      else {
        if (ch === '\n') line++;
        cell += ch;
      }
    } else if (ch === '"') quoted = true;
    else if (ch === ',') cells.push(cell), (cell = '');
    else if (ch === '\r' && src[i + 1] === '\n') continue;
    else if (ch === '\n' || ch === '\r') {
      endRecord();
      line++;
      start = line;
    } else cell += ch;
  }
  if (cell !== '' || cells.length) endRecord();
  return records;
}

/** What is wrong with a file, one line each ("line 4: …"): nothing is taken from a file with any. */
export class FileProblems extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
  }
}
