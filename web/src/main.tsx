import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { isApiError } from './api/errors';
import { App } from './App';
import { I18nProvider } from './i18n';
import { BASE } from './router';
import { findRoute } from './routes';
import './styles.css';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 15_000,
      // A 4xx will answer the same again; only a failed connection or a 5xx is worth one more try.
      retry: (count, error) => count < 1 && !(isApiError(error) && error.status < 500),
    },
  },
});

// The first page's code is fetched now, while the session is checked, not after.
void findRoute(window.location.pathname.slice(BASE.length))?.route.page.load();

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <I18nProvider>
        <App />
      </I18nProvider>
    </QueryClientProvider>
  </StrictMode>,
);
