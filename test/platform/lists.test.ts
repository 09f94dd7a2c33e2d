import { describe, expect, it } from 'vitest';
import { listParams, pageOfRows, pagination } from '../../src/platform/lists.ts';

const numbers = (p: ReturnType<typeof pagination>) => p.items.map((i) => (i.ellipsis ? '…' : i.current ? `[${i.number}]` : String(i.number)));

describe('pagination', () => {
  it('numbers pages around the current one, with the first and last', () => {
    const p = pagination('/x', {}, listParams({ page: '5' }, ['a'] as const, 'a'), 250);
    expect(numbers(p)).toEqual(['1', '…', '4', '[5]', '6', '…', '10']);
    expect(p.previous?.href).toBe('/x?sort=a&order=asc&page=4');
    expect(p.next?.href).toBe('/x?sort=a&order=asc&page=6');
    expect([p.from, p.to, p.total]).toEqual([101, 125, 250]);
  });

  it('offers no last page when the count is capped, and follows hasNext', () => {
    const first = pagination('/x', {}, listParams({}, ['a'] as const, 'a'), 1000, true, true);
    expect(numbers(first)).toEqual(['[1]', '2', '…']);
    const far = pagination('/x', {}, listParams({ page: '60' }, ['a'] as const, 'a'), 1000, true, true);
    expect(numbers(far)).toEqual(['1', '…', '59', '[60]', '61', '…']);
    const end = pagination('/x', {}, listParams({ page: '60' }, ['a'] as const, 'a'), 1000, true, false);
    expect(end.next).toBeUndefined();
    expect(numbers(end)).toEqual(['1', '…', '59', '[60]']);
  });

  it('shows nothing to page through for a single page', () => {
    expect(pagination('/x', {}, listParams({}, ['a'] as const, 'a'), 3).items).toEqual([]);
  });
});

describe('a page of rows in memory, by its own parameter', () => {
  const rows = Array.from({ length: 120 }, (_, i) => i + 1);
  const link = (page: number) => `/n?linksPage=${page}#links`;

  it('gives the rows of the page asked for, both edges included, and links keep the anchor', () => {
    const second = pageOfRows(rows, { linksPage: '2' }, 'linksPage', link);
    expect(second.rows[0]).toBe(51);
    expect(second.rows.at(-1)).toBe(100);
    expect([second.pagination.from, second.pagination.to, second.pagination.total]).toEqual([51, 100, 120]);
    expect(second.pagination.previous?.href).toBe('/n?linksPage=1#links');
    expect(second.pagination.next?.href).toBe('/n?linksPage=3#links');
    const last = pageOfRows(rows, { linksPage: '3' }, 'linksPage', link);
    expect(last.rows).toEqual([101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 112, 113, 114, 115, 116, 117, 118, 119, 120]);
    expect(last.pagination.next).toBeUndefined();
  });

  it('reads only its own parameter, and keeps a page past the end, or nonsense, within the rows', () => {
    expect(pageOfRows(rows, { peoplePage: '3' }, 'linksPage', link).rows[0]).toBe(1);
    expect(pageOfRows(rows, { linksPage: '99' }, 'linksPage', link).rows[0]).toBe(101);
    expect(pageOfRows(rows, { linksPage: 'x' }, 'linksPage', link).rows[0]).toBe(1);
    expect(pageOfRows(rows.slice(0, 50), {}, 'linksPage', link).pagination.items).toEqual([]);
    expect(pageOfRows(rows.slice(0, 51), {}, 'linksPage', link).pagination.items).toHaveLength(2);
  });
});
