import { useI18n } from '../i18n';
import { ORDER_STATUSES } from './format';

/**
 * The order lists' search box and status choice (the console's orders and the customer portal's),
 * inside the list's own filter form: `q` and `status` as the API's list takes them.
 */
export function OrderSearchFields({ text, status }: { text: string | undefined; status: string | undefined }) {
  const { t } = useI18n();
  return (
    <>
      <label>
        {t('orders.search')}
        <input type="search" name="q" defaultValue={text ?? ''} maxLength={100} placeholder={t('orders.searchHint')} />
      </label>
      <label>
        {t('orders.status')}
        <select name="status" defaultValue={status ?? ''}>
          <option value="">{t('orders.anyStatus')}</option>
          {ORDER_STATUSES.map((value) => (
            <option key={value} value={value}>
              {t(`status.${value}`)}
            </option>
          ))}
        </select>
      </label>
    </>
  );
}
