import { dataEn } from './data.en';
/**
 * The English dictionary: the source of every visible string in the console. Dutch and French must
 * carry the same keys (their type is `Messages`, so a missing key fails the typecheck).
 * `{name}` marks a value filled in by `t(key, {name: ...})`.
 */
export const en = {
  'app.name': 'Waybill console',
  'app.skipToContent': 'Skip to content',
  'app.mainNav': 'Main',
  'app.menu': 'Menu',
  'app.language': 'Language',
  'app.signOut': 'Sign out',
  'app.signedInAs': 'Signed in as {name}',

  'state.loading': 'Loading…',
  'state.error': 'Something went wrong',
  'state.retry': 'Try again',
  'state.empty': 'Nothing here yet.',
  'state.noMatch': 'Nothing matches these filters.',
  'state.signInNeeded': 'Sign in to see this page.',

  'paging.next': 'Next page',
  'paging.previous': 'Previous page',
  'paging.first': 'First page',
  'paging.label': 'Pages',

  'nav.orders': 'Orders',

  'orders.title': 'Orders',
  'orders.filters': 'Filters',
  'orders.status': 'Status',
  'orders.anyStatus': 'Any status',
  'orders.customerCode': 'Customer code',
  'orders.apply': 'Apply',
  'orders.name': 'Order',
  'orders.identifier': 'Identifier',
  'orders.customer': 'Customer',
  'orders.reference': 'Customer reference',
  'orders.updated': 'Updated',
  'orders.empty': 'No orders yet. Orders arrive through the API or an import.',

  'status.QUOTE': 'Quote',
  'status.TO_PLAN': 'To plan',
  'status.PLANNED': 'Planned',
  'status.IN_TRANSIT': 'In transit',
  'status.COMPLETED': 'Completed',
  'status.CANCELLED': 'Cancelled',

  'notFound.title': 'Page not found',
  'notFound.body': 'There is no console page at this address.',
  'notFound.home': 'Go to the orders',

  // Accounting, master data and users (console-data)
  ...dataEn,
} as const;

export type MessageKey = keyof typeof en;
export type Messages = { readonly [K in MessageKey]: string };
