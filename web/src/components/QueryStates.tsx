// Loading, error and empty states shared by every page. Errors and empty lists read as guidance:
// what happened and what the person can do next.
import type { ReactNode } from 'react';
import { Alert, Button, Empty, Spin } from 'antd';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';
import { describeError } from '../api/describeError';

export function LoadingState({ label }: { label?: string }) {
  const { t } = useTranslation();
  return (
    <div className="state-block" role="status" aria-live="polite">
      <Spin />
      <span className="state-text">{label ?? t('common.loading')}</span>
    </div>
  );
}

interface ErrorStateProps {
  error: unknown;
  onRetry?: () => void;
}

/** Only failures that may pass on their own get a "try again" button; a 404 or 403 will not. */
function isWorthRetrying(error: unknown): boolean {
  return !(error instanceof ApiError) || error.status === 0 || error.status === 429 || error.status >= 500;
}

export function ErrorState({ error, onRetry }: ErrorStateProps) {
  const { t } = useTranslation();
  const guidance = describeError(error, t);
  const retry = onRetry && isWorthRetrying(error) ? onRetry : undefined;
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      className="state-alert"
      title={guidance.title}
      description={
        <>
          <p>{guidance.todo}</p>
          {guidance.details.length > 0 ? (
            <ul aria-label={t('errors.detailsLabel')}>
              {guidance.details.map((detail) => (
                <li key={detail}>{detail}</li>
              ))}
            </ul>
          ) : null}
          {retry ? <Button onClick={retry}>{t('common.retry')}</Button> : null}
        </>
      }
    />
  );
}

interface EmptyStateProps {
  title: string;
  hint?: ReactNode;
  children?: ReactNode;
}

export function EmptyState({ title, hint, children }: EmptyStateProps) {
  return (
    <Empty
      className="state-block"
      image={Empty.PRESENTED_IMAGE_SIMPLE}
      description={
        <>
          <strong className="state-title">{title}</strong>
          {hint ? <span className="state-hint">{hint}</span> : null}
        </>
      }
    >
      {children}
    </Empty>
  );
}
