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
 * Every page of the console. A page is loaded on first visit (its own chunk), so the first load
 * stays small however many pages there are; the page of the address the console opens at is
 * fetched at once (main.tsx), beside the session check instead of after it. `nav` puts it in the
 * main navigation, in this order. Pages are for the tenant's operators unless `public`.
 */
export interface PageRoute {
  path: string;
  page: LazyPage;
  nav?: MessageKey;
  /** Pages reachable without a session (sign-in, accept an invite). */
  public?: boolean;
}

export const routes: PageRoute[] = [
  // Signing in (console-shell): reachable without a session
  { path: '/sign-in', page: page(() => import('./pages/session/SignInPage')), public: true },
  { path: '/invite', page: page(() => import('./pages/session/InvitePage')), public: true },
  // An order's public tracking link (tracking-link): anyone with the link, no sign-in
  { path: '/track', page: page(() => import('./pages/track/TrackPage')), public: true },
  // Orders and trips (console-shell)
  { path: '/orders', page: page(() => import('./pages/orders/OrdersPage')), nav: 'nav.orders' },
  { path: '/orders/:id', page: page(() => import('./pages/orders/OrderPage')) },
  { path: '/trips', page: page(() => import('./pages/trips/TripsPage')), nav: 'nav.trips' },
  { path: '/trips/:id', page: page(() => import('./pages/trips/TripPage')) },
  // Overview and integrations (console-ops)
  { path: '/overview', page: page(() => import('./pages/overview/OverviewPage')), nav: 'nav.overview' },
  { path: '/webhooks', page: page(() => import('./pages/integrations/WebhooksPage')), nav: 'nav.webhooks' },
  { path: '/webhooks/:id', page: page(() => import('./pages/integrations/WebhookPage')) },
  { path: '/deliveries', page: page(() => import('./pages/integrations/DeliveriesPage')) },
  { path: '/events', page: page(() => import('./pages/integrations/EventsPage')), nav: 'nav.events' },
  { path: '/api-clients', page: page(() => import('./pages/integrations/ApiClientsPage')), nav: 'nav.apiClients' },
  { path: '/unmatched', page: page(() => import('./pages/integrations/UnmatchedPage')), nav: 'nav.unmatched' },
  // Accounting, master data and users (console-data)
  { path: '/accounting', page: page(() => import('./pages/accounting/AccountingPage')), nav: 'nav.accounting' },
  { path: '/accounting/:kind/:id', page: page(() => import('./pages/accounting/DocumentPage')) },
  { path: '/sync-tasks', page: page(() => import('./pages/accounting/SyncTasksPage')), nav: 'nav.syncTasks' },
  { path: '/companies', page: page(() => import('./pages/masterdata/CompaniesPage')), nav: 'nav.companies' },
  { path: '/companies/:id', page: page(() => import('./pages/masterdata/CompanyPage')) },
  { path: '/resources', page: page(() => import('./pages/masterdata/ResourcesPage')), nav: 'nav.resources' },
  { path: '/resources/:id', page: page(() => import('./pages/masterdata/ResourcePage')) },
  { path: '/users', page: page(() => import('./pages/people/UsersPage')), nav: 'nav.users' },
];

/** Where `/app` itself leads. */
export const HOME = '/orders';

export function findRoute(path: string): { route: PageRoute; params: Record<string, string> } | undefined {
  for (const route of routes) {
    const params = matchPath(route.path, path);
    if (params) return { route, params };
  }
  return undefined;
}
