// Event categories (with their time limits and default departments), named in the UI by code.
import { useQuery } from '@tanstack/react-query';
import { consoleApi } from '../../api/console-client';

export function useCategories() {
  const categories = useQuery({ queryKey: ['gov-categories'], queryFn: consoleApi.categories, staleTime: 10 * 60_000 });
  const byCode = new Map((categories.data?.items ?? []).map((c) => [c.code, c]));
  return { categories, name: (code: string) => byCode.get(code)?.name ?? code, byCode };
}
