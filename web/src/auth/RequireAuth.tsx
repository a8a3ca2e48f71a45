// Pages about "my" affairs need a signed-in person; others are sent to login and brought back.
import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { sessionExpired, useSession } from './session';

export function RequireAuth({ children }: { children: ReactNode }) {
  const session = useSession();
  const location = useLocation();
  if (!session) {
    const next = encodeURIComponent(location.pathname + location.search);
    return <Navigate to={`/login?${sessionExpired() ? 'expired=1&' : ''}next=${next}`} replace />;
  }
  return <>{children}</>;
}
