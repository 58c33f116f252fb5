import { Suspense, useEffect, type ReactNode } from 'react';
import { useT } from './i18n';
import { useLiveUpdates } from './live';
import NotFoundPage from './pages/NotFoundPage';
import { Link, navigate, useLocation, withQuery } from './router';
import { audienceOf, findRoute, HOME, homeFor } from './routes';
import { useSessionQuery } from './session';
import { Layout } from './ui/Layout';
import { ErrorMessage, Loading, Page } from './ui/Page';

/**
 * The page for the current address, inside the layout. Pages other than signing in need a session:
 * without one the person is sent to sign in (and back afterwards). Each page is for one kind of
 * account (its audience): the tenant's operators, a customer's people or a subcontractor's; any
 * other account gets a notice instead of the page (the API refuses them its data too).
 */
export function App() {
  const { path, href } = useLocation();
  const session = useSessionQuery();
  const found = findRoute(path);
  const atHome = path === '/';
  const needsSignIn = !found?.route.public && session.data === null;
  const home = session.data ? homeFor(session.data.user.role) : undefined;
  // Lists and pages refresh when events arrive (console-ops: live.ts); a customer's portal too, with its own company's events only.
  useLiveUpdates(session.data?.user.role === 'TENANT' || session.data?.user.role === 'CUSTOMER');

  useEffect(() => {
    if (atHome && home) navigate(home, { redirect: true });
    else if (needsSignIn) navigate(atHome ? '/sign-in' : withQuery('/sign-in', { next: href }), { redirect: true });
  }, [atHome, home, href, needsSignIn]);

  let content: ReactNode;
  if ((atHome && !session.isError) || needsSignIn) content = <Loading />;
  else if (found?.route.public) content = <found.route.page.Component params={found.params} />;
  else if (session.isPending) content = <Loading />;
  else if (session.isError) content = <SessionFailed error={session.error} retry={() => void session.refetch()} />;
  else if (!found) content = <NotFoundPage />;
  else if (audienceOf(found.route) !== session.data?.user.role) content = <NotForThisAccountPage />;
  else content = <found.route.page.Component params={found.params} />;

  return (
    <Layout>
      <Suspense fallback={<Loading />}>{content}</Suspense>
    </Layout>
  );
}

function SessionFailed({ error, retry }: { error: unknown; retry(): void }) {
  const t = useT();
  return (
    <Page title={t('state.error')}>
      <ErrorMessage error={error} onRetry={retry} />
    </Page>
  );
}

/** What an account sees at another kind of account's page: the carrier's console, say, for a customer. */
function NotForThisAccountPage() {
  const t = useT();
  return (
    <Page title={t('noAccess.title')}>
      <p>{t('noAccess.body')}</p>
      <p>
        <Link to={HOME}>{t('notFound.home')}</Link>
      </p>
    </Page>
  );
}
