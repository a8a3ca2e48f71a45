import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { PageTitle } from '../components/PageTitle';

export function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <>
      <PageTitle title={t('notFound.title')} intro={t('notFound.intro')} />
      <Link className="link-button link-button-primary" to="/">{t('notFound.home')}</Link>
    </>
  );
}
