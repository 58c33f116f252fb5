import { flexRender, getCoreRowModel, useReactTable, type ColumnDef } from '@tanstack/react-table';
import type { ReactNode } from 'react';
import { useT } from '../i18n';

/**
 * A list page's table (TanStack Table): the server pages and filters, so the table only renders
 * the rows of the current page, however many there are in all.
 */
export function DataTable<T>({ data, columns, caption }: { data: T[]; columns: ColumnDef<T, unknown>[]; caption: string }) {
  // TanStack Table hands out functions that change identity; the table is re-rendered per page only.
  // eslint-disable-next-line react-hooks/incompatible-library
  const table = useReactTable({ data, columns, getCoreRowModel: getCoreRowModel() });
  return (
    <div className="table-scroll">
      <table>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              {group.headers.map((header) => (
                <th key={header.id} scope="col">
                  {header.isPlaceholder ? null : flexRender(header.column.columnDef.header, header.getContext())}
                </th>
              ))}
            </tr>
          ))}
        </thead>
        <tbody>
          {table.getRowModel().rows.map((row) => (
            <tr key={row.id}>
              {row.getVisibleCells().map((cell) => (
                <td key={cell.id} data-label={typeof cell.column.columnDef.header === 'string' ? cell.column.columnDef.header : undefined}>
                  {flexRender(cell.column.columnDef.cell, cell.getContext())}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/**
 * A table whose rows a page writes itself (row actions, expandable rows): the same frame as
 * `DataTable` (scrolling, hidden caption, column headers); a `null` header leaves its column out.
 */
export function ListTable({ caption, headers, children }: { caption: string; headers: (string | null)[]; children: ReactNode }) {
  return (
    <div className="table-scroll">
      <table>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {headers.map((header) =>
              header === null ? null : (
                <th key={header} scope="col">
                  {header}
                </th>
              ),
            )}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

/** The buttons of cursor paging (state in ui/paging.ts: `useCursorPages`). */
export function Pager({
  hasPrevious,
  nextCursor,
  onFirst,
  onPrevious,
  onNext,
}: {
  hasPrevious: boolean;
  nextCursor: string | null | undefined;
  onFirst(): void;
  onPrevious(): void;
  onNext(cursor: string): void;
}) {
  const t = useT();
  return (
    <nav className="pager" aria-label={t('paging.label')}>
      <button type="button" onClick={onFirst} disabled={!hasPrevious}>
        {t('paging.first')}
      </button>
      <button type="button" onClick={onPrevious} disabled={!hasPrevious}>
        {t('paging.previous')}
      </button>
      <button type="button" onClick={() => nextCursor && onNext(nextCursor)} disabled={!nextCursor}>
        {t('paging.next')}
      </button>
    </nav>
  );
}
