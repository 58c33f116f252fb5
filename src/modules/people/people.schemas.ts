import { Type, type Static } from '@sinclair/typebox';
import { StringEnum } from '../../platform/http/enum.js';
import { DateTime, Nullable, Page, Str, Uuid } from '../../platform/http/schemas.js';

export const UserRole = StringEnum(['TENANT', 'CUSTOMER', 'SUBCONTRACTOR'] as const, {
  description: 'TENANT works for the whole tenant; CUSTOMER and SUBCONTRACTOR see only their company’s objects.',
});
export const UserLanguage = StringEnum(['en', 'nl', 'fr'] as const, { description: 'The language of the console for this person.' });
export const UserStatus = StringEnum(['INVITED', 'ACTIVE', 'DISABLED'] as const, {
  description: 'INVITED until the invite link has set a password; DISABLED people cannot sign in.',
});

export const UserSchema = Type.Object(
  {
    id: Uuid,
    email: Type.String(),
    name: Type.String(),
    role: UserRole,
    company_id: Nullable(Uuid),
    language: UserLanguage,
    status: UserStatus,
    created_at: DateTime,
    last_sign_in_at: Nullable(DateTime),
  },
  { $id: 'User', description: 'A person who signs in to the console (beside API clients).' },
);
export type UserWire = Static<typeof UserSchema>;

/** The User schema by reference, keeping its type. */
const UserRef = Type.Unsafe<UserWire>(Type.Ref('User'));

export const Email = Type.String({ minLength: 3, maxLength: 254, pattern: '^[^\\s@]+@[^\\s@]+$', description: 'Where the person is reached; signs them in.' });

export const NewUserSchema = Type.Object(
  {
    email: Email,
    name: Str(200, { minLength: 1 }),
    role: UserRole,
    company_id: Type.Optional(Uuid),
    language: Type.Optional(UserLanguage),
  },
  { $id: 'NewUser', additionalProperties: false, description: '`company_id` is required for CUSTOMER and SUBCONTRACTOR people and refused for TENANT ones.' },
);

export const InvitedUserSchema = Type.Object(
  {
    user: UserRef,
    invite_url: Type.String({
      description: 'The one-time link that sets the password: `<public base>/app/invite#<token>`. Shown only here; it expires, and a new invite replaces it.',
    }),
  },
  { $id: 'InvitedUser' },
);

export const UserListSchema = Page(UserRef, 'UserList');

export const SessionSchema = Type.Object(
  {
    user: UserRef,
    tenant: Type.Object({ id: Uuid, name: Type.String() }),
    csrf_token: Type.String({ description: 'Send as `X-CSRF-Token` on every POST, PUT, PATCH and DELETE made with the session cookie.' }),
    expires_at: DateTime,
  },
  { $id: 'Session', description: 'The signed-in person; the session itself is in the HttpOnly `waybill_session` cookie.' },
);
export type SessionWire = Static<typeof SessionSchema>;

export const Password = Type.String({ minLength: 12, maxLength: 200, description: 'At least 12 characters.' });

export const SignInSchema = Type.Object(
  { email: Email, password: Type.String({ minLength: 1, maxLength: 200 }) },
  { $id: 'SignIn', additionalProperties: false },
);
export const SetPasswordSchema = Type.Object(
  { password: Type.Optional(Password) },
  {
    $id: 'SetPassword',
    additionalProperties: false,
    description: 'Leave `password` out to sign in by magic link, where the server allows it (`password_required: false`).',
  },
);
export const InviteSchema = Type.Object(
  {
    email: Type.String(),
    name: Type.String(),
    password_required: Type.Boolean({ description: 'false when this server lets the link sign in without choosing a password (a magic link).' }),
  },
  { $id: 'Invite', description: 'Whom an invite link is for.' },
);

export const InviteTokenParams = Type.Object({
  token: Type.String({ minLength: 1, maxLength: 200, pattern: '^[A-Za-z0-9_.-]+$', description: 'The token from the invite link’s fragment.' }),
});

export const peopleSchemas = [UserSchema, NewUserSchema, InvitedUserSchema, UserListSchema, SessionSchema, SignInSchema, SetPasswordSchema, InviteSchema];
