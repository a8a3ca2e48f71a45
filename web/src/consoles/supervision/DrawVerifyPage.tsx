// Public (no sign-in): one revealed draw with everything needed to recompute it, and the server's
// recomputation check by check — the seed matches its commitment, the selection follows the rule.
import { Button } from 'antd';
import { Link, useParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { consoleApi } from '../../api/console-client';
import { PageTitle } from '../../components/PageTitle';
import { ErrorState, LoadingState } from '../../components/QueryStates';
import { DrawRecord } from './DrawRecord';
import '../consoles.css';

export default function DrawVerifyPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const draw = useQuery({ queryKey: ['sv-draw', id], queryFn: () => consoleApi.publicDraw(id) });
  const verify = useQuery({ queryKey: ['sv-verify', id], queryFn: () => consoleApi.verifyDraw(id) });

  return (
    <>
      <PageTitle title={t('sv.verify.title')} intro={t('sv.verify.intro')} />
      <p>
        <Link to="/supervision/draws">{t('sv.verify.back')}</Link> · <a href={`/api/v1/supervision/draws/${encodeURIComponent(id)}`}>{t('sv.verify.raw')}</a>
      </p>
      <section aria-labelledby="sv-verify-heading" className="console-panel">
        <h2 id="sv-verify-heading">{t('sv.verify.result')}</h2>
        <div role="status" aria-live="polite">
          {verify.isPending ? (
            <LoadingState />
          ) : verify.isError ? null : (
            <>
              <p className={verify.data.ok ? 'verify-ok' : 'verify-bad'} data-testid="verify-outcome">
                {verify.data.ok ? t('sv.verify.ok') : t('sv.verify.bad')}
              </p>
              <ul>
                {verify.data.checks.map((c) => (
                  <li key={c.name}>
                    {c.ok ? t('sv.verify.checkOk') : t('sv.verify.checkBad')} {c.name}
                    {c.detail ? ` — ${c.detail}` : ''}
                  </li>
                ))}
              </ul>
            </>
          )}
        </div>
        {verify.isError ? <ErrorState error={verify.error} onRetry={() => void verify.refetch()} /> : null}
        <Button onClick={() => void verify.refetch()} loading={verify.isFetching && !verify.isPending}>
          {t('sv.verify.again')}
        </Button>
      </section>
      <section aria-labelledby="sv-record-heading" className="console-panel section">
        <h2 id="sv-record-heading">{t('sv.verify.record')}</h2>
        {draw.isPending ? <LoadingState /> : draw.isError ? <ErrorState error={draw.error} onRetry={() => void draw.refetch()} /> : <DrawRecord draw={draw.data} />}
      </section>
    </>
  );
}
