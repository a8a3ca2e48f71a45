// A time limit in words and colour together (never colour alone): on time, near, overdue.
import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { STATUS_TAG } from '../ui/statusColors';

export type DeadlineState = 'on_time' | 'warning' | 'overdue' | 'done';

const COLOURS: Record<DeadlineState, string> = {
  on_time: STATUS_TAG.ok,
  warning: '#874d00',
  overdue: STATUS_TAG.bad,
  done: STATUS_TAG.neutral,
};

export function DeadlineTag({ state }: { state: DeadlineState }) {
  const { t } = useTranslation();
  return <Tag color={COLOURS[state]}>{t(`console.deadline.${state}`)}</Tag>;
}

/** The workbench's working-day clock as a deadline state: near means 3 working days or fewer. */
export function applicationDeadline(workingDaysLeft: number | null, paused: boolean): DeadlineState | null {
  if (workingDaysLeft === null || paused) return null;
  if (workingDaysLeft < 0) return 'overdue';
  if (workingDaysLeft <= 3) return 'warning';
  return 'on_time';
}
