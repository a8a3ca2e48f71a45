// Grading rules (signal ≥ threshold → points). Administrators change or add one with a reason;
// the server regrades every entity in the same transaction and says how many, which is what the
// person needs to know before and after: a rule change moves grades, and so inspection rates.
import { useState } from 'react';
import { Alert, Button, Checkbox, Form, Input, InputNumber, Select, Space, Table, Tag } from 'antd';
import { Link } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { consoleApi } from '../../api/console-client';
import type { GradeRule, GradeRuleChanged, GradeSignal } from '../../api/console-types';
import { EmptyState, ErrorState, LoadingState } from '../../components/QueryStates';
import { STATUS_TAG } from '../../ui/statusColors';
import { HistoryLink, ReasonField, SaveError, useIsAdmin } from './configShared';

const SIGNALS: GradeSignal[] = ['failed_inspections', 'penalties', 'serious_penalties', 'abnormal_listed', 'serious_listed', 'complaints', 'platform_complaints', 'false_commitments'];

interface RuleValues { threshold: number; points: number; description: string; enabled: boolean; reason: string }
interface NewRuleValues extends RuleValues { code: string; signal: GradeSignal }

function Regraded({ changed }: { changed: GradeRuleChanged }) {
  const { t } = useTranslation();
  // The link stays outside the alert: on its tinted background a link falls below 4.5:1.
  return (
    <>
      <Alert type="success" showIcon className="state-alert" data-testid="regraded"
        title={t('sv.rules.saved', { code: changed.rule.code, version: changed.rule.version })}
        description={<p>{t('sv.rules.regraded', { count: changed.regraded })}</p>} />
      <p><Link to="/supervision/entities">{t('sv.rules.seeEntities')}</Link></p>
    </>
  );
}

function RuleEditForm({ rule, onSaved, onCancel, onReload }: { rule: GradeRule; onSaved: (c: GradeRuleChanged) => void; onCancel: () => void; onReload: () => void }) {
  const { t } = useTranslation();
  const [unchanged, setUnchanged] = useState(false);
  // Only what changed is sent; the server refuses an edit that changes nothing, so it is said here first.
  const changesOf = (v: RuleValues) => ({
    ...(v.threshold !== rule.threshold ? { threshold: v.threshold } : {}),
    ...(v.points !== rule.points ? { points: v.points } : {}),
    ...(v.description.trim() !== rule.description ? { description: v.description.trim() } : {}),
    ...(v.enabled !== rule.enabled ? { enabled: v.enabled } : {}),
  });
  const save = useMutation({
    mutationFn: (v: RuleValues) => consoleApi.updateGradeRule(rule.code, { ...changesOf(v), version: rule.version, reason: v.reason.trim() }),
    onSuccess: onSaved,
  });
  const submit = (v: RuleValues) => {
    const nothing = Object.keys(changesOf(v)).length === 0;
    setUnchanged(nothing);
    if (!nothing) save.mutate(v);
  };
  return (
    <Form<RuleValues> layout="vertical" initialValues={{ ...rule, reason: '' }} onFinish={submit} aria-label={t('sv.rules.editOf', { code: rule.code })}>
      {save.isError ? <SaveError error={save.error} onReload={() => { save.reset(); onReload(); }} /> : null}
      <div aria-live="polite">{unchanged ? <Alert type="warning" showIcon className="state-alert" title={t('sv.rules.unchanged')} /> : null}</div>
      <p>{t('sv.rules.editing', { code: rule.code, version: rule.version })}</p>
      <RuleFields idPrefix="sv-rule-edit" />
      <ReasonField id="sv-rule-edit-reason" />
      <Space wrap>
        <Button type="primary" htmlType="submit" loading={save.isPending}>{t('sv.rules.submit')}</Button>
        <Button onClick={onCancel}>{t('console.cancel')}</Button>
      </Space>
    </Form>
  );
}

function RuleFields({ idPrefix }: { idPrefix: string }) {
  const { t } = useTranslation();
  return (
    <>
      <Space wrap size="large" align="start">
        <Form.Item name="threshold" label={t('sv.rules.threshold')} htmlFor={`${idPrefix}-threshold`} rules={[{ required: true, message: t('sv.rules.numberRequired') }]}>
          <InputNumber id={`${idPrefix}-threshold`} min={0} max={1_000_000} />
        </Form.Item>
        <Form.Item name="points" label={t('sv.rules.points')} htmlFor={`${idPrefix}-points`} extra={t('sv.rules.pointsHint')} rules={[{ required: true, message: t('sv.rules.numberRequired') }]}>
          <InputNumber id={`${idPrefix}-points`} min={-1000} max={1000} precision={0} />
        </Form.Item>
      </Space>
      <Form.Item name="description" label={t('sv.rules.description')} htmlFor={`${idPrefix}-description`} rules={[{ required: true, whitespace: true, max: 500, message: t('sv.rules.descriptionRequired') }]}>
        <Input id={`${idPrefix}-description`} maxLength={500} />
      </Form.Item>
      <Form.Item name="enabled" valuePropName="checked">
        <Checkbox>{t('sv.rules.enabledLabel')}</Checkbox>
      </Form.Item>
    </>
  );
}

function NewRuleForm({ onSaved, onCancel }: { onSaved: (c: GradeRuleChanged) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const save = useMutation({
    mutationFn: (v: NewRuleValues) => consoleApi.createGradeRule({
      code: v.code.trim(), signal: v.signal, threshold: v.threshold, points: v.points, description: v.description.trim(), enabled: v.enabled, reason: v.reason.trim(),
    }),
    onSuccess: onSaved,
  });
  return (
    <Form<NewRuleValues> layout="vertical" initialValues={{ enabled: true, threshold: 1, points: 10 }} onFinish={(v) => save.mutate(v)} aria-label={t('sv.rules.add')}>
      {save.isError ? <ErrorState error={save.error} /> : null}
      <Space wrap size="large" align="start">
        <Form.Item name="code" label={t('sv.rules.code')} htmlFor="sv-rule-new-code" extra={t('sv.rules.codeHint')}
          rules={[{ required: true, pattern: /^[a-z0-9-]{2,64}$/, message: t('sv.rules.codeRule') }]}>
          <Input id="sv-rule-new-code" maxLength={64} />
        </Form.Item>
        <Form.Item name="signal" label={t('sv.rules.signal')} htmlFor="sv-rule-new-signal" rules={[{ required: true, message: t('sv.rules.signalRequired') }]}>
          <Select id="sv-rule-new-signal" style={{ minWidth: 240 }} options={SIGNALS.map((s) => ({ value: s, label: t(`sv.signal.${s}`) }))} />
        </Form.Item>
      </Space>
      <RuleFields idPrefix="sv-rule-new" />
      <ReasonField id="sv-rule-new-reason" />
      <Space wrap>
        <Button type="primary" htmlType="submit" loading={save.isPending}>{t('sv.rules.create')}</Button>
        <Button onClick={onCancel}>{t('console.cancel')}</Button>
      </Space>
    </Form>
  );
}

export function GradeRulesSection() {
  const { t } = useTranslation();
  const admin = useIsAdmin();
  const queryClient = useQueryClient();
  const rules = useQuery({ queryKey: ['sv-grade-rules'], queryFn: consoleApi.gradeRules });
  const [editing, setEditing] = useState<string | 'new' | null>(null);
  const [changed, setChanged] = useState<GradeRuleChanged | null>(null);
  const rule = rules.data?.items.find((r) => r.code === editing);
  const saved = (c: GradeRuleChanged) => {
    setChanged(c);
    setEditing(null);
    void queryClient.invalidateQueries({ queryKey: ['sv-grade-rules'] });
    // Grades moved: what the entity pages and the history show is stale now.
    void queryClient.invalidateQueries({ queryKey: ['sv-entities'] });
    void queryClient.invalidateQueries({ queryKey: ['sv-config-history'] });
  };
  const start = (code: string | 'new') => { setChanged(null); setEditing(code); };

  return (
    <section aria-labelledby="sv-rules-heading" className="section">
      <h2 id="sv-rules-heading">{t('sv.rules.heading')}</h2>
      <p>{t('sv.rules.explain')}</p>
      <div role="status" aria-live="polite">{changed ? <Regraded changed={changed} /> : null}</div>
      {admin && editing ? (
        <div className="console-panel section">
          <h3>{editing === 'new' ? t('sv.rules.add') : t('sv.rules.editOf', { code: editing })}</h3>
          {editing === 'new' ? (
            <NewRuleForm onSaved={saved} onCancel={() => setEditing(null)} />
          ) : rule ? (
            <RuleEditForm key={`${rule.code}-${rule.version}`} rule={rule} onSaved={saved} onCancel={() => setEditing(null)}
              onReload={() => void rules.refetch()} />
          ) : null}
        </div>
      ) : null}
      {rules.isPending ? (
        <LoadingState />
      ) : rules.isError ? (
        <ErrorState error={rules.error} onRetry={() => void rules.refetch()} />
      ) : rules.data.items.length === 0 ? (
        <EmptyState title={t('sv.rules.empty')} />
      ) : (
        <Table<GradeRule>
          rowKey="code"
          dataSource={rules.data.items}
          pagination={false}
          scroll={{ x: 800 }}
          caption={t('sv.rules.caption', { count: rules.data.items.length })}
          columns={[
            { title: t('sv.rules.description'), key: 'description', render: (_, r) => <>{r.description}<br /><span className="identifier">{r.code}</span></> },
            { title: t('sv.rules.signal'), key: 'signal', render: (_, r) => t(`sv.signal.${r.signal}`, { defaultValue: r.signal }) },
            { title: t('sv.rules.threshold'), dataIndex: 'threshold' },
            { title: t('sv.rules.points'), dataIndex: 'points' },
            {
              title: t('sv.rules.state'), key: 'enabled',
              render: (_, r) => (r.enabled ? <Tag color={STATUS_TAG.ok}>{t('sv.rules.enabled')}</Tag> : <Tag color={STATUS_TAG.neutral}>{t('sv.rules.disabled')}</Tag>),
            },
            { title: t('sv.config.version'), dataIndex: 'version' },
            {
              title: t('console.actions'), key: 'act',
              render: (_, r) => (
                <Space wrap>
                  {admin ? (
                    <Button onClick={() => start(r.code)} aria-label={t('sv.rules.editOf', { code: r.code })} aria-expanded={editing === r.code}>
                      {t('sv.config.edit')}
                    </Button>
                  ) : null}
                  <HistoryLink kind="grade_rule" configKey={r.code} label={r.description} />
                </Space>
              ),
            },
          ]}
        />
      )}
      {admin && editing !== 'new' ? <Button className="section" onClick={() => start('new')}>{t('sv.rules.add')}</Button> : null}
    </section>
  );
}
