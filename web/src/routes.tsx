import { lazy, type ComponentType } from 'react';
import type { MessageKey } from './i18n';
import { matchPath } from './router';

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
] as const satisfies readonly { id: string; label: MessageKey }[];

export type NavSectionId = (typeof NAV_SECTIONS)[number]['id'];

/** A page's link in the main navigation: its section and its label. */
export interface NavEntry {
  section: NavSectionId;
  label: MessageKey;
}

/**
 * Every page of the console. A page is loaded on first visit (its own chunk), so the first load
 * stays small however many pages there are; the page of the address the console opens at is
 * fetched at once (main.tsx), beside the session check instead of after it. `nav` puts it in the
 * main navigation, in its section, in this order. Pages are for the tenant's operators unless `public`.
 */
export interface PageRoute {
  path: string;
  page: LazyPage;
  nav?: NavEntry;
  /** Pages reachable without a session (sign-in, accept an invite). */
  public?: boolean;
}

export const routes: PageRoute[] = [
  // Signing in (console-shell): reachable without a session
  { path: '/sign-in', page: page(() => import('./pages/session/SignInPage')), public: true },
  { path: '/invite', page: page(() => import('./pages/session/InvitePage')), public: true },
  // An order's public tracking link (tracking-link): anyone with the link, no sign-in
  { path: '/track', page: page(() => import('./pages/track/TrackPage')), public: true },
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
];

/** Where `/app` itself leads, and where signing in lands: the overview, first in the navigation. */
export const HOME = '/overview';

export function findRoute(path: string): { route: PageRoute; params: Record<string, string> } | undefined {
  for (const route of routes) {
    const params = matchPath(route.path, path);
    if (params) return { route, params };
  }
  return undefined;
}
