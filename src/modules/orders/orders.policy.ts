import type { Principal } from '../../platform/http/principal.js';
import type { OrderScope } from './orders.repo.js';

/**
 * Tenant clients see every order of the tenant; a customer client only its company's. A
 * subcontractor client sees none until trips give it orders to carry (the trip module extends this).
 */
export function scopeOf(principal: Principal): OrderScope {
  if (principal.role === 'TENANT') return { kind: 'tenant' };
  if (principal.role === 'CUSTOMER' && principal.companyId) return { kind: 'customer', companyId: principal.companyId };
  return { kind: 'none' };
}
