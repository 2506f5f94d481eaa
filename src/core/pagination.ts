/** A window on a list; each dialect turns its own paging parameters into one. */
export interface Page {
  limit: number;
  offset: number;
}

export interface Paged<T> {
  items: T[];
  total: number;
}

export function pageOf(page: number, perPage: number): Page {
  return { limit: perPage, offset: (page - 1) * perPage };
}
