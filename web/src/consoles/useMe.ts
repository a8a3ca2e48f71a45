// The signed-in official's own account (region and department), which scopes every console.
import { useQuery } from '@tanstack/react-query';
import { consoleApi } from '../api/console-client';

export function useMe() {
  return useQuery({ queryKey: ['console-me'], queryFn: consoleApi.me, staleTime: 5 * 60_000 });
}
