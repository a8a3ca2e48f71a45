// Entity search (市场主体): by grade, kind and name, each with its credit/risk grade and, on
// request, the rules that produced it — a grade nobody can explain is not a fair grade.
import { useState } from 'react';
import { Button, Form, Input, Select, Table, Tag } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { consoleApi } from '../../api/console-client';
import type { Entity, EntityQuery, GradeLetter } from '../../api/console-types';
import { formatDate } from '../../components/formatDate';
import { PageTitle } from '../../components/PageTitle';
import { EmptyState, ErrorState, LoadingState } from '../../components/QueryStates';
import { ConsoleNav, SUPERVISION_LINKS } from '../ConsoleNav';
import '../consoles.css';

const GRADES: GradeLetter[] = ['A', 'B', 'C', 'D'];
const KINDS: NonNullable<EntityQuery['kind']>[] = ['company', 'individual', 'micro_seller', 'sharing_economy', 'rental_apartment'];
const GRADE_COLOURS: Record<GradeLetter, string> = { A: '#135200', B: '#0958d9', C: '#874d00', D: '#a8071a' };

export function GradeTag({ grade }: { grade: GradeLetter | null }) {
  const { t } = useTranslation();
  if (!grade) return <>{t('sv.entities.ungraded')}</>;
  return <Tag color={GRADE_COLOURS[grade]}>{t('sv.entities.gradeTag', { grade })}</Tag>;
}

function GradeExplanation({ entity }: { entity: Entity }) {
  const { t, i18n } = useTranslation();
  const grade = useQuery({ queryKey: ['sv-grade', entity.id], queryFn: () => consoleApi.grade(entity.id) });
  return (
    <section aria-labelledby="sv-grade-heading" className="console-panel section" aria-live="polite">
      <h2 id="sv-grade-heading">{t('sv.entities.gradeHeading', { name: entity.name })}</h2>
      {grade.isPending ? (
        <LoadingState />
      ) : grade.isError ? (
        <ErrorState error={grade.error} onRetry={() => void grade.refetch()} />
      ) : (
        <>
          <p>
            <GradeTag grade={grade.data.grade} /> {t('sv.entities.score', { score: grade.data.score })} ·{' '}
            {t('sv.entities.computedAt', { when: formatDate(grade.data.computedAt, i18n.language, true) })}
          </p>
          {grade.data.fired.length === 0 ? (
            <p>{t('sv.entities.noRules')}</p>
          ) : (
            <table className="data-table">
              <caption>{t('sv.entities.rulesCaption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('sv.entities.rule')}</th>
                  <th scope="col">{t('sv.entities.value')}</th>
                  <th scope="col">{t('sv.entities.points')}</th>
                </tr>
              </thead>
              <tbody>
                {grade.data.fired.map((r) => (
                  <tr key={r.code}>
                    <td>{r.description}</td>
                    <td>{r.value}</td>
                    <td>{r.points}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </section>
  );
}

export default function EntitiesPage() {
  const { t } = useTranslation();
  const [grade, setGrade] = useState<GradeLetter | undefined>();
  const [kind, setKind] = useState<EntityQuery['kind']>();
  const [name, setName] = useState('');
  const [chosen, setChosen] = useState<Entity | null>(null);
  const entities = useQuery({ queryKey: ['sv-entities', grade, kind], queryFn: () => consoleApi.entities({ grade, kind, limit: 500 }) });
  const needle = name.trim();
  const shown = (entities.data?.items ?? []).filter((e) => !needle || e.name.includes(needle) || (e.uscc ?? '').includes(needle.toUpperCase()));

  return (
    <>
      <PageTitle title={t('sv.entities.title')} intro={t('sv.entities.intro')} />
      <ConsoleNav labelKey="sv.nav.label" links={SUPERVISION_LINKS} />
      <Form layout="vertical" className="console-filters" role="search" aria-label={t('console.filters')}>
        <Form.Item label={t('sv.entities.name')} htmlFor="sv-name">
          <Input id="sv-name" value={name} onChange={(e) => setName(e.target.value)} autoComplete="off" />
        </Form.Item>
        <Form.Item label={t('sv.entities.grade')} htmlFor="sv-grade">
          <Select id="sv-grade" allowClear value={grade} onChange={setGrade} placeholder={t('console.all')}
            options={GRADES.map((g) => ({ value: g, label: t('sv.entities.gradeTag', { grade: g }) }))} />
        </Form.Item>
        <Form.Item label={t('sv.entities.kind')} htmlFor="sv-kind">
          <Select id="sv-kind" allowClear value={kind} onChange={setKind} placeholder={t('console.all')}
            options={KINDS.map((k) => ({ value: k, label: t(`sv.kind.${k}`) }))} />
        </Form.Item>
      </Form>
      {chosen ? <GradeExplanation key={chosen.id} entity={chosen} /> : null}
      {entities.isPending ? (
        <LoadingState />
      ) : entities.isError ? (
        <ErrorState error={entities.error} onRetry={() => void entities.refetch()} />
      ) : shown.length === 0 ? (
        <EmptyState title={t('sv.entities.empty')} hint={t('sv.entities.emptyHint')} />
      ) : (
        <Table<Entity>
          rowKey="id"
          dataSource={shown}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          scroll={{ x: true }}
          caption={t('sv.entities.caption', { count: shown.length })}
          columns={[
            { title: t('sv.entities.name'), dataIndex: 'name' },
            { title: t('sv.entities.uscc'), key: 'uscc', render: (_, e) => <span className="identifier">{e.uscc ?? '—'}</span> },
            { title: t('sv.entities.kind'), key: 'kind', render: (_, e) => t(`sv.kind.${e.kind}`) },
            { title: t('sv.entities.grade'), key: 'grade', render: (_, e) => <GradeTag grade={e.grade} /> },
            {
              title: t('sv.entities.why'),
              key: 'why',
              render: (_, e) => (
                <Button onClick={() => setChosen(e)} aria-label={t('sv.entities.whyOf', { name: e.name })} aria-pressed={chosen?.id === e.id}>
                  {t('sv.entities.why')}
                </Button>
              ),
            },
          ]}
        />
      )}
    </>
  );
}
