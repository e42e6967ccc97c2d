import type { Bundle, BundleLink, Resource } from '@medplum/fhirtypes';

/** One page of a search: what the searchset Bundle needs besides its entries. */
export interface SearchPage<T extends Resource> {
  resources: T[];
  total: number;
  /** The search URL without `_page` (absolute, with the other parameters in order). */
  selfUrl: URL;
  page: number;
  count: number;
}

function pageUrl(base: URL, page: number): string {
  const url = new URL(base);
  url.searchParams.set('_page', String(page));
  return url.toString();
}

/** A searchset Bundle with `total` and `self`/`first`/`previous`/`next`/`last` links. */
export function searchset<T extends Resource>(page: SearchPage<T>, fhirBase: string): Bundle<T> {
  const last = Math.max(1, Math.ceil(page.total / page.count));
  const link: BundleLink[] = [
    { relation: 'self', url: pageUrl(page.selfUrl, page.page) },
    { relation: 'first', url: pageUrl(page.selfUrl, 1) },
  ];
  if (page.page > 1)
    link.push({ relation: 'previous', url: pageUrl(page.selfUrl, Math.min(page.page - 1, last)) });
  if (page.page < last) link.push({ relation: 'next', url: pageUrl(page.selfUrl, page.page + 1) });
  link.push({ relation: 'last', url: pageUrl(page.selfUrl, last) });
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    total: page.total,
    link,
    // FHIR JSON has no empty arrays: an empty page has no `entry`.
    ...(page.resources.length > 0
      ? {
          entry: page.resources.map((resource) => ({
            fullUrl: `${fhirBase}/${resource.resourceType}/${resource.id}`,
            resource,
            search: { mode: 'match' as const },
          })),
        }
      : {}),
  };
}

/** The `_page`-th page of `count` items of a list computed whole (schedules, slots). */
export function pageOf<T>(items: T[], page: number, count: number): T[] {
  return items.slice((page - 1) * count, page * count);
}
