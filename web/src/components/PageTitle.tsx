// Every page starts with one <h1> and sets the document title, so screen-reader users and
// browser tabs know where they are.
import { useEffect, type ReactNode } from 'react';
import { Typography } from 'antd';
import { useTranslation } from 'react-i18next';

interface Props {
  title: string;
  intro?: ReactNode;
}

export function PageTitle({ title, intro }: Props) {
  const { t } = useTranslation();
  useEffect(() => {
    document.title = `${title} · ${t('app.name')}`;
  }, [title, t]);
  return (
    <header className="page-title">
      <Typography.Title level={1}>{title}</Typography.Title>
      {intro ? <Typography.Paragraph className="page-intro">{intro}</Typography.Paragraph> : null}
    </header>
  );
}
