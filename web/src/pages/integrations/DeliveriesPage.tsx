import { useT } from '../../i18n';
import { Page } from '../../ui/Page';
import { DeliveryLog } from './DeliveryLog';
import '../../ui/ops.css';

/** Every message sent to any endpoint, newest first; the overview's "deliveries failing" leads here. */
export default function DeliveriesPage() {
  const t = useT();
  return (
    <Page title={t('deliveries.title')}>
      <DeliveryLog basePath="/deliveries" />
    </Page>
  );
}
