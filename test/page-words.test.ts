// Pages speak the users' words: the policy documents by their titles (the
// Urgent Response and Critical Incidents protocol, the Serious Violence
// Strategy), never by the file names they were built from.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

function templates(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? templates(path.join(dir, e.name)) : e.name.endsWith('.njk') ? [path.join(dir, e.name)] : []));
}

describe('every page template', () => {
  it('names no source document as a "seed"', () => {
    const found = templates('src').flatMap((file) =>
      fs
        .readFileSync(file, 'utf8')
        .split('\n')
        .flatMap((line, i) => (/\bseed\s*0\d\d/i.test(line) ? [`${file}:${i + 1}`] : [])),
    );
    expect(found).toEqual([]);
  });
});
