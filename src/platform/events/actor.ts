import { AsyncLocalStorage } from 'node:async_hooks';

/** Who made a change: the API client or the person whose request it was. */
export interface Actor {
  type: 'api_client' | 'user';
  id: string;
  name: string;
}

/**
 * The actor of the request being served, carried through its async work so that `appendEvent`
 * names it without every service passing the principal down. The HTTP layer opens a store per
 * request and fills it once the caller is authenticated; work outside a request (workers, the
 * command line) has no store and its events name no actor.
 */
const requestActor = new AsyncLocalStorage<{ actor?: Actor }>();

export function runWithActorStore(fn: () => void): void {
  requestActor.run({}, fn);
}

export function setRequestActor(actor: Actor): void {
  const store = requestActor.getStore();
  if (store) store.actor = actor;
}

export function currentActor(): Actor | undefined {
  return requestActor.getStore()?.actor;
}
