import { Type, type Static } from '@sinclair/typebox';
import { StringEnum } from '../../platform/http/enum.js';
import { DateOnly } from '../../platform/http/schemas.js';
// The orders module's own list, so a status it adds shows up here without a second edit.
import { ORDER_STATUSES } from '../orders/index.js';

/** Where the rows behind a number are listed: the list operation and the filter that shows exactly them. */
export const OverviewList = Type.Object(
  {
    operation_id: Type.String({ description: 'The list operation in this document.' }),
    path: Type.String(),
    query: Type.Record(Type.String(), Type.String(), { description: 'The query parameters that select the rows counted.' }),
    href: Type.String({ description: '`path?query`, ready to GET.' }),
  },
  { $id: 'OverviewList' },
);
export type OverviewList = Static<typeof OverviewList>;

export const OverviewCount = Type.Object({ count: Type.Integer({ minimum: 0 }), list: Type.Ref('OverviewList') }, { $id: 'OverviewCount' });
export type OverviewCount = { count: number; list: OverviewList };

export const Overview = Type.Object(
  {
    date: Type.Unsafe<string>({ ...DateOnly, description: 'The day the day-bound figures are for.' }),
    orders_today: Type.Object({
      total: Type.Integer({ minimum: 0, description: 'Orders with a stop requested on `date`.' }),
      by_status: Type.Array(Type.Object({ status: StringEnum(ORDER_STATUSES), count: Type.Integer({ minimum: 0 }), list: Type.Ref('OverviewList') }), {
        maxItems: ORDER_STATUSES.length,
      }),
    }),
    trips_under_way: Type.Unsafe<OverviewCount>(
      Type.Ref('OverviewCount', { description: 'Planned trips, neither cancelled nor completed, started by `date`.' }),
    ),
    deliveries_failing: Type.Unsafe<OverviewCount>(Type.Ref('OverviewCount', { description: 'Webhook messages given up on (FAILED), still in the log.' })),
    endpoints_disabled: Type.Unsafe<OverviewCount>(Type.Ref('OverviewCount', { description: 'Webhook endpoints disabled by hand or after failing too long.' })),
    sync_tasks_failed: Type.Unsafe<OverviewCount>(Type.Ref('OverviewCount', { description: 'Accounting sync tasks reported FAILED, to fix and retry.' })),
    unmatched_status_updates: Type.Unsafe<OverviewCount>(
      Type.Ref('OverviewCount', { description: 'Inbound status updates that matched no stop (or several), still OPEN.' }),
    ),
  },
  { $id: 'Overview' },
);
export type Overview = Static<typeof Overview>;

export const OverviewQuery = Type.Object({
  date: Type.Optional(Type.Unsafe<string>({ ...DateOnly, description: "The operator's today (YYYY-MM-DD); today in UTC when left out." })),
});

export const overviewSchemas = [OverviewList, OverviewCount, Overview];
