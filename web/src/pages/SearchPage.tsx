// Search results for the smart guide: best match first, each linking to its guide page.
import { Link, useSearchParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { PageTitle } from '../components/PageTitle';
import { EmptyState, ErrorState, LoadingState } from '../components/QueryStates';
import { SearchForm } from '../components/SearchForm';

export function SearchPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const q = params.get('q')?.trim() ?? '';
  const results = useQuery({
    queryKey: ['catalog-search', q],
    queryFn: () => api.searchCatalog(q),
    enabled: q !== '',
  });

  return (
    <>
      <PageTitle title={q ? t('search.resultsTitle', { q }) : t('search.title')} />
      <SearchForm key={q} initial={q} />
      <section aria-labelledby="results-heading" className="section" aria-busy={results.isFetching}>
        <h2 id="results-heading">{t('search.resultsHeading')}</h2>
        {!q ? (
          <EmptyState title={t('search.noQuery')} hint={t('search.hint')} />
        ) : results.isPending ? (
          <LoadingState />
        ) : results.isError ? (
          <ErrorState error={results.error} onRetry={() => void results.refetch()} />
        ) : results.data.items.length === 0 ? (
          <EmptyState title={t('search.empty', { q })} hint={t('search.emptyHint')} />
        ) : (
          <ol className="result-list">
            {results.data.items.map((item) => (
              <li key={item.code} className="result-item">
                <Link to={`/matters/${encodeURIComponent(item.code)}`} className="result-link">
                  {item.name}
                </Link>
                <p className="result-meta">
                  {[item.department, item.category]
                    .filter(Boolean)
                    .join(' · ')}
                  <span className="result-code">{t('matter.code')}: {item.code}</span>
                </p>
              </li>
            ))}
          </ol>
        )}
      </section>
    </>
  );
}
