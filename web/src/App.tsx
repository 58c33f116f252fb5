import { Suspense, useEffect } from 'react';
import { navigate, matchPath, useLocation } from './router';
import { HOME, routes } from './routes';
import NotFoundPage from './pages/NotFoundPage';
import { Layout } from './ui/Layout';
import { Loading } from './ui/Page';

/** The page for the current address, inside the layout; `/app` itself leads to the home page. */
export function App() {
  const { path } = useLocation();
  useEffect(() => {
    if (path === '/') navigate(HOME, { replace: true });
  }, [path]);

  let page = <NotFoundPage />;
  for (const route of routes) {
    const params = matchPath(route.path, path);
    if (params) {
      page = <route.page params={params} />;
      break;
    }
  }
  return (
    <Layout>
      <Suspense fallback={<Loading />}>{path === '/' ? <Loading /> : page}</Suspense>
    </Layout>
  );
}
