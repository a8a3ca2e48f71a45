// The smart-guide (智能导办) search box: everyday words, pinyin or initials all work
// (the server segments, matches pinyin and synonyms — issue 4 §6).
import { useId, useState, type FormEvent } from 'react';
import { Button, Input } from 'antd';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';

export function SearchForm({ initial = '' }: { initial?: string }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const inputId = useId();
  const hintId = useId();
  const [query, setQuery] = useState(initial);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const q = query.trim();
    if (q) void navigate(`/search?q=${encodeURIComponent(q)}`);
  };

  return (
    <form role="search" className="search-form" onSubmit={submit} aria-label={t('search.formLabel')}>
      <label htmlFor={inputId} className="search-label">
        {t('search.label')}
      </label>
      <p id={hintId} className="search-hint">
        {t('search.hint')}
      </p>
      <div className="search-row">
        <Input
          id={inputId}
          size="large"
          value={query}
          onChange={(event) => setQuery(event.target.value)}
          aria-describedby={hintId}
          type="search"
          autoComplete="off"
        />
        <Button type="primary" size="large" htmlType="submit" className="next-button">
          {t('search.submit')}
        </Button>
      </div>
    </form>
  );
}
