// One standing schedule's year: per grade how many entities, at what ratio, how many rounds and so
// how many inspections; per period the ratios drawn, the counts a draw would take today, and the
// task (with its draw) once the period's task exists. "Create this period's task now" does what
// the hourly job does, never twice.
import { Alert, Button, InputNumber, Space, Table, Tag } from 'antd';
import { Link, useParams, useSearchParams } from 'react-router';
import { useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { consoleApi } from '../../api/console-client';
import type { GradeLetter, SchedulePlan, Task } from '../../api/console-types';
import { formatDate } from '../../components/formatDate';
import { PageTitle } from '../../components/PageTitle';
import { ErrorState, LoadingState } from '../../components/QueryStates';
import { STATUS_TAG } from '../../ui/statusColors';
import { ConsoleNav, SUPERVISION_LINKS } from '../ConsoleNav';
import { ScrollRegion } from '../ScrollRegion';
import { toPercent } from './configShared';
import '../consoles.css';

const GRADES: GradeLetter[] = ['A', 'B', 'C', 'D'];
type Period = SchedulePlan['periods'][number];

function DrawCell({ task }: { task: Task | undefined }) {
  const { t } = useTranslation();
  if (!task) return <>—</>;
  const draw = task.draw;
  if (!draw) return <Tag color={STATUS_TAG.neutral}>{t('sv.schedule.drawNone')}</Tag>;
  if (draw.status !== 'revealed') return <Tag color={STATUS_TAG.neutral}>{t('sv.schedule.drawCommitted')}</Tag>;
  return <Link to={`/supervision/draws/${encodeURIComponent(draw.id)}`}>{t('sv.schedule.drawRevealed')}</Link>;
}

export default function SchedulePage() {
  const { t, i18n } = useTranslation();
  const { id = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const thisYear = new Date().getFullYear();
  const year = Number(params.get('year')) || thisYear;
  const queryClient = useQueryClient();
  const plan = useQuery({ queryKey: ['sv-schedule-plan', id, year], queryFn: () => consoleApi.schedulePlan(id, year) });
  const taskIds = (plan.data?.periods ?? []).map((p) => p.taskId).filter((x): x is string => !!x);
  const tasks = useQueries({ queries: taskIds.map((taskId) => ({ queryKey: ['sv-task', taskId], queryFn: () => consoleApi.task(taskId) })) });
  const taskOf = (p: Period) => tasks.find((q) => q.data?.id === p.taskId)?.data;
  const run = useMutation({
    mutationFn: () => consoleApi.runSchedule(id),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['sv-schedule-plan', id] }),
  });
  const schedule = plan.data?.schedule;

  return (
    <>
      <PageTitle title={schedule ? t('sv.schedule.title', { name: schedule.name }) : t('sv.schedule.titlePlain')} intro={t('sv.schedule.intro')} />
      <ConsoleNav labelKey="sv.nav.label" links={SUPERVISION_LINKS} />
      <p><Link to="/supervision/schedules">{t('sv.schedule.back')}</Link></p>
      <div role="status" aria-live="polite">
        {params.get('created') && schedule ? <Alert type="success" showIcon className="state-alert" title={t('sv.schedule.created', { name: schedule.name })} /> : null}
        {run.isSuccess ? (
          <Alert type="success" showIcon className="state-alert" data-testid="schedule-run"
            title={run.data.created ? t('sv.schedule.runCreated', { period: run.data.period }) : run.data.taskId ? t('sv.schedule.runExisted', { period: run.data.period }) : t('sv.schedule.runNothingDue', { period: run.data.period })} />
        ) : null}
      </div>
      {run.isError ? <ErrorState error={run.error} /> : null}
      {plan.isPending ? (
        <LoadingState />
      ) : plan.isError ? (
        <ErrorState error={plan.error} onRetry={() => void plan.refetch()} />
      ) : (
        <>
          <section aria-labelledby="sv-schedule-facts" className="console-panel">
            <h2 id="sv-schedule-facts">{t('sv.schedule.facts')}</h2>
            <dl className="facts">
              <dt>{t('sv.task.region')}</dt>
              <dd>{plan.data.schedule.regionCode}</dd>
              <dt>{t('sv.schedules.periodsPerYear')}</dt>
              <dd>{t(`sv.schedules.periodsName.${plan.data.schedule.periodsPerYear}`, { defaultValue: String(plan.data.schedule.periodsPerYear) })}</dd>
              <dt>{t('sv.plan.inspectors')}</dt>
              <dd>{plan.data.schedule.inspectorsPerEntity}</dd>
              <dt>{t('sv.schedule.state')}</dt>
              <dd>{plan.data.schedule.active ? t('sv.schedule.active') : t('sv.schedule.inactive')}</dd>
            </dl>
            {plan.data.schedule.active ? (
              <Button onClick={() => run.mutate()} loading={run.isPending}>{t('sv.schedule.runNow')}</Button>
            ) : null}
          </section>
          <Space wrap align="end" className="section">
            <label htmlFor="sv-schedule-year">{t('sv.schedule.year')}</label>
            <InputNumber id="sv-schedule-year" min={2000} max={2999} precision={0} value={year}
              onChange={(y) => { if (y && y >= 2000 && y <= 2999) setParams({ year: String(y) }); }} />
          </Space>
          <section aria-labelledby="sv-schedule-grades" className="section">
            <h2 id="sv-schedule-grades">{t('sv.schedule.gradesHeading', { year })}</h2>
            <table className="data-table">
              <caption>{t('sv.schedule.gradesCaption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('sv.entities.grade')}</th>
                  <th scope="col">{t('sv.schedule.entities')}</th>
                  <th scope="col">{t('sv.policy.ratio')}</th>
                  <th scope="col">{t('sv.policy.perYear')}</th>
                  <th scope="col">{t('sv.schedule.inspectionsPerYear')}</th>
                </tr>
              </thead>
              <tbody>
                {plan.data.grades.map((g) => (
                  <tr key={g.grade}>
                    <th scope="row">{t('sv.entities.gradeTag', { grade: g.grade })}</th>
                    <td>{g.entities}</td>
                    <td>{toPercent(g.ratio)}%</td>
                    <td>{g.perYear}</td>
                    <td>{g.inspectionsPerYear}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          <section aria-labelledby="sv-schedule-periods" className="section">
            <h2 id="sv-schedule-periods">{t('sv.schedule.periodsHeading')}</h2>
            <ScrollRegion label={t('sv.schedule.periodsCaption')} minWidth={720}>
              <Table<Period>
                rowKey="period"
                dataSource={plan.data.periods}
                pagination={false}
                caption={t('sv.schedule.periodsCaption')}
                columns={[
                  { title: t('sv.schedule.period'), key: 'period', render: (_, p) => <>{p.period}<br />{t('sv.schedule.startsOn', { date: formatDate(p.startsOn, i18n.language) })}</> },
                  {
                    title: t('sv.schedule.ratios'), key: 'ratios',
                    render: (_, p) => GRADES.every((g) => p.ratios[g] === 0) ? t('sv.schedule.noRound') : GRADES.filter((g) => p.ratios[g] > 0).map((g) => `${g} ${toPercent(p.ratios[g])}%`).join(' · '),
                  },
                  { title: t('sv.schedule.expected'), key: 'expected', render: (_, p) => GRADES.map((g) => `${g} ${p.expected[g]}`).join(' · ') },
                  {
                    title: t('sv.schedule.task'), key: 'task',
                    render: (_, p) => (p.taskId ? <Link to={`/supervision/tasks/${encodeURIComponent(p.taskId)}`}>{taskOf(p)?.name ?? t('sv.schedule.openTask')}</Link> : t('sv.schedule.noTask')),
                  },
                  { title: t('sv.schedule.draw'), key: 'draw', render: (_, p) => (p.taskId ? <DrawCell task={taskOf(p)} /> : '—') },
                ]}
              />
            </ScrollRegion>
          </section>
        </>
      )}
    </>
  );
}
