import { Type } from '@sinclair/typebox';
import { declareEvents, Nullable, type PayloadsOf } from '../../platform/events/catalog.js';

const UserFields = Type.Object({ email: Type.String(), name: Type.String(), role: Type.String(), company_id: Nullable(Type.String()) });

/** People (users): tenant-only events, carried by the `events` family alone. */
export const peopleEvents = declareEvents('people', {
  'user.invited': {
    entityType: 'user',
    summary: 'A person was invited (or invited again: the earlier link stops working); the link itself is never part of the event.',
    payload: UserFields,
    families: [],
  },
  'user.activated': {
    entityType: 'user',
    summary: 'A person set a password with their invite link.',
    payload: Type.Object({ email: Type.String() }),
    families: [],
  },
  'user.disabled': {
    entityType: 'user',
    summary: 'A person was disabled: every session of theirs ended and they cannot sign in.',
    payload: Type.Object({ email: Type.String() }),
    families: [],
  },
  'user.enabled': {
    entityType: 'user',
    summary: 'A disabled person may sign in again.',
    payload: Type.Object({ email: Type.String() }),
    families: [],
  },
});

declare module '../../platform/events/catalog.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface EventPayloads extends PayloadsOf<typeof peopleEvents> {}
}
