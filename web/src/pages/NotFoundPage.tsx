import { useT } from '../i18n';
import { Link } from '../router';
import { HOME } from '../routes';
import { Page } from '../ui/Page';

export default function NotFoundPage() {
  const t = useT();
  return (
    <Page title={t('notFound.title')}>
      <p>{t('notFound.body')}</p>
      <p>
        <Link to={HOME}>{t('notFound.home')}</Link>
      </p>
    </Page>
  );
}
