// The guide (办事指南) for one matter: who handles it, how long it takes, what it costs, how it
// can be done across provinces, and which materials are needed (and what can replace them).
import { Descriptions } from 'antd';
import { Link, useParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { PageTitle } from '../components/PageTitle';
import { EmptyState, ErrorState, LoadingState } from '../components/QueryStates';

export function MatterGuidePage() {
  const { t } = useTranslation();
  const { code = '' } = useParams();
  const matter = useQuery({ queryKey: ['matter', code], queryFn: () => api.getMatter(code) });

  if (matter.isPending) return <><PageTitle title={t('matter.title')} /><LoadingState /></>;
  if (matter.isError) {
    return (
      <>
        <PageTitle title={t('matter.title')} />
        <ErrorState error={matter.error} onRetry={() => void matter.refetch()} />
        <p><Link to="/search">{t('matter.backToSearch')}</Link></p>
      </>
    );
  }
  const m = matter.data;
  const days = (n: number) => t('matter.workingDays', { count: n });
  const materials = m.materials;
  const online = m.channels.includes('online');

  return (
    <>
      <PageTitle title={m.name} intro={m.description || t('matter.intro')} />
      {online ? (
        <p className="apply-start">
          <Link className="link-button link-button-primary next-button" to={`/matters/${encodeURIComponent(m.code)}/apply`}>
            {t('apply.start')}
          </Link>
        </p>
      ) : null}
      <Descriptions
        bordered
        column={1}
        title={<h2 className="descriptions-heading">{t('matter.basics')}</h2>}
        items={[
          { key: 'code', label: t('matter.code'), children: m.code },
          { key: 'department', label: t('matter.department'), children: m.department },
          { key: 'region', label: t('matter.region'), children: m.regionCode },
          { key: 'promised', label: t('matter.promisedLimit'), children: days(m.promisedLimitDays) },
          { key: 'legal', label: t('matter.legalLimit'), children: days(m.legalLimitDays) },
          { key: 'fees', label: t('matter.fees'), children: m.fee || t('matter.noFee') },
          { key: 'channels', label: t('matter.channels'), children: m.channels.map((c) => t(`matter.channel.${c}`, { defaultValue: c })).join('、') },
          {
            key: 'mode',
            label: t('matter.crossProvince'),
            children: m.crossProvince ? t(`matter.mode.${m.crossProvince}`, { defaultValue: m.crossProvince }) : t('matter.noCrossProvince'),
          },
        ]}
      />
      <section aria-labelledby="materials-heading" className="section">
        <h2 id="materials-heading">{t('matter.materials')}</h2>
        {materials.length === 0 ? (
          <EmptyState title={t('matter.noMaterials')} />
        ) : (
          <ol className="material-list">
            {materials.map((material) => (
              <li key={material.key}>
                <strong>{material.name}</strong>
                {material.required ? '' : ` (${t('matter.optional')})`}
                {material.licenceTypes?.length ? (
                  <p>{t('matter.replaceableBy', { what: material.licenceTypes.join('、') })}</p>
                ) : null}
                {material.freshnessDays ? <p>{t('matter.freshness', { count: material.freshnessDays })}</p> : null}
              </li>
            ))}
          </ol>
        )}
      </section>
      <section aria-labelledby="help-heading" className="section">
        <h2 id="help-heading">{t('matter.helpHeading')}</h2>
        <p>{t('matter.helpText')}</p>
        <Link className="link-button" to="/me/agent-grants">{t('elder.askRelative')}</Link>
      </section>
    </>
  );
}
