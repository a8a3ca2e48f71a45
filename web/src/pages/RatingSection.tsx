// 好差评: once an application has a result, the applicant rates it 1–5 with an optional comment.
// A poor rating (1–2) opens a rectification task; its progress and the department's answer are
// shown here too. The score is a labelled radio group (not stars), so every screen reader and
// keyboard user knows what each choice means.
import { useState } from 'react';
import { Alert, Button, Input, Radio } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { citizenApi } from '../api/citizen';
import type { Application, ApplicationStatus } from '../api/types';
import { formatDate } from '../components/formatDate';
import { ErrorState } from '../components/QueryStates';

/** States with a result the applicant may rate (the server's RATEABLE). */
const RATEABLE: readonly ApplicationStatus[] = ['not_accepted', 'approved', 'refused', 'delivered'];
const SCORES = [5, 4, 3, 2, 1] as const;

export function RatingSection({ application }: { application: Application }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const [score, setScore] = useState<number | null>(null);
  const [comment, setComment] = useState('');
  const [unscored, setUnscored] = useState(false);

  const rate = useMutation({
    mutationFn: () => citizenApi.rate(application.id, { score: score!, ...(comment.trim() ? { comment: comment.trim() } : {}) }),
    onSuccess: (updated) => {
      queryClient.setQueryData(['application', application.id], updated);
      void queryClient.invalidateQueries({ queryKey: ['my-applications'] });
    },
  });

  const rating = application.rating;
  if (rating) {
    return (
      <section aria-labelledby="rating-heading" className="section rating">
        <h3 id="rating-heading">{t('rating.heading')}</h3>
        <p>
          {t('rating.given', { score: rating.score, label: t(`rating.score${rating.score}`), date: formatDate(rating.ratedAt, i18n.language) })}
        </p>
        {rating.comment ? <p>{t('rating.yourComment')}: {rating.comment}</p> : null}
        {rating.rectification ? (
          <Alert type="info" showIcon className="state-alert" title={t('rating.rectification', { date: formatDate(rating.rectification.dueOn, i18n.language) })}
            description={rating.rectification.reply ? t('rating.reply', { reply: rating.rectification.reply }) : t('rating.noReplyYet')} />
        ) : null}
      </section>
    );
  }
  if (!RATEABLE.includes(application.status)) return null;

  const send = () => {
    setUnscored(score === null);
    if (score !== null) rate.mutate();
  };
  return (
    <section aria-labelledby="rating-heading" className="section rating">
      <h3 id="rating-heading">{t('rating.heading')}</h3>
      <p>{t('rating.intro')}</p>
      <Radio.Group className="choice-list" value={score} onChange={(event) => setScore(Number(event.target.value))} aria-label={t('rating.scoreLabel')}>
        {SCORES.map((s) => (
          <Radio key={s} value={s}>{t('rating.option', { score: s, label: t(`rating.score${s}`) })}</Radio>
        ))}
      </Radio.Group>
      {unscored ? <p className="field-error" role="alert">{t('rating.scoreRequired')}</p> : null}
      <label className="field">
        <span className="field-label">{t('rating.comment')}</span>
        <Input.TextArea rows={3} maxLength={1000} value={comment} onChange={(event) => setComment(event.target.value)} />
      </label>
      {rate.isError ? <ErrorState error={rate.error} /> : null}
      <Button type="primary" size="large" className="next-button" loading={rate.isPending} onClick={send}>{t('rating.submit')}</Button>
    </section>
  );
}
