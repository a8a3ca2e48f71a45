// Providers (antd theme + locale, react-query, router) and the route table.
import { useEffect, useMemo, type ReactNode } from 'react';
import { BrowserRouter, Route, Routes } from 'react-router';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import enUS from 'antd/locale/en_US';
import { ApiError } from './api/client';
import { RequireAuth } from './auth/RequireAuth';
import { usePreferences } from './elder/preferences';
import { elderTheme, normalTheme } from './elder/theme';
import { AppLayout } from './layout/AppLayout';
// ── officials' consoles (lazy-loaded; see consoles/routes.tsx) ──
import { consoleRoutes } from './consoles/routes';
import { lazyPage } from './lazyPage';

// Each page is its own chunk, loaded when first visited: the first screen downloads only the
// frame, the home page and the shared libraries, not every console.
const AgentGrantsPage = lazyPage(() => import('./pages/AgentGrantsPage'), 'AgentGrantsPage');
const ApplicationsPage = lazyPage(() => import('./pages/ApplicationsPage'), 'ApplicationsPage');
const DataAccessLogPage = lazyPage(() => import('./pages/DataAccessLogPage'), 'DataAccessLogPage');
const HouseholdPrivacyPage = lazyPage(() => import('./pages/HouseholdPrivacyPage'), 'HouseholdPrivacyPage');
const MyReportsPage = lazyPage(() => import('./pages/MyReportsPage'), 'MyReportsPage');
const DrawsPage = lazyPage(() => import('./pages/DrawsPage'), 'DrawsPage');
const HomePage = lazyPage(() => import('./pages/HomePage'), 'HomePage');
const LicenceWalletPage = lazyPage(() => import('./pages/LicenceWalletPage'), 'LicenceWalletPage');
const LoginPage = lazyPage(() => import('./pages/LoginPage'), 'LoginPage');
const MatterGuidePage = lazyPage(() => import('./pages/MatterGuidePage'), 'MatterGuidePage');
const NotFoundPage = lazyPage(() => import('./pages/NotFoundPage'), 'NotFoundPage');
const ReportProblemPage = lazyPage(() => import('./pages/ReportProblemPage'), 'ReportProblemPage');
const SearchPage = lazyPage(() => import('./pages/SearchPage'), 'SearchPage');
const VerifyPresentationPage = lazyPage(() => import('./pages/VerifyPresentationPage'), 'VerifyPresentationPage');

// ── Citizen portal (branch webcitizen) ──────────────────────────────────────────────────────
const ApplyPage = lazyPage(() => import('./pages/apply/ApplyPage'), 'ApplyPage');

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // A 4xx will not fix itself; retrying only delays the guidance the person needs.
      retry: (failures, error) => !(error instanceof ApiError && error.status >= 400 && error.status < 500) && failures < 2,
      refetchOnWindowFocus: false,
    },
  },
});

export function App() {
  const { elderMode, bigCursor, language } = usePreferences();

  useEffect(() => {
    const root = document.documentElement;
    root.lang = language;
    root.classList.toggle('elder-mode', elderMode);
    root.classList.toggle('big-cursor', bigCursor);
  }, [elderMode, bigCursor, language]);

  const theme = useMemo(() => (elderMode ? elderTheme : normalTheme), [elderMode]);
  const mine = (page: ReactNode) => <RequireAuth>{page}</RequireAuth>;

  return (
    <QueryClientProvider client={queryClient}>
      <ConfigProvider theme={theme} locale={language === 'en' ? enUS : zhCN} componentSize={elderMode ? 'large' : 'middle'}
        // antd puts a space inside two-character Chinese button labels ("搜 索"); read-aloud and
        // screen readers then spell it out as two words.
        button={{ autoInsertSpace: false }}
      >
        <BrowserRouter>
          <Routes>
            <Route element={<AppLayout />}>
              <Route index element={<HomePage />} />
              <Route path="login" element={<LoginPage />} />
              <Route path="search" element={<SearchPage />} />
              <Route path="matters/:code" element={<MatterGuidePage />} />
              {/* ── Citizen portal (branch webcitizen) ── */}
              <Route path="matters/:code/apply" element={mine(<ApplyPage />)} />
              {/* ── end citizen portal ── */}
              <Route path="me/applications" element={mine(<ApplicationsPage />)} />
              <Route path="me/applications/:id" element={mine(<ApplicationsPage />)} />
              <Route path="me/licences" element={mine(<LicenceWalletPage />)} />
              <Route path="me/data-access-log" element={mine(<DataAccessLogPage />)} />
              <Route path="me/agent-grants" element={mine(<AgentGrantsPage />)} />
              <Route path="supervision/draws" element={<DrawsPage />} />
              <Route path="verify/licence/:token" element={<VerifyPresentationPage />} />
              <Route path="governance/report" element={mine(<ReportProblemPage />)} />
              <Route path="me/reports" element={mine(<MyReportsPage />)} />
              <Route path="me/reports/:id" element={mine(<MyReportsPage />)} />
              <Route path="me/household" element={mine(<HouseholdPrivacyPage />)} />
              {/* ── officials' consoles: workbench, supervision, governance ── */}
              {consoleRoutes}
              {/* ── end of consoles ── */}
              <Route path="*" element={<NotFoundPage />} />
            </Route>
          </Routes>
        </BrowserRouter>
      </ConfigProvider>
    </QueryClientProvider>
  );
}
