import { Suspense, useEffect, type ReactNode } from 'react';
import { useT } from './i18n';
import { useLiveUpdates } from './live';
import NotFoundPage from './pages/NotFoundPage';
import { navigate, useLocation, withQuery } from './router';
import { findRoute, HOME } from './routes';
import { isOperator, useSessionQuery } from './session';
import { Layout } from './ui/Layout';
import { ErrorMessage, Loading, Page } from './ui/Page';

/**
 * The page for the current address, inside the layout. Pages other than signing in need a session
 * of the tenant's operators: without one the person is sent to sign in (and back afterwards); a
 * customer's or subcontractor's account gets no tenant page at all (the API refuses them too).
 */
export function App() {
  const { path, href } = useLocation();
  const session = useSessionQuery();
  const found = findRoute(path);
  const needsSignIn = !found?.route.public && session.data === null;
  // Lists and pages refresh when events arrive (console-ops: live.ts).
  useLiveUpdates(isOperator(session.data));

  useEffect(() => {
    if (path === '/') navigate(HOME, { redirect: true });
    else if (needsSignIn) navigate(withQuery('/sign-in', { next: href }), { redirect: true });
  }, [path, href, needsSignIn]);

  let content: ReactNode;
  if (path === '/' || needsSignIn) content = <Loading />;
  else if (found?.route.public) content = <found.route.page.Component params={found.params} />;
  else if (session.isPending) content = <Loading />;
  else if (session.isError) content = <SessionFailed error={session.error} retry={() => void session.refetch()} />;
  else if (!isOperator(session.data)) content = <NoConsolePage />;
  else if (found) content = <found.route.page.Component params={found.params} />;
  else content = <NotFoundPage />;

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

/** What a customer's or subcontractor's account sees: the console is the carrier's own. */
function NoConsolePage() {
  const t = useT();
  return (
    <Page title={t('noConsole.title')}>
      <p>{t('noConsole.body')}</p>
    </Page>
  );
}
