import { useT } from '../../i18n';
import { Page } from '../../ui/Page';

/** The subcontractor's home (its trip list is built in the trip page's own work). */
export default function CarrierTripsPage() {
  const t = useT();
  return <Page title={t('nav.carrierTrips')}>{null}</Page>;
}
