// One task and its draw, in the two public steps that make 双随机 verifiable: first freeze the
// lists and publish SM3(seed) — the commitment — and only then reveal the seed and select.
import { Alert, Button } from 'antd';
import { Link, useParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { consoleApi } from '../../api/console-client';
import type { Task } from '../../api/console-types';
import { formatDate } from '../../components/formatDate';
import { PageTitle } from '../../components/PageTitle';
import { ErrorState, LoadingState } from '../../components/QueryStates';
import { ConsoleNav, SUPERVISION_LINKS } from '../ConsoleNav';
import { DrawRecord } from './DrawRecord';
import '../consoles.css';

export default function TaskPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const task = useQuery({ queryKey: ['sv-task', id], queryFn: () => consoleApi.task(id) });
  return (
    <>
      <PageTitle title={task.data ? t('sv.task.title', { name: task.data.name }) : t('sv.task.titlePlain')} intro={t('sv.task.intro')} />
      <ConsoleNav labelKey="sv.nav.label" links={SUPERVISION_LINKS} />
      {task.isPending ? <LoadingState /> : task.isError ? <ErrorState error={task.error} onRetry={() => void task.refetch()} /> : <TaskView task={task.data} />}
    </>
  );
}

function TaskView({ task }: { task: Task }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const draw = task.draw;
  const commit = useMutation({
    mutationFn: () => consoleApi.commitDraw(task.id),
    onSuccess: (updated) => queryClient.setQueryData(['sv-task', task.id], updated),
  });
  const reveal = useMutation({
    mutationFn: () => consoleApi.revealDraw(draw!.id),
    onSuccess: (revealed) => {
      queryClient.setQueryData(['sv-draw', revealed.id], revealed);
      void queryClient.invalidateQueries({ queryKey: ['sv-task', task.id] });
    },
  });
  const revealed = useQuery({
    queryKey: ['sv-draw', draw?.id],
    queryFn: () => consoleApi.publicDraw(draw!.id),
    enabled: !!draw && draw.status === 'revealed',
  });

  return (
    <>
      <section aria-labelledby="sv-task-heading" className="console-panel">
        <h2 id="sv-task-heading">{t('sv.task.facts')}</h2>
        <dl className="facts">
          <dt>{t('sv.task.region')}</dt>
          <dd>{task.regionCode}</dd>
          <dt>{t('sv.task.departments')}</dt>
          <dd>{task.departments.join('、')} {task.joint ? t('sv.task.joint') : null}</dd>
          <dt>{t('sv.task.ratios')}</dt>
          <dd>{(['A', 'B', 'C', 'D'] as const).map((g) => `${g} ${Math.round(task.ratios[g] * 100)}%`).join(' · ')}</dd>
          <dt>{t('sv.plan.inspectors')}</dt>
          <dd>{task.inspectorsPerEntity}</dd>
        </dl>
      </section>

      <section aria-labelledby="sv-draw-heading" className="console-panel section">
        <h2 id="sv-draw-heading">{t('sv.task.drawHeading')}</h2>
        {commit.isError ? <ErrorState error={commit.error} /> : null}
        {reveal.isError ? <ErrorState error={reveal.error} /> : null}
        {!draw ? (
          <>
            <p>{t('sv.task.step1')}</p>
            <Button type="primary" onClick={() => commit.mutate()} loading={commit.isPending} className="next-button">
              {t('sv.task.commit')}
            </Button>
          </>
        ) : draw.status === 'committed' ? (
          <>
            <Alert type="info" showIcon role="status" className="state-alert" title={t('sv.task.committed', { when: formatDate(draw.committedAt, i18n.language, true) })} />
            <dl className="facts">
              <dt>{t('sv.draw.commitment')}</dt>
              <dd className="seed-box" data-testid="seed-commitment">{draw.seedCommitment}</dd>
            </dl>
            <p>{t('sv.task.step2')}</p>
            <Button type="primary" onClick={() => reveal.mutate()} loading={reveal.isPending} className="next-button">
              {t('sv.task.reveal')}
            </Button>
          </>
        ) : (
          <>
            <Alert type="success" showIcon role="status" className="state-alert" title={t('sv.task.revealed', { when: formatDate(draw.revealedAt, i18n.language, true) })} />
            {revealed.isPending ? <LoadingState /> : revealed.isError ? <ErrorState error={revealed.error} /> : <DrawRecord draw={revealed.data} />}
            <p>
              <Link to={`/supervision/draws/${encodeURIComponent(draw.id)}`}>{t('sv.task.publicLink')}</Link>
            </p>
          </>
        )}
      </section>
    </>
  );
}
