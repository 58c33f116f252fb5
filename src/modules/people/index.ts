/**
 * People and sessions: users beside API clients, invited by a tenant admin, signing in with a
 * password to a session cookie the whole API accepts. The only way into this module.
 */
export { createPeople } from './people.module.js';
export type { People, PeopleSettings } from './people.module.js';
export { peopleEvents } from './people.events.js';
