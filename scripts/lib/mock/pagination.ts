// Dribbble's pagination: `page` from 1, `per_page` 30 by default and at most 100, and a Link
// header (RFC 8288) with absolute rel="next" / rel="prev" URLs that keep the request's other
// parameters.
import { PAGINATION } from '../dribbble/api-v2.js';
import type { ValidationError } from './shot-rules.js';

export interface PageRequest {
  page: number;
  perPage: number;
}

function wholeNumber(raw: string | null, fallback: number, max: number): number | undefined {
  if (raw === null) return fallback;
  if (!/^\d{1,9}$/.test(raw.trim())) return undefined;
  const n = Number(raw);
  return n >= 1 && n <= max ? n : undefined;
}

/** The page asked for, or the parameters that are wrong (refused with PAGINATION.invalidStatus). */
export function readPage(query: URLSearchParams): PageRequest | { errors: ValidationError[] } {
  const page = wholeNumber(query.get('page'), 1, Number.MAX_SAFE_INTEGER);
  const perPage = wholeNumber(query.get('per_page'), PAGINATION.defaultPerPage, PAGINATION.maxPerPage);
  const errors: ValidationError[] = [];
  if (page === undefined) errors.push({ attribute: 'page', message: 'must be a whole number from 1' });
  if (perPage === undefined) errors.push({ attribute: 'per_page', message: `must be a whole number from 1 to ${PAGINATION.maxPerPage}` });
  return page !== undefined && perPage !== undefined ? { page, perPage } : { errors };
}

/** The page's items, and its Link header (absent when there is neither a next nor a previous page). */
export function paginate<T>(items: readonly T[], request: PageRequest, url: URL): { items: T[]; link?: string } {
  const { page, perPage } = request;
  const slice = items.slice((page - 1) * perPage, page * perPage);
  const lastPage = Math.max(1, Math.ceil(items.length / perPage));
  const at = (n: number) => {
    const target = new URL(url.href);
    target.searchParams.set('page', String(n));
    return `<${target.href}>`;
  };
  const links: string[] = [];
  if (page > 1) links.push(`${at(Math.min(page - 1, lastPage))}; rel="prev"`);
  if (page < lastPage) links.push(`${at(page + 1)}; rel="next"`);
  return links.length ? { items: slice, link: links.join(', ') } : { items: slice };
}
