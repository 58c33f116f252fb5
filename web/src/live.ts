import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';

/**
 * Live updates: one EventSource on GET /v1/events/stream for the whole console. When events
 * arrive, every query on screen is refetched (after a short pause, so a burst of events costs one
 * round of requests). The browser reconnects by itself with Last-Event-ID; the server refuses a
 * stream beyond its per-user limit (429), and then pages just keep their manual refresh.
 */
const SETTLE_MS = 300;

export function useLiveUpdates(enabled: boolean) {
  const queryClient = useQueryClient();
  useEffect(() => {
    if (!enabled || typeof EventSource === 'undefined') return;
    const source = new EventSource('/v1/events/stream', { withCredentials: true });
    let timer: number | undefined;
    source.onmessage = () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(() => {
        document.documentElement.dataset.liveAt = String(Date.now());
        void queryClient.invalidateQueries();
      }, SETTLE_MS);
    };
    source.onopen = () => {
      document.documentElement.dataset.live = 'open';
    };
    return () => {
      window.clearTimeout(timer);
      source.close();
      delete document.documentElement.dataset.live;
    };
  }, [enabled, queryClient]);
}
