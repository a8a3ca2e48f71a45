// The frame around every page: skip link, header (brand, tools, account, navigation), the
// <main> landmark and the footer.
import { Suspense, useEffect, useRef, useState, type MouseEvent } from 'react';
import { Link, NavLink, Outlet, useLocation, useNavigate } from 'react-router';
import { Button } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { isOfficial, setSession, useSession } from '../auth/session';
import { usePreferences } from '../elder/preferences';
import { LoadingState } from '../components/QueryStates';
import { AccessibilityTools } from './AccessibilityTools';
import { NAV_ITEMS } from './navItems';

export function AppLayout() {
  const { t } = useTranslation();
  const session = useSession();
  const { elderMode } = usePreferences();
  const location = useLocation();
  const navigate = useNavigate();
  const mainRef = useRef<HTMLElement>(null);
  const [status, setStatus] = useState('');
  const shownPath = useRef(location.pathname);

  // After client-side navigation, move focus to the new page so screen readers announce it.
  // Keyed on the path actually shown (not a first-render flag), so effects that run twice
  // (React's StrictMode) never steal focus on the first page and skip the skip link.
  useEffect(() => {
    if (shownPath.current === location.pathname) return;
    shownPath.current = location.pathname;
    setStatus('');
    mainRef.current?.focus();
  }, [location.pathname]);

  const skipToContent = (event: MouseEvent<HTMLAnchorElement>) => {
    event.preventDefault();
    mainRef.current?.focus();
  };

  const logout = async () => {
    await api.logout().catch(() => undefined); // signing out locally matters even if the call fails
    setSession(null);
    void navigate('/');
  };

  const official = isOfficial(session?.user);
  const roles = session?.user.roles ?? [];
  const mayUse = (item: (typeof NAV_ITEMS)[number]) => !item.roles || roles.some((r) => r === 'admin' || item.roles!.includes(r));
  const navItems = NAV_ITEMS.filter((item) => (!item.officialOnly || official) && mayUse(item) && (!elderMode || item.elder));

  return (
    <div className="app-frame">
      <a className="skip-link" href="#main" onClick={skipToContent}>
        {t('layout.skipToContent')}
      </a>
      <header className="site-header">
        <div className="site-header-top">
          <Link to="/" className="brand">
            <span className="brand-name">{t('app.name')}</span>
            <span className="brand-tagline">{t('app.tagline')}</span>
          </Link>
          <AccessibilityTools onStatus={setStatus} routeKey={location.pathname} />
          <div className="account">
            {session ? (
              <>
                <span className="account-name">{t('layout.signedInAs', { name: session.user.displayName ?? session.user.username })}</span>
                <Button onClick={() => void logout()}>{t('layout.logout')}</Button>
              </>
            ) : (
              <Link className="link-button link-button-primary" to="/login">
                {t('layout.login')}
              </Link>
            )}
          </div>
        </div>
        <nav aria-label={t('layout.mainNav')} className="main-nav">
          <ul>
            {navItems.map((item) => (
              <li key={item.to}>
                <NavLink to={item.to} end={item.to === '/'}>
                  {t(item.labelKey)}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
      </header>
      <div className="tool-status" role="status" aria-live="polite">
        {status}
      </div>
      <main id="main" ref={mainRef} tabIndex={-1} className="site-main">
        {elderMode && location.pathname !== '/me/agent-grants' ? (
          // A div, not <aside>: a complementary landmark must not sit inside <main>.
          <div className="ask-relative">
            <Link to="/me/agent-grants" className="link-button link-button-primary ask-relative-link">
              {t('elder.askRelative')}
            </Link>
          </div>
        ) : null}
        {/* Pages load on first visit (App.tsx); the frame stays while one does. */}
        <Suspense fallback={<LoadingState />}>
          <Outlet />
        </Suspense>
      </main>
      <footer className="site-footer">
        <p>{t('layout.footer')}</p>
        <p>
          <Link to="/supervision/draws">{t('nav.draws')}</Link>
        </p>
      </footer>
    </div>
  );
}
