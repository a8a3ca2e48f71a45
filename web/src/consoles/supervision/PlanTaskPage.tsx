// Plan a 双随机 task (supervisors): which supervision items, in which region, how many inspectors
// per entity (the law's minimum is two). Ratios per grade come from the grade policy.
import { Button, Form, Input, InputNumber } from 'antd';
import { useNavigate } from 'react-router';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { consoleApi } from '../../api/console-client';
import type { NewTask } from '../../api/console-types';
import { PageTitle } from '../../components/PageTitle';
import { EmptyState, ErrorState, LoadingState } from '../../components/QueryStates';
import { CheckboxGroup } from '../CheckboxGroup';
import { ConsoleNav, SUPERVISION_LINKS } from '../ConsoleNav';
import { useMe } from '../useMe';
import '../consoles.css';

export default function PlanTaskPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const me = useMe();
  const region = me.data?.user.regionCode ?? undefined;
  const items = useQuery({ queryKey: ['sv-items', region], queryFn: () => consoleApi.supervisionItems(region), enabled: me.isSuccess });
  const plan = useMutation({
    mutationFn: (body: NewTask) => consoleApi.planTask(body),
    onSuccess: (task) => void navigate(`/supervision/tasks/${encodeURIComponent(task.id)}`),
  });

  return (
    <>
      <PageTitle title={t('sv.plan.title')} intro={t('sv.plan.intro')} />
      <ConsoleNav labelKey="sv.nav.label" links={SUPERVISION_LINKS} />
      {me.isError ? <ErrorState error={me.error} /> : null}
      {items.isPending && !me.isError ? <LoadingState /> : null}
      {items.isError ? <ErrorState error={items.error} onRetry={() => void items.refetch()} /> : null}
      {plan.isError ? <ErrorState error={plan.error} /> : null}
      {items.isSuccess && items.data.items.length === 0 ? <EmptyState title={t('sv.plan.noItems')} /> : null}
      {items.isSuccess && items.data.items.length > 0 && region ? (
        <Form<{ name: string; itemIds: string[]; inspectorsPerEntity: number }>
          layout="vertical"
          initialValues={{ inspectorsPerEntity: 2, itemIds: [] }}
          onFinish={(v) => plan.mutate({ name: v.name.trim(), regionCode: region, itemIds: v.itemIds, inspectorsPerEntity: v.inspectorsPerEntity })}
        >
          <p>{t('sv.plan.region', { region })}</p>
          <Form.Item name="name" label={t('sv.plan.name')} rules={[{ required: true, whitespace: true, message: t('sv.plan.nameRequired') }]}>
            <Input maxLength={200} />
          </Form.Item>
          <Form.Item name="itemIds" label={t('sv.plan.items')} extra={t('sv.plan.itemsHint')}
            rules={[{ required: true, type: 'array', min: 1, message: t('sv.plan.itemsRequired') }]}>
            <CheckboxGroup
              label={t('sv.plan.items')}
              options={items.data.items.map((i) => ({ value: i.id, label: `${i.name}（${i.department}）` }))}
            />
          </Form.Item>
          <Form.Item name="inspectorsPerEntity" label={t('sv.plan.inspectors')} extra={t('sv.plan.inspectorsHint')}>
            <InputNumber min={2} max={10} />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={plan.isPending} className="next-button">
            {t('sv.plan.submit')}
          </Button>
        </Form>
      ) : null}
    </>
  );
}
