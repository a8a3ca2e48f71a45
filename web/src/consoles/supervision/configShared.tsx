// What every supervision-settings editor shares: who may edit (the API's platform:admin is the
// admin role), the reason each change must carry (kept in the history), and the guidance when
// someone else changed the same setting first (409 CONFLICT: nothing was saved).
import { Alert, Button, Form, Input } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ApiError } from '../../api/client';
import type { ConfigKind } from '../../api/console-types';
import { useSession } from '../../auth/session';
import { ErrorState } from '../../components/QueryStates';

/** Administrators edit the nationwide settings; everyone else sees them without edit controls. */
export function useIsAdmin(): boolean {
  return useSession()?.user.roles.includes('admin') ?? false;
}

/** The reason field of every change form (2–1000 characters, as the API's schema says). */
export function ReasonField({ id }: { id: string }) {
  const { t } = useTranslation();
  return (
    <Form.Item name="reason" label={t('sv.config.reason')} htmlFor={id} extra={t('sv.config.reasonHint')}
      rules={[{ required: true, whitespace: true, min: 2, max: 1000, message: t('sv.config.reasonRequired') }]}>
      <Input.TextArea id={id} rows={2} maxLength={1000} />
    </Form.Item>
  );
}

export const isStale = (error: unknown) => error instanceof ApiError && error.status === 409 && error.code === 'CONFLICT';

/**
 * A failed save. A stale version means another person saved first: say so, say nothing was
 * saved, and offer to load what is there now; any other failure reads as usual.
 */
export function SaveError({ error, onReload }: { error: unknown; onReload: () => void }) {
  const { t } = useTranslation();
  if (!isStale(error)) return <ErrorState error={error} />;
  return (
    <Alert
      type="warning"
      showIcon
      role="alert"
      className="state-alert"
      data-testid="stale-edit"
      title={t('sv.config.stale.title')}
      description={
        <>
          <p>{t('sv.config.stale.todo')}</p>
          <Button onClick={onReload}>{t('sv.config.stale.reload')}</Button>
        </>
      }
    />
  );
}

/** A link to one setting's change history. */
export function HistoryLink({ kind, configKey, label }: { kind: ConfigKind; configKey: string; label: string }) {
  const { t } = useTranslation();
  return (
    <Link to={`/supervision/rules/history?kind=${kind}&key=${encodeURIComponent(configKey)}`} aria-label={t('sv.config.historyOf', { name: label })}>
      {t('sv.config.history')}
    </Link>
  );
}

/** 0.03 ↔ 3 (%), without floating-point tails. */
export const toPercent = (ratio: number) => Math.round(ratio * 10000) / 100;
export const fromPercent = (percent: number) => Math.round(percent * 100) / 10000;

/** Repair subjects are 'penalty:minor' etc.; i18next reads ':' as a namespace, so the key uses '.'. */
export const subjectKey = (subject: string) => `sv.config.subject.${subject.replace(':', '.')}`;
