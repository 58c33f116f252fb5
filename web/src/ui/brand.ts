import { useI18n } from '../i18n';
import { useLocation } from '../router';
import { findRoute } from '../routes';
import { isOperator, useSession } from '../session';

/**
 * The name in the banner and the browser tab: "Waybill console" for the tenant's own people on the
 * console's pages; plain "Waybill" for customers, subcontractors, drivers and the public pages
 * (tracking link, sign-in), to whom the console is the carrier's, not theirs.
 */
export function useBrand(): string {
  const { t } = useI18n();
  const session = useSession();
  const { path } = useLocation();
  return isOperator(session) && !findRoute(path)?.route.public ? t('app.name') : t('app.shortName');
}
