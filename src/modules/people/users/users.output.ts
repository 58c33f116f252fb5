import type { UserWire } from '../people.schemas.js';
import type { UserRow } from './users.repo.js';

export function userOut(row: UserRow): UserWire {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    company_id: row.company_id,
    language: row.language,
    status: row.status,
    created_at: row.created_at.toISOString(),
    last_sign_in_at: row.last_sign_in_at ? row.last_sign_in_at.toISOString() : null,
  };
}
