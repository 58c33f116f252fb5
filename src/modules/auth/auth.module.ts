import type { App } from '../../platform/http/types.js';
import { authRoutes } from './auth.routes.js';
import { authSchemas } from './auth.schemas.js';
import { type AuthService, createAuthService } from './auth.service.js';

/**
 * The auth module wired once: its service (built from its dependencies), the schemas it adds to
 * the app and its routes. Its dependencies are narrow: companies only to check a client's company.
 */
export function createAuth(deps: Parameters<typeof createAuthService>[0]): Promise<Auth> {
  return createAuthService(deps);
}

export type Auth = AuthService;

export const authModuleSchemas = authSchemas;

export function authModuleRoutes(app: App, auth: Auth, config: { tokenRateLimitPerMinute: number }) {
  authRoutes(app, { auth, tokenRateLimitPerMinute: config.tokenRateLimitPerMinute });
}
