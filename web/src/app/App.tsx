// Providers and routes: one screen per path; everything but /login needs a signed-in user.
import { BrowserRouter, Navigate, Route, Routes, useLocation } from "react-router";
import { AdminDepartmentsPage } from "../features/admin/AdminDepartmentsPage";
import { AdminEmployeesPage } from "../features/admin/AdminEmployeesPage";
import { AttendancePage } from "../features/attendance/AttendancePage";
import { BoxesPage } from "../features/boxes/BoxesPage";
import { DelegationsPage } from "../features/delegations/DelegationsPage";
import { DocumentPage } from "../features/documents/DocumentPage";
import { HomePage } from "../features/home/HomePage";
import { NewDocumentPage } from "../features/new-document/NewDocumentPage";
import { NotificationsPage } from "../features/notifications/NotificationsPage";
import { NotificationsProvider } from "../features/notifications/NotificationsProvider";
import { AuthProvider, useAuth } from "../lib/auth";
import { I18nProvider, useI18n } from "../lib/i18n";
import { Layout } from "./Layout";
import { LoginPage } from "./LoginPage";

function SignedIn() {
  const { state } = useAuth();
  const { t } = useI18n();
  const location = useLocation();
  if (state.status === "loading") return <p className="muted center">{t("common.loading")}</p>;
  if (state.status === "anonymous") {
    return <Navigate to="/login" replace state={{ from: location.pathname + location.search, expired: state.expired }} />;
  }
  return (
    <NotificationsProvider>
      <Layout />
    </NotificationsProvider>
  );
}

export function App() {
  return (
    <I18nProvider>
      <AuthProvider>
        <BrowserRouter>
          <Routes>
            <Route path="/login" element={<LoginPage />} />
            <Route element={<SignedIn />}>
              <Route index element={<HomePage />} />
              <Route path="new" element={<NewDocumentPage />} />
              <Route path="boxes" element={<Navigate to="/boxes/inbox" replace />} />
              <Route path="boxes/:box" element={<BoxesPage />} />
              <Route path="documents/:id" element={<DocumentPage />} />
              <Route path="notifications" element={<NotificationsPage />} />
              <Route path="delegations" element={<DelegationsPage />} />
              <Route path="attendance" element={<AttendancePage />} />
              <Route path="admin/employees" element={<AdminEmployeesPage />} />
              <Route path="admin/departments" element={<AdminDepartmentsPage />} />
              <Route path="*" element={<Navigate to="/" replace />} />
            </Route>
          </Routes>
        </BrowserRouter>
      </AuthProvider>
    </I18nProvider>
  );
}
