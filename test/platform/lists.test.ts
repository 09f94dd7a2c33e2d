import { describe, expect, it } from 'vitest';
import { listParams, pagination } from '../../src/platform/lists.ts';

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
