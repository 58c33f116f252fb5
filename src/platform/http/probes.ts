import { Type } from '@sinclair/typebox';
import { sql } from 'kysely';
import type { DatabaseHandle } from '../db/connect.js';
import type { Db } from '../db/database.js';
import { AppError } from './errors.js';
import { errorsOf } from './schemas.js';
import type { App } from './types.js';

const probe = { auth: 'none' as const, rateLimit: false as const };
const tags = ['Service'];

/**
 * Liveness and readiness for load balancers and orchestrators: no credentials and no rate limit,
 * so a busy or locked-out client never makes a healthy instance look dead.
 */
export function registerProbes(app: App, deps: { db: Db; database: Pick<DatabaseHandle, 'engine'> }) {
  app.get('/health', {
    config: probe,
    schema: {
      operationId: 'getHealth',
      tags,
      summary: 'Liveness: the process answers',
      description: 'Answers 200 as long as the process serves HTTP; it does not touch the database. Needs no credentials.',
      security: [],
      response: {
        200: Type.Object({ status: Type.Literal('ok') }, { description: 'The process is up', examples: [{ status: 'ok' }] }),
      },
    },
    handler: async () => ({ status: 'ok' as const }),
  });

  app.get('/ready', {
    config: probe,
    schema: {
      operationId: 'getReadiness',
      tags,
      summary: 'Readiness: the database answers',
      description: 'Answers 200 with the database engine when a query succeeds, 503 when the database cannot be reached. Needs no credentials.',
      security: [],
      response: {
        200: Type.Object(
          { status: Type.Literal('ready'), database: Type.String({ description: '`pglite` or `postgres`.' }) },
          { description: 'Ready to serve requests', examples: [{ status: 'ready', database: 'pglite' }] },
        ),
        ...errorsOf(503),
      },
    },
    handler: async () => {
      try {
        await sql`select 1`.execute(deps.db);
      } catch {
        throw new AppError(503, 'Database unreachable');
      }
      return { status: 'ready' as const, database: deps.database.engine };
    },
  });
}
