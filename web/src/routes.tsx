import { lazy, type ComponentType } from 'react';
import type { MessageKey } from './i18n';
import { matchPath } from './router';
import type { Session } from './session';

type PageModule = { default: ComponentType<{ params: Record<string, string> }> };

/** A page's code, in a chunk of its own: `load` fetches it early, `Component` renders it. */
export interface LazyPage {
  load(): Promise<PageModule>;
  Component: ComponentType<{ params: Record<string, string> }>;
}

/**
 * A page already fetched renders at once; only one still on its way suspends. (A React.lazy page
 * always suspends on its first render, and React then holds the page back for up to 300 ms.)
 */
function page(fetchModule: () => Promise<PageModule>): LazyPage {
  let loaded: PageModule | undefined;
  let pending: Promise<PageModule> | undefined;
  const load = () =>
    (pending ??= fetchModule().then(
      (module) => (loaded = module),
      (error: unknown) => {
        pending = undefined; // a failed fetch (a new deploy, a lost connection) is tried again next time
        throw error;
      },
    ));
  const Lazy = lazy(load);
  const Component = (props: { params: Record<string, string> }) => (loaded ? <loaded.default {...props} /> : <Lazy {...props} />);
  return { load, Component };
}

/**
 * The main navigation's sections, in this order: twelve links in one flat row overflowed the
 * banner and said nothing about what belongs together.
 */
export const NAV_SECTIONS = [
  { id: 'operations', label: 'nav.section.operations' },
  { id: 'integrations', label: 'nav.section.integrations' },
  { id: 'accounting', label: 'nav.section.accounting' },
  { id: 'masterData', label: 'nav.section.masterData' },
  { id: 'portal', label: 'nav.section.portal' },
  { id: 'carrier', label: 'nav.section.carrier' },
] as const satisfies readonly { id: string; label: MessageKey }[];

export type NavSectionId = (typeof NAV_SECTIONS)[number]['id'];

/** A page's link in the main navigation: its section and its label. */
export interface NavEntry {
  section: NavSectionId;
  label: MessageKey;
}

/** Whose pages these are: the kind of account (the user's role) a page is written for. */
export type Audience = Session['user']['role'];

/**
 * Every page of the app. A page is loaded on first visit (its own chunk), so the first load
 * stays small however many pages there are; the page of the address the app opens at is
 * fetched at once (main.tsx), beside the session check instead of after it. `nav` puts it in the
 * main navigation, in its section, in this order. A page belongs to one audience — the tenant's
 * operators unless `audience` says otherwise — and nobody else gets it, unless it is `public`.
 */
export interface PageRoute {
  path: string;
  page: LazyPage;
  nav?: NavEntry;
  /** The kind of account the page is for; TENANT when absent. */
  audience?: Audience;
  /** Pages reachable without a session (sign-in, accept an invite). */
  public?: boolean;
}

export const audienceOf = (route: PageRoute): Audience => route.audience ?? 'TENANT';

export const routes: PageRoute[] = [
  // Signing in (console-shell): reachable without a session
  { path: '/sign-in', page: page(() => import('./pages/session/SignInPage')), public: true },
  { path: '/invite', page: page(() => import('./pages/session/InvitePage')), public: true },
  // An order's public tracking link (tracking-link): anyone with the link, no sign-in
  { path: '/track', page: page(() => import('./pages/track/TrackPage')), public: true },
  // A driver's one-trip link (carrier): the link's token and its PIN, no account
  { path: '/driver', page: page(() => import('./pages/carrier/DriverPage')), public: true },
  // Operations: the overview (console-ops), orders and trips (console-shell)
  { path: '/overview', page: page(() => import('./pages/overview/OverviewPage')), nav: { section: 'operations', label: 'nav.overview' } },
  { path: '/orders', page: page(() => import('./pages/orders/OrdersPage')), nav: { section: 'operations', label: 'nav.orders' } },
  { path: '/orders/:id', page: page(() => import('./pages/orders/OrderPage')) },
  { path: '/trips', page: page(() => import('./pages/trips/TripsPage')), nav: { section: 'operations', label: 'nav.trips' } },
  { path: '/trips/:id', page: page(() => import('./pages/trips/TripPage')) },
  // Integrations (console-ops)
  { path: '/webhooks', page: page(() => import('./pages/integrations/WebhooksPage')), nav: { section: 'integrations', label: 'nav.webhooks' } },
  { path: '/webhooks/:id', page: page(() => import('./pages/integrations/WebhookPage')) },
  { path: '/deliveries', page: page(() => import('./pages/integrations/DeliveriesPage')), nav: { section: 'integrations', label: 'nav.deliveries' } },
  { path: '/events', page: page(() => import('./pages/integrations/EventsPage')), nav: { section: 'integrations', label: 'nav.events' } },
  { path: '/api-clients', page: page(() => import('./pages/integrations/ApiClientsPage')), nav: { section: 'integrations', label: 'nav.apiClients' } },
  { path: '/unmatched', page: page(() => import('./pages/integrations/UnmatchedPage')), nav: { section: 'integrations', label: 'nav.unmatched' } },
  // Accounting, master data and users (console-data)
  { path: '/accounting', page: page(() => import('./pages/accounting/AccountingPage')), nav: { section: 'accounting', label: 'nav.invoices' } },
  { path: '/accounting/:kind/:id', page: page(() => import('./pages/accounting/DocumentPage')) },
  { path: '/sync-tasks', page: page(() => import('./pages/accounting/SyncTasksPage')), nav: { section: 'accounting', label: 'nav.syncTasks' } },
  { path: '/companies', page: page(() => import('./pages/masterdata/CompaniesPage')), nav: { section: 'masterData', label: 'nav.companies' } },
  { path: '/companies/:id', page: page(() => import('./pages/masterdata/CompanyPage')) },
  { path: '/resources', page: page(() => import('./pages/masterdata/ResourcesPage')), nav: { section: 'masterData', label: 'nav.resources' } },
  { path: '/resources/:id', page: page(() => import('./pages/masterdata/ResourcePage')) },
  { path: '/users', page: page(() => import('./pages/people/UsersPage')), nav: { section: 'masterData', label: 'nav.users' } },
  // The customer portal (CUSTOMER accounts)
  {
    path: '/portal/orders',
    page: page(() => import('./pages/portal/PortalOrdersPage')),
    audience: 'CUSTOMER',
    nav: { section: 'portal', label: 'nav.portalOrders' },
  },
  {
    path: '/portal/book',
    page: page(() => import('./pages/portal/PortalBookPage')),
    audience: 'CUSTOMER',
    nav: { section: 'portal', label: 'nav.portalBook' },
  },
  { path: '/portal/orders/:id', page: page(() => import('./pages/portal/PortalOrderPage')), audience: 'CUSTOMER' },
  {
    path: '/portal/invoices',
    page: page(() => import('./pages/portal/PortalInvoicesPage')),
    audience: 'CUSTOMER',
    nav: { section: 'portal', label: 'nav.portalInvoices' },
  },
  // The subcontractor's trip pages (SUBCONTRACTOR accounts)
  {
    path: '/carrier/trips',
    page: page(() => import('./pages/carrier/CarrierTripsPage')),
    audience: 'SUBCONTRACTOR',
    nav: { section: 'carrier', label: 'nav.carrierTrips' },
  },
  { path: '/carrier/trips/:id', page: page(() => import('./pages/carrier/CarrierTripPage')), audience: 'SUBCONTRACTOR' },
];

/**
 * `/app` itself: it leads to the home of whoever is signed in (the App redirects once the session
 * is known), so links to "home" need not know the account's kind.
 */
export const HOME = '/';

/** Each kind of account's first page: where `/app` and signing in lead. */
const HOMES: Record<Audience, string> = { TENANT: '/overview', CUSTOMER: '/portal/orders', SUBCONTRACTOR: '/carrier/trips' };

export const homeFor = (audience: Audience): string => HOMES[audience];

export function findRoute(path: string): { route: PageRoute; params: Record<string, string> } | undefined {
  for (const route of routes) {
    const params = matchPath(route.path, path);
    if (params) return { route, params };
  }
  return undefined;
}
