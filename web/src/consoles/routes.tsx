// The officials' consoles (workbench, supervision, governance) and their public supervision
// pages: one route table, each page loaded only when first opened (React.lazy), each guarded by
// the roles the API gives that job.
import { lazy, Suspense, type ComponentType, type LazyExoticComponent } from 'react';
import { Route } from 'react-router';
import { LoadingState } from '../components/QueryStates';
import { RequireRole, type ConsoleArea } from './RequireRole';

const pages = {
  workbench: lazy(() => import('./workbench/WorkbenchPage')),
  application: lazy(() => import('./workbench/ApplicationDetailPage')),
  issue: lazy(() => import('./workbench/LicenceIssuePage')),
  catalogue: lazy(() => import('./workbench/CataloguePage')),
  matter: lazy(() => import('./workbench/MatterEditorPage')),
  entities: lazy(() => import('./supervision/EntitiesPage')),
  plan: lazy(() => import('./supervision/PlanTaskPage')),
  task: lazy(() => import('./supervision/TaskPage')),
  inspections: lazy(() => import('./supervision/InspectionsPage')),
  lists: lazy(() => import('./supervision/ListsPage')),
  drawVerify: lazy(() => import('./supervision/DrawVerifyPage')),
  results: lazy(() => import('./supervision/ResultsPage')),
  rules: lazy(() => import('./supervision/RulesPage')),
  configHistory: lazy(() => import('./supervision/ConfigHistoryPage')),
  schedules: lazy(() => import('./supervision/SchedulesPage')),
  schedule: lazy(() => import('./supervision/SchedulePage')),
  events: lazy(() => import('./governance/EventsPage')),
  report: lazy(() => import('./governance/ReportEventPage')),
  event: lazy(() => import('./governance/EventDetailPage')),
  statistics: lazy(() => import('./governance/StatisticsPage')),
  gridTree: lazy(() => import('./governance/GridTreePage')),
};

function page(Page: LazyExoticComponent<ComponentType>, area?: ConsoleArea) {
  const loaded = (
    <Suspense fallback={<LoadingState />}>
      <Page />
    </Suspense>
  );
  return area ? <RequireRole area={area}>{loaded}</RequireRole> : loaded;
}

/** Placed inside the layout route of App.tsx. */
export const consoleRoutes = (
  <>
    <Route path="workbench" element={page(pages.workbench, 'workbench')} />
    <Route path="workbench/applications/:id" element={page(pages.application, 'workbench')} />
    <Route path="workbench/licences/new" element={page(pages.issue, 'issuing')} />
    <Route path="workbench/catalogue" element={page(pages.catalogue, 'catalogue')} />
    <Route path="workbench/catalogue/new" element={page(pages.matter, 'catalogue')} />
    <Route path="workbench/catalogue/:code" element={page(pages.matter, 'catalogue')} />
    <Route path="supervision/entities" element={page(pages.entities, 'supervision')} />
    <Route path="supervision/tasks/new" element={page(pages.plan, 'planning')} />
    <Route path="supervision/tasks/:id" element={page(pages.task, 'planning')} />
    <Route path="supervision/inspections" element={page(pages.inspections, 'inspecting')} />
    <Route path="supervision/lists" element={page(pages.lists, 'supervision')} />
    <Route path="supervision/draws/:id" element={page(pages.drawVerify)} />
    <Route path="supervision/results" element={page(pages.results)} />
    <Route path="supervision/rules" element={page(pages.rules, 'supervision')} />
    <Route path="supervision/rules/history" element={page(pages.configHistory, 'supervision')} />
    <Route path="supervision/schedules" element={page(pages.schedules, 'planning')} />
    <Route path="supervision/schedules/:id" element={page(pages.schedule, 'planning')} />
    <Route path="governance/events" element={page(pages.events, 'governance')} />
    <Route path="governance/events/new" element={page(pages.report, 'governance')} />
    <Route path="governance/events/:id" element={page(pages.event, 'governance')} />
    <Route path="governance/statistics" element={page(pages.statistics, 'governance')} />
    <Route path="governance/tree" element={page(pages.gridTree, 'governance')} />
  </>
);
