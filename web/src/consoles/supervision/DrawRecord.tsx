// A revealed draw as published: commitment, seed, strata, inspector pool, recusals and the
// selection — what anyone needs to recompute it. Shared by the supervisor's task page and the
// public verification page.
import { useTranslation } from 'react-i18next';
import type { PublicDraw } from '../../api/console-types';

export function DrawRecord({ draw }: { draw: PublicDraw }) {
  const { t } = useTranslation();
  return (
    <>
      <dl className="facts">
        <dt>{t('sv.draw.commitment')}</dt>
        <dd className="seed-box" data-testid="seed-commitment">{draw.seedCommitment}</dd>
        <dt>{t('sv.draw.seed')}</dt>
        <dd className="seed-box" data-testid="seed">{draw.seed}</dd>
        <dt>{t('sv.draw.pool')}</dt>
        <dd>{t('sv.draw.poolCount', { count: draw.inspectorPool.length })}</dd>
        <dt>{t('sv.draw.recused')}</dt>
        <dd>{t('sv.draw.recusedCount', { count: draw.recused.length })}</dd>
        <dt>{t('sv.draw.selected')}</dt>
        <dd>{t('sv.draw.selectedCount', { count: draw.selected.length })}</dd>
      </dl>
      <table className="data-table">
        <caption>{t('sv.draw.strataCaption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('sv.entities.grade')}</th>
            <th scope="col">{t('sv.draw.candidates')}</th>
            <th scope="col">{t('sv.draw.drawn')}</th>
          </tr>
        </thead>
        <tbody>
          {draw.strata.map((s) => (
            <tr key={s.name}>
              <td>{s.name}</td>
              <td>{s.candidates.length}</td>
              <td>{s.count}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
