import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import type { MessageKey } from './i18n';

/**
 * Every page of the console. A page is loaded on first visit (its own chunk), so the first load
 * stays small however many pages there are. `nav` puts it in the main navigation, in this order.
 * `roles` defaults to the tenant's operators: the console has no page for customers or subcontractors.
 */
export interface PageRoute {
  path: string;
  page: LazyExoticComponent<ComponentType<{ params: Record<string, string> }>>;
  nav?: MessageKey;
  /** Pages reachable without a session (sign-in, accept an invite). */
  public?: boolean;
}

export const routes: PageRoute[] = [
  // Signing in (console-shell): reachable without a session
  { path: '/sign-in', page: lazy(() => import('./pages/session/SignInPage')), public: true },
  { path: '/invite', page: lazy(() => import('./pages/session/InvitePage')), public: true },
  // Orders and trips (console-shell)
  { path: '/orders', page: lazy(() => import('./pages/orders/OrdersPage')), nav: 'nav.orders' },
  { path: '/orders/:id', page: lazy(() => import('./pages/orders/OrderPage')) },
  { path: '/trips', page: lazy(() => import('./pages/trips/TripsPage')), nav: 'nav.trips' },
  { path: '/trips/:id', page: lazy(() => import('./pages/trips/TripPage')) },
  // Overview and integrations (console-ops)
  { path: '/overview', page: lazy(() => import('./pages/overview/OverviewPage')), nav: 'nav.overview' },
  { path: '/webhooks', page: lazy(() => import('./pages/integrations/WebhooksPage')), nav: 'nav.webhooks' },
  { path: '/webhooks/:id', page: lazy(() => import('./pages/integrations/WebhookPage')) },
  { path: '/deliveries', page: lazy(() => import('./pages/integrations/DeliveriesPage')) },
  { path: '/events', page: lazy(() => import('./pages/integrations/EventsPage')), nav: 'nav.events' },
  { path: '/api-clients', page: lazy(() => import('./pages/integrations/ApiClientsPage')), nav: 'nav.apiClients' },
  { path: '/unmatched', page: lazy(() => import('./pages/integrations/UnmatchedPage')), nav: 'nav.unmatched' },
  // Accounting, master data and users (console-data)
];

/** Where `/app` itself leads. */
export const HOME = '/orders';
