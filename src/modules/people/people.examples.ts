import type { Static } from '@sinclair/typebox';
import type { InvitedUserSchema, NewUserSchema, SessionWire, UserListSchema, UserWire } from './people.schemas.js';

/** Recorded from a local server (test/people), ids and tokens kept. */
export const userExample: UserWire = {
  id: '5f0c1d0e-8a56-4a3b-9d0e-2b7f3c9a6e11',
  email: 'an.peeters@carrier.example',
  name: 'An Peeters',
  role: 'TENANT',
  company_id: null,
  language: 'nl',
  status: 'ACTIVE',
  created_at: '2026-12-07T07:20:11.482Z',
  last_sign_in_at: '2026-12-07T07:21:40.107Z',
};

export const invitedUserExample: UserWire = { ...userExample, status: 'INVITED', last_sign_in_at: null };

export const newUserExample: Static<typeof NewUserSchema> = { email: 'an.peeters@carrier.example', name: 'An Peeters', role: 'TENANT', language: 'nl' };

export const invitedExample: Static<typeof InvitedUserSchema> = {
  user: invitedUserExample,
  invite_url: 'http://127.0.0.1:8080/app/invite#0b6f5a52-3f0e-4d7b-9a55-2f3f1c7e9d10.Vb2u3n1qTzJt0l3kq8Yw5xQy9KpC1mN4bR7sD0fG2hI',
};

export const userListExample: Static<typeof UserListSchema> = { items: [userExample], next_cursor: null };

export const disabledUserExample: UserWire = { ...userExample, status: 'DISABLED' };

export const sessionExample: SessionWire = {
  user: userExample,
  tenant: { id: '0b6f5a52-3f0e-4d7b-9a55-2f3f1c7e9d10', name: 'Peeters Transport' },
  csrf_token: 'q3c2V9n1bWk0yX8tZ5rA7dL4hJ6pF0sG1eU2iO9wQmE',
  expires_at: '2026-12-07T09:21:40.107Z',
};

export const inviteExample = { email: 'an.peeters@carrier.example', name: 'An Peeters', password_required: true };
export const signInExample = { email: 'an.peeters@carrier.example', password: 'correct horse battery staple' };
export const setPasswordExample = { password: 'correct horse battery staple' };
