// Joint-discipline restrictions (联合惩戒): what an entity on a list is refused elsewhere (no 告知承诺
// fast track, no 容缺受理, extra review). Administrators declare and switch any; the API also lets a
// department's officials and supervisors declare them for their own department's matters in their
// region, so those see the form for their department and the switch on their own restrictions.
import { useState } from 'react';
import { Alert, Button, Form, Input, Select, Space, Table, Tag } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { consoleApi } from '../../api/console-client';
import type { NewRestriction, Restriction } from '../../api/console-types';
import { ErrorState, LoadingState } from '../../components/QueryStates';
import { STATUS_TAG } from '../../ui/statusColors';
import { useHasRole } from '../RequireRole';
import { useMe } from '../useMe';
import { HistoryLink, ReasonField, SaveError, useIsAdmin } from './configShared';

const KINDS: NewRestriction['restriction'][] = ['no_commitment', 'no_tolerance', 'extra_review'];
const LISTS: NewRestriction['list'][] = ['abnormal', 'serious'];

/** Region scope as the server tests it: the code without its trailing zero groups is a prefix. */
const scopeOf = (code: string) => (/^\d{6}$/.test(code) ? code.replace(/0000$/, '').replace(/00$/, '') : code);

function useRestrictionLabel() {
  const { t } = useTranslation();
  return (r: Pick<Restriction, 'list' | 'department' | 'matterCode' | 'restriction'>) => t('sv.restrictions.label', {
    list: t(`sv.restrictions.list.${r.list}`, { defaultValue: r.list }),
    restriction: t(`sv.restrictions.kind.${r.restriction}`, { defaultValue: r.restriction }),
    department: r.department === '*' ? t('sv.restrictions.anyDepartment') : r.department,
    matter: r.matterCode === '*' ? t('sv.restrictions.anyMatter') : r.matterCode,
  });
}

function SwitchForm({ restriction, onSaved, onCancel, onReload }: { restriction: Restriction; onSaved: (r: Restriction) => void; onCancel: () => void; onReload: () => void }) {
  const { t } = useTranslation();
  const save = useMutation({
    mutationFn: (v: { reason: string }) => consoleApi.updateRestriction(restriction.id, { active: !restriction.active, version: restriction.version, reason: v.reason.trim() }),
    onSuccess: onSaved,
  });
  return (
    <Form<{ reason: string }> layout="vertical" onFinish={(v) => save.mutate(v)}>
      {save.isError ? <SaveError error={save.error} onReload={() => { save.reset(); onReload(); }} /> : null}
      <ReasonField id="sv-restriction-switch-reason" />
      <Space wrap>
        <Button type="primary" htmlType="submit" loading={save.isPending}>
          {restriction.active ? t('sv.restrictions.switchOff') : t('sv.restrictions.switchOn')}
        </Button>
        <Button onClick={onCancel}>{t('console.cancel')}</Button>
      </Space>
    </Form>
  );
}

type NewValues = Omit<NewRestriction, 'regionCode'> & { regionCode?: string };

function NewRestrictionForm({ admin, department, region, onSaved, onCancel }: { admin: boolean; department: string; region: string; onSaved: (r: Restriction) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const save = useMutation({
    mutationFn: (v: NewValues) => consoleApi.createRestriction({
      list: v.list, restriction: v.restriction, matterCode: v.matterCode.trim(), reason: v.reason.trim(),
      department: admin ? v.department.trim() : department,
      ...(admin ? (v.regionCode?.trim() ? { regionCode: v.regionCode.trim() } : {}) : { regionCode: region }),
    }),
    onSuccess: onSaved,
  });
  return (
    <Form<NewValues> layout="vertical" initialValues={{ list: 'abnormal', restriction: 'no_commitment', department: admin ? '*' : department, matterCode: '*' }}
      onFinish={(v) => save.mutate(v)} aria-label={t('sv.restrictions.add')}>
      {save.isError ? <ErrorState error={save.error} /> : null}
      {admin ? null : <p>{t('sv.restrictions.ownScope', { department, region })}</p>}
      <Space wrap size="large" align="start">
        <Form.Item name="list" label={t('sv.restrictions.listLabel')} htmlFor="sv-restriction-list">
          <Select id="sv-restriction-list" style={{ minWidth: 200 }} options={LISTS.map((l) => ({ value: l, label: t(`sv.restrictions.list.${l}`) }))} />
        </Form.Item>
        <Form.Item name="restriction" label={t('sv.restrictions.kindLabel')} htmlFor="sv-restriction-kind">
          <Select id="sv-restriction-kind" style={{ minWidth: 220 }} options={KINDS.map((k) => ({ value: k, label: t(`sv.restrictions.kind.${k}`) }))} />
        </Form.Item>
      </Space>
      {admin ? (
        <Form.Item name="department" label={t('sv.restrictions.department')} htmlFor="sv-restriction-department" extra={t('sv.restrictions.starHint')}
          rules={[{ required: true, whitespace: true, max: 200, message: t('sv.restrictions.required') }]}>
          <Input id="sv-restriction-department" maxLength={200} />
        </Form.Item>
      ) : null}
      <Form.Item name="matterCode" label={t('sv.restrictions.matter')} htmlFor="sv-restriction-matter" extra={t('sv.restrictions.starHint')}
        rules={[{ required: true, whitespace: true, max: 100, message: t('sv.restrictions.required') }]}>
        <Input id="sv-restriction-matter" maxLength={100} />
      </Form.Item>
      {admin ? (
        <Form.Item name="regionCode" label={t('sv.restrictions.region')} htmlFor="sv-restriction-region" extra={t('sv.restrictions.regionHint')}
          rules={[{ pattern: /^\d{6}(\d{3}(\d{3})?)?$/, message: t('sv.restrictions.regionRule') }]}>
          <Input id="sv-restriction-region" maxLength={12} />
        </Form.Item>
      ) : null}
      <ReasonField id="sv-restriction-new-reason" />
      <Space wrap>
        <Button type="primary" htmlType="submit" loading={save.isPending}>{t('sv.restrictions.create')}</Button>
        <Button onClick={onCancel}>{t('console.cancel')}</Button>
      </Space>
    </Form>
  );
}

export function RestrictionsSection() {
  const { t } = useTranslation();
  const admin = useIsAdmin();
  const official = useHasRole('supervision');
  const me = useMe();
  const label = useRestrictionLabel();
  const queryClient = useQueryClient();
  const restrictions = useQuery({ queryKey: ['sv-restrictions'], queryFn: consoleApi.restrictions });
  const [editing, setEditing] = useState<string | 'new' | null>(null);
  const [saved, setSaved] = useState<Restriction | null>(null);
  const department = me.data?.user.department ?? '';
  const region = me.data?.user.regionCode ?? '';
  const mayDeclare = admin || (official && !!department && !!region);
  // Mirrors the server: an administrator may switch any; others their own department's, within their region.
  const maySwitch = (r: Restriction) => admin || (mayDeclare && r.department === department && !!r.regionCode && r.regionCode.startsWith(scopeOf(region)));
  const current = restrictions.data?.items.find((r) => r.id === editing);
  const done = (r: Restriction) => {
    setSaved(r);
    setEditing(null);
    void queryClient.invalidateQueries({ queryKey: ['sv-restrictions'] });
    void queryClient.invalidateQueries({ queryKey: ['sv-config-history'] });
  };
  const start = (id: string | 'new') => { setSaved(null); setEditing(id); };

  return (
    <section aria-labelledby="sv-restrictions-heading" className="section">
      <h2 id="sv-restrictions-heading">{t('sv.restrictions.heading')}</h2>
      <p>{t('sv.restrictions.explain')}</p>
      <div role="status" aria-live="polite">
        {saved ? <Alert type="success" showIcon className="state-alert" title={t(saved.active ? 'sv.restrictions.savedOn' : 'sv.restrictions.savedOff', { what: label(saved) })} /> : null}
      </div>
      {editing === 'new' && mayDeclare ? (
        <div className="console-panel section">
          <h3>{t('sv.restrictions.add')}</h3>
          <NewRestrictionForm admin={admin} department={department} region={region} onSaved={done} onCancel={() => setEditing(null)} />
        </div>
      ) : current && maySwitch(current) ? (
        <div className="console-panel section">
          <h3>{current.active ? t('sv.restrictions.switchOffOf', { what: label(current) }) : t('sv.restrictions.switchOnOf', { what: label(current) })}</h3>
          <SwitchForm key={`${current.id}-${current.version}`} restriction={current} onSaved={done} onCancel={() => setEditing(null)}
            onReload={() => void restrictions.refetch()} />
        </div>
      ) : null}
      {restrictions.isPending ? (
        <LoadingState />
      ) : restrictions.isError ? (
        <ErrorState error={restrictions.error} onRetry={() => void restrictions.refetch()} />
      ) : (
        <Table<Restriction>
          rowKey="id"
          dataSource={restrictions.data.items}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          scroll={{ x: 800 }}
          caption={t('sv.restrictions.caption', { count: restrictions.data.items.length })}
          columns={[
            { title: t('sv.restrictions.listLabel'), key: 'list', render: (_, r) => t(`sv.restrictions.list.${r.list}`, { defaultValue: r.list }) },
            { title: t('sv.restrictions.kindLabel'), key: 'kind', render: (_, r) => t(`sv.restrictions.kind.${r.restriction}`, { defaultValue: r.restriction }) },
            { title: t('sv.restrictions.department'), key: 'department', render: (_, r) => (r.department === '*' ? t('sv.restrictions.anyDepartment') : r.department) },
            { title: t('sv.restrictions.matter'), key: 'matter', render: (_, r) => (r.matterCode === '*' ? t('sv.restrictions.anyMatter') : <span className="identifier">{r.matterCode}</span>) },
            { title: t('sv.restrictions.region'), key: 'region', render: (_, r) => r.regionCode ?? t('sv.restrictions.nationwide') },
            {
              title: t('sv.rules.state'), key: 'active',
              render: (_, r) => (r.active ? <Tag color={STATUS_TAG.ok}>{t('sv.restrictions.active')}</Tag> : <Tag color={STATUS_TAG.neutral}>{t('sv.restrictions.inactive')}</Tag>),
            },
            {
              title: t('console.actions'), key: 'act',
              render: (_, r) => (
                <Space wrap>
                  {maySwitch(r) ? (
                    <Button onClick={() => start(r.id)} aria-expanded={editing === r.id}
                      aria-label={r.active ? t('sv.restrictions.switchOffOf', { what: label(r) }) : t('sv.restrictions.switchOnOf', { what: label(r) })}>
                      {r.active ? t('sv.restrictions.switchOff') : t('sv.restrictions.switchOn')}
                    </Button>
                  ) : null}
                  <HistoryLink kind="restriction" configKey={r.id} label={label(r)} />
                </Space>
              ),
            },
          ]}
        />
      )}
      {mayDeclare && editing !== 'new' ? <Button className="section" onClick={() => start('new')}>{t('sv.restrictions.add')}</Button> : null}
    </section>
  );
}
