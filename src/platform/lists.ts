// Every list is paginated and sortable: one way to read ?page, ?sort, ?order
// and to build the GOV.UK pagination and sortable column headers.

export const PAGE_SIZE = 25;

export interface ListParams<S extends string> {
  page: number;
  sort: S;
  order: 'asc' | 'desc';
  offset: number;
  limit: number;
}

export function listParams<S extends string>(query: Record<string, unknown>, sorts: readonly S[], fallback: S, fallbackOrder: 'asc' | 'desc' = 'asc'): ListParams<S> {
  const page = Math.min(Math.max(1, Number.parseInt(String(query.page ?? '1'), 10) || 1), 100_000);
  const sort = (sorts as readonly string[]).includes(String(query.sort)) ? (query.sort as S) : fallback;
  const order = query.order === 'asc' || query.order === 'desc' ? query.order : sort === fallback ? fallbackOrder : 'asc';
  return { page, sort, order, offset: (page - 1) * PAGE_SIZE, limit: PAGE_SIZE };
}

function queryString(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== '') search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}

type PageItem = { number?: number; href?: string; current?: boolean; ellipsis?: boolean };

/** The page links: the first, the last, the current page and its neighbours, an ellipsis for each gap. */
function pageItems(current: number, last: number, link: (page: number) => string): PageItem[] {
  const items: PageItem[] = [];
  for (let p = 1; p <= last; p++) {
    if (p === 1 || p === last || Math.abs(p - current) <= 1) items.push({ number: p, href: link(p), current: p === current });
    else if (items.length && !items[items.length - 1].ellipsis) items.push({ ellipsis: true });
  }
  return items;
}

/**
 * One page of rows already in memory, paged by a query parameter of its
 * own, so two long tables on one page page separately (the network page's
 * people and links). `link` makes a page's address, anchor included.
 */
export function pageOfRows<T>(rows: T[], query: Record<string, unknown>, param: string, link: (page: number) => string, size = 50) {
  const last = Math.max(1, Math.ceil(rows.length / size));
  const page = Math.min(Math.max(1, Number.parseInt(String(query[param] ?? '1'), 10) || 1), last);
  const items = pageItems(page, last, link);
  return {
    rows: rows.slice((page - 1) * size, page * size),
    pagination: {
      items: items.length > 1 ? items : [],
      previous: page > 1 ? { href: link(page - 1) } : undefined,
      next: page < last ? { href: link(page + 1) } : undefined,
      from: rows.length ? (page - 1) * size + 1 : 0,
      to: Math.min(page * size, rows.length),
      total: rows.length,
    },
  };
}

/**
 * The govukPagination macro's parameters. `total` may be capped (counting a
 * million rows for page links is not worth it): then page links stop at the
 * cap, the last page is not offered, and Next follows `hasNext`.
 */
export function pagination(path: string, filters: Record<string, string | undefined>, params: ListParams<string>, total: number, capped = false, hasNext?: boolean) {
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const link = (page: number) => `${path}${queryString({ ...filters, sort: params.sort, order: params.order, page })}`;
  // With a capped count the true last page is unknown: offer the neighbours and an ellipsis, never a last page.
  const last = capped ? params.page + (hasNext ? 1 : 0) : pages;
  const items = pageItems(params.page, last, link);
  if (capped && hasNext) items.push({ ellipsis: true });
  return {
    items: items.length > 1 ? items : [],
    previous: params.page > 1 ? { href: link(params.page - 1) } : undefined,
    next: (hasNext ?? params.page < pages) ? { href: link(params.page + 1) } : undefined,
    from: total === 0 ? 0 : params.offset + 1,
    to: capped ? params.offset + PAGE_SIZE : Math.min(params.offset + PAGE_SIZE, total),
    total,
    capped,
  };
}

/** A sortable column header: the link flips the order when the column is already sorted. */
export function sortHeaders(path: string, filters: Record<string, string | undefined>, params: ListParams<string>, columns: { key: string; text: string }[]) {
  return columns.map((column) => {
    const active = column.key === params.sort;
    const order = active && params.order === 'asc' ? 'desc' : 'asc';
    return {
      text: column.text,
      href: `${path}${queryString({ ...filters, sort: column.key, order })}`,
      ariaSort: active ? (params.order === 'asc' ? 'ascending' : 'descending') : 'none',
    };
  });
}
