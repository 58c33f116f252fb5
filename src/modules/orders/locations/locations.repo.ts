import { sql } from 'kysely';
import type { Executor } from '../../../platform/db/database.js';
import { containsPattern } from '../../../platform/db/search.js';

/** The keyset position after the last location of a page: most used first, then by name, then by id. */
export interface LocationAfter {
  uses: number;
  name: string;
  id: string;
}

export interface LocationFilter {
  tenantId: string;
  companyId: string;
  search?: string;
  after?: LocationAfter;
  limit: number;
}

export interface LocationRow {
  id: string;
  name: string;
  address: string;
  postal_code: string;
  city: string;
  country: string;
  uses: number;
  sort_name: string;
}

/**
 * The distinct places a customer company's order stops and template stops use, counted. Fields are
 * trimmed (and the country upper-cased) before grouping, so "Lyon " and "Lyon" are one place; the
 * id is an md5 of the five fields, stable across requests without a table of its own.
 * Aggregated on every call: a company's stops are read through orders_customer_updated_idx and the
 * stops' primary key; an address book table would be the next step if that ever shows in the logs.
 */
export async function listLocations(db: Executor, f: LocationFilter): Promise<LocationRow[]> {
  const pattern = f.search === undefined ? null : containsPattern(f.search);
  const after = f.after;
  const result = await sql<LocationRow>`
    with used as (
      select s.location as loc
        from orders o
        join order_stops s on s.tenant_id = o.tenant_id and s.order_id = o.id
       where o.tenant_id = ${f.tenantId} and o.customer_company_id = ${f.companyId}
      union all
      select v.loc
        from order_templates t
        cross join lateral jsonb_array_elements(case when jsonb_typeof(t.body -> 'consignments') = 'array' then t.body -> 'consignments' else '[]'::jsonb end) c(cons)
        cross join lateral (values (c.cons -> 'pickup_stop' -> 'location'), (c.cons -> 'delivery_stop' -> 'location')) v(loc)
       where t.tenant_id = ${f.tenantId} and t.company_id = ${f.companyId}
    ), fields as (
      select coalesce(btrim(loc ->> 'name'), '') as name,
             coalesce(btrim(loc ->> 'address'), '') as address,
             coalesce(btrim(loc ->> 'postal_code'), '') as postal_code,
             coalesce(btrim(loc ->> 'city'), '') as city,
             coalesce(upper(btrim(loc ->> 'country')), '') as country
        from used
       where jsonb_typeof(loc) = 'object'
    ), places as (
      select name, address, postal_code, city, country, count(*)::int as uses, lower(name) as sort_name,
             md5(concat_ws(chr(31), name, address, postal_code, city, country)) as id
        from fields
       -- A stop with neither a name nor an address is nothing a person could pick.
       where name <> '' or address <> ''
       group by name, address, postal_code, city, country
    )
    select id, name, address, postal_code, city, country, uses, sort_name
      from places
     where (${pattern}::text is null
            or name ilike ${pattern} or address ilike ${pattern} or postal_code ilike ${pattern} or city ilike ${pattern})
       and (${after === undefined}
            or uses < ${after?.uses ?? 0}
            or (uses = ${after?.uses ?? 0} and (sort_name > ${after?.name ?? ''} or (sort_name = ${after?.name ?? ''} and id > ${after?.id ?? ''}))))
     order by uses desc, sort_name, id
     limit ${f.limit + 1}`.execute(db);
  return result.rows.map((r) => ({ ...r, uses: Number(r.uses) }));
}
