import { HashRouter, Navigate, Route, Routes, useLocation } from 'react-router';
import type { ReactNode } from 'react';
import type { ApiClient } from './api/client';
import { AuthProvider, useAuth } from './auth';
import { AppShell } from './AppShell';
import { NotBuilt } from './components/NotBuilt';
import { DashboardPage } from './pages/DashboardPage';
import { EventsPage } from './pages/EventsPage';
import { FlavorsPage } from './pages/FlavorsPage';
import { ImagesPage } from './pages/ImagesPage';
import { IscsiGroupDetailPage } from './pages/IscsiGroupDetailPage';
import { IscsiGroupsPage } from './pages/IscsiGroupsPage';
import { LocationsPage } from './pages/LocationsPage';
import { LoginPage } from './pages/LoginPage';
import { NodeDetailPage } from './pages/NodeDetailPage';
import { NodesPage } from './pages/NodesPage';
import { PoliciesPage } from './pages/PoliciesPage';
import { S3BucketPage } from './pages/S3BucketPage';
import { S3Page } from './pages/S3Page';
import { VmDetailPage } from './pages/VmDetailPage';
import { VmsPage } from './pages/VmsPage';
import { VolumesPage } from './pages/VolumesPage';

// Hash routing: the API server only has to serve index.html at "/", and no app path can
// collide with /api or /metrics.
export function App({ client }: { client: ApiClient }) {
  return (
    <AuthProvider client={client}>
      <HashRouter>
        <Routes>
          <Route path="/login" element={<LoginPage />} />
          <Route
            element={
              <RequireSession>
                <AppShell />
              </RequireSession>
            }
          >
            <Route index element={<Navigate to="/nodes" replace />} />
            <Route path="nodes" element={<NodesPage />} />
            <Route path="nodes/:node" element={<NodeDetailPage />} />
            <Route path="locations" element={<LocationsPage />} />
            <Route path="policies" element={<PoliciesPage />} />
            <Route path="volumes" element={<VolumesPage />} />
            <Route path="iscsi" element={<IscsiGroupsPage />} />
            <Route path="iscsi/:group" element={<IscsiGroupDetailPage />} />
            <Route path="s3" element={<S3Page />} />
            <Route path="s3/buckets/:bucket" element={<S3BucketPage />} />
            <Route path="vms" element={<VmsPage />} />
            <Route path="vms/:vm" element={<VmDetailPage />} />
            <Route path="images" element={<ImagesPage />} />
            <Route path="flavors" element={<FlavorsPage />} />
            <Route path="dashboard" element={<DashboardPage />} />
            <Route path="events" element={<EventsPage />} />
            <Route path="*" element={<NotBuilt title="Not found" />} />
          </Route>
        </Routes>
      </HashRouter>
    </AuthProvider>
  );
}

function RequireSession({ children }: { children: ReactNode }) {
  const { session } = useAuth();
  const location = useLocation();
  if (!session) {
    return <Navigate to="/login" replace state={{ from: location.pathname }} />;
  }
  return <>{children}</>;
}
