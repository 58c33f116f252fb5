import { useT } from '../../i18n';
import { Page } from '../../ui/Page';

/** The customer portal's home (its order list is built in the portal's own work). */
export default function PortalOrdersPage() {
  const t = useT();
  return <Page title={t('nav.portalOrders')}>{null}</Page>;
}
