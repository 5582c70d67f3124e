import { lazy, Suspense, type ComponentType } from 'react';
import { Outlet, Route, Routes } from 'react-router';
import { AppShell } from './components/AppShell';
import { Loading } from './components/Feedback';
import { NotFoundPage } from './components/NotFoundPage';
import { RequireSession } from './features/auth/RequireSession';
import { SignInPage } from './features/auth/SignInPage';

/** React.lazy for a module's named export (Godo uses named exports only). */
function lazyNamed<M, K extends keyof M>(load: () => Promise<M>, name: K) {
  return lazy(async () => ({ default: (await load())[name] as ComponentType }));
}

const InvitationPage = lazyNamed(() => import('./features/invitations/InvitationPage'), 'InvitationPage');
const MyCallsPage = lazyNamed(() => import('./features/calls/MyCallsPage'), 'MyCallsPage');
const ProfilePage = lazyNamed(() => import('./features/profile/ProfilePage'), 'ProfilePage');
const CreateCallPage = lazyNamed(() => import('./features/callCreation/CreateCallPage'), 'CreateCallPage');
const RegisterProposalPage = lazyNamed(() => import('./features/callCreation/RegisterProposalPage'), 'RegisterProposalPage');
const CallLayout = lazyNamed(() => import('./features/calls/CallLayout'), 'CallLayout');
const CallProposalsPage = lazyNamed(() => import('./features/calls/CallProposalsPage'), 'CallProposalsPage');
const CallSettingsPage = lazyNamed(() => import('./features/setup/CallSettingsPage'), 'CallSettingsPage');
const PeoplePage = lazyNamed(() => import('./features/setup/PeoplePage'), 'PeoplePage');
const AssignmentsPage = lazyNamed(() => import('./features/setup/AssignmentsPage'), 'AssignmentsPage');
const ConflictsPage = lazyNamed(() => import('./features/setup/ConflictsPage'), 'ConflictsPage');
const RankingPage = lazyNamed(() => import('./features/ranking/RankingPage'), 'RankingPage');
const AuditPage = lazyNamed(() => import('./features/audit/AuditPage'), 'AuditPage');
const MeetingPage = lazyNamed(() => import('./features/meeting/MeetingPage'), 'MeetingPage');
const ProposalLayout = lazyNamed(() => import('./features/proposal/ProposalLayout'), 'ProposalLayout');
const ProposalDetailsPage = lazyNamed(() => import('./features/proposal/ProposalDetailsPage'), 'ProposalDetailsPage');
const ReviewsPage = lazyNamed(() => import('./features/proposal/ReviewsPage'), 'ReviewsPage');
const ReconciliationPage = lazyNamed(() => import('./features/reconciliation/ReconciliationPage'), 'ReconciliationPage');
const DecisionPage = lazyNamed(() => import('./features/ranking/DecisionPage'), 'DecisionPage');
const ReportPage = lazyNamed(() => import('./features/report/ReportPage'), 'ReportPage');

function Shell() {
  return (
    <AppShell>
      <Suspense fallback={<Loading />}>
        <Outlet />
      </Suspense>
    </AppShell>
  );
}

function Protected() {
  return (
    <RequireSession>
      <Outlet />
    </RequireSession>
  );
}

/**
 * Every screen. Everything but sign-in is loaded on demand, so the first screen stays small;
 * the report editor, meeting room and comment threads have their own folders and chunks.
 */
export function AppRoutes() {
  return (
    <Routes>
      <Route element={<Shell />}>
        <Route path="signin" element={<SignInPage />} />
        <Route path="invite/:token" element={<InvitationPage />} />
        <Route element={<Protected />}>
          <Route index element={<MyCallsPage />} />
          <Route path="profile" element={<ProfilePage />} />
          <Route path="calls/new" element={<CreateCallPage />} />
          <Route path="calls/:callId" element={<CallLayout />}>
            <Route index element={<CallProposalsPage />} />
            <Route path="settings" element={<CallSettingsPage />} />
            <Route path="people" element={<PeoplePage />} />
            <Route path="assignments" element={<AssignmentsPage />} />
            <Route path="conflicts" element={<ConflictsPage />} />
            <Route path="ranking" element={<RankingPage />} />
            <Route path="audit" element={<AuditPage />} />
            <Route path="meeting" element={<MeetingPage />} />
            <Route path="proposals/new" element={<RegisterProposalPage />} />
            <Route path="proposals/:proposalId" element={<ProposalLayout />}>
              <Route index element={<ProposalDetailsPage />} />
              <Route path="reviews" element={<ReviewsPage />} />
              <Route path="reconciliation" element={<ReconciliationPage />} />
              <Route path="decision" element={<DecisionPage />} />
              <Route path="report" element={<ReportPage />} />
            </Route>
          </Route>
        </Route>
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
