import { cursorField } from '../../../platform/http/pagination.js';

/** The contract's time window on a list (records overlapping start_time..end_time), as unavailabilities and validities take it. */
export interface WindowFilters {
  start_time?: string;
  end_time?: string;
}

/** The window's filters and how a cursor must carry them (`paginate`'s `filters` and `fields`). */
export const windowPaging = (query: WindowFilters) => ({
  filters: { start_time: query.start_time, end_time: query.end_time },
  fields: { start_time: cursorField.dateTime, end_time: cursorField.dateTime },
});

/** The window as the repos query it: either end open when not given. */
export const windowOf = (filters: WindowFilters) => ({
  from: filters.start_time ? new Date(filters.start_time) : undefined,
  to: filters.end_time ? new Date(filters.end_time) : undefined,
});
