// Who changed which supervision setting, when, from what to what, and why — so a grade computed
// with rule X at version 3 can be explained by what version 3 said. Filtered by kind, and by one
// setting when opened from its row on the rules page.
import { Form, Select, Table } from 'antd';
import { Link, useSearchParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { consoleApi } from '../../api/console-client';
import type { ConfigChange, ConfigKind } from '../../api/console-types';
import { formatDate } from '../../components/formatDate';
import { PageTitle } from '../../components/PageTitle';
import { EmptyState, ErrorState, LoadingState } from '../../components/QueryStates';
import { ConsoleNav, SUPERVISION_LINKS } from '../ConsoleNav';
import { ScrollRegion } from '../ScrollRegion';
import { useMe } from '../useMe';
import { subjectKey, toPercent } from './configShared';
import '../consoles.css';

const KINDS: ConfigKind[] = ['grade_rule', 'grade_policy', 'repair_period', 'restriction'];
type State = Record<string, unknown>;

/** A field's value in words: signals, lists and restriction kinds by name, yes/no for switches. */
function valueText(field: string, value: unknown, t: TFunction): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'boolean') return value ? t('console.yes') : t('console.no');
  if (field === 'signal') return t(`sv.signal.${String(value)}`, { defaultValue: String(value) });
  if (field === 'list') return t(`sv.restrictions.list.${String(value)}`, { defaultValue: String(value) });
  if (field === 'restriction') return t(`sv.restrictions.kind.${String(value)}`, { defaultValue: String(value) });
  if (value === '*') return t('sv.history.any');
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

type PolicyItem = { grade: string; ratio: number; perYear: number; minScore: number };

/** One line per field that changed ("before → after"), or every field of a new setting. */
export function changeLines(c: Pick<ConfigChange, 'kind' | 'before' | 'after'>, t: TFunction): string[] {
  const field = (name: string) => t(`sv.history.field.${name}`, { defaultValue: name });
  if (c.kind === 'grade_policy') {
    const before = ((c.before?.items ?? []) as PolicyItem[]);
    const after = ((c.after.items ?? []) as PolicyItem[]);
    return after.flatMap((a) => {
      const b = before.find((x) => x.grade === a.grade);
      const parts = [
        ['ratio', b ? `${toPercent(b.ratio)}%` : null, `${toPercent(a.ratio)}%`],
        ['perYear', b?.perYear, a.perYear],
        ['minScore', b?.minScore, a.minScore],
      ] as const;
      return parts.filter(([, x, y]) => !b || String(x) !== String(y))
        .map(([name, x, y]) => `${a.grade} · ${field(name)}: ${b ? `${String(x)} → ` : ''}${String(y)}`);
    });
  }
  const before = c.before as State | null;
  const after = c.after as State;
  const names = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after)])];
  return names
    .filter((n) => !before || JSON.stringify(before[n]) !== JSON.stringify(after[n]))
    .map((n) => `${field(n)}: ${before ? `${valueText(n, before[n], t)} → ` : ''}${valueText(n, after[n], t)}`);
}

export default function ConfigHistoryPage() {
  const { t, i18n } = useTranslation();
  const [params, setParams] = useSearchParams();
  const kind = (KINDS as string[]).includes(params.get('kind') ?? '') ? (params.get('kind') as ConfigKind) : undefined;
  const key = kind ? params.get('key') ?? undefined : undefined;
  const me = useMe();
  const history = useQuery({ queryKey: ['sv-config-history', kind, key], queryFn: () => consoleApi.configHistory({ kind, key }) });

  const settingName = (c: ConfigChange) => {
    const state = (c.after ?? {}) as State;
    switch (c.kind) {
      case 'grade_rule': return `${String(state.description ?? c.key)}（${c.key}）`;
      case 'grade_policy': return null; // one record: its kind says it all
      case 'repair_period': return t(subjectKey(c.key), { defaultValue: c.key });
      default: return t('sv.restrictions.label', {
        list: valueText('list', state.list, t), restriction: valueText('restriction', state.restriction, t),
        department: state.department === '*' ? t('sv.restrictions.anyDepartment') : String(state.department ?? ''),
        matter: state.matterCode === '*' ? t('sv.restrictions.anyMatter') : String(state.matterCode ?? ''),
      });
    }
  };
  const who = (change: { changedBy: string; changedByName: string | null }) => {
    if (change.changedBy.startsWith('system:')) return t('sv.history.system');
    if (me.data && change.changedBy === me.data.user.id) return t('sv.history.you', { name: me.data.user.displayName });
    return change.changedByName ?? t('sv.history.user', { id: change.changedBy.slice(0, 8) });
  };

  return (
    <>
      <PageTitle title={t('sv.history.title')} intro={t('sv.history.intro')} />
      <ConsoleNav labelKey="sv.nav.label" links={SUPERVISION_LINKS} />
      <p><Link to="/supervision/rules">{t('sv.history.back')}</Link></p>
      <Form layout="vertical" className="console-filters" role="search" aria-label={t('console.filters')}>
        <Form.Item label={t('sv.history.kind')} htmlFor="sv-history-kind">
          <Select id="sv-history-kind" allowClear value={kind} placeholder={t('console.all')}
            onChange={(k?: ConfigKind) => setParams(k ? { kind: k } : {})}
            options={KINDS.map((k) => ({ value: k, label: t(`sv.history.kinds.${k}`) }))} />
        </Form.Item>
      </Form>
      {key ? (
        <p data-testid="history-filter">
          {t('sv.history.oneSetting')} <Link to={`/supervision/rules/history?kind=${kind}`}>{t('sv.history.allOfKind')}</Link>
        </p>
      ) : null}
      {history.isPending ? (
        <LoadingState />
      ) : history.isError ? (
        <ErrorState error={history.error} onRetry={() => void history.refetch()} />
      ) : history.data.items.length === 0 ? (
        <EmptyState title={t('sv.history.empty')} />
      ) : (
        <ScrollRegion label={t('sv.history.caption', { count: history.data.items.length })} minWidth={960}>
          <Table<ConfigChange>
            rowKey={(c) => `${c.kind}-${c.key}-${c.version}`}
            dataSource={history.data.items}
            pagination={{ pageSize: 20, hideOnSinglePage: true }}
            caption={t('sv.history.caption', { count: history.data.items.length })}
            columns={[
              { title: t('sv.history.when'), key: 'when', render: (_, c) => formatDate(c.changedAt, i18n.language, true) },
              { title: t('sv.history.setting'), key: 'setting', render: (_, c) => <>{t(`sv.history.kinds.${c.kind}`)}{settingName(c) ? <><br />{settingName(c)}</> : null}</> },
              { title: t('sv.config.version'), dataIndex: 'version' },
              {
                title: t('sv.history.change'), key: 'change',
                render: (_, c) => (
                  <>
                    {c.before ? null : <strong>{t('sv.history.created')}</strong>}
                    <ul className="rule-list">{changeLines(c, t).map((line) => <li key={line}>{line}</li>)}</ul>
                  </>
                ),
              },
              { title: t('sv.history.reason'), dataIndex: 'reason' },
              { title: t('sv.history.who'), key: 'who', render: (_, c) => who(c) },
            ]}
          />
        </ScrollRegion>
      )}
    </>
  );
}
