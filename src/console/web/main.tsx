import '@cloudscape-design/global-styles/index.css';
import { StrictMode, Suspense, lazy } from 'react';
import { createRoot } from 'react-dom/client';
import { Navigate, createBrowserRouter } from 'react-router';
import { RouterProvider } from 'react-router/dom';
import { Shell } from './shell';

// Each page in a chunk of its own: the sign-in page does not wait for the tables.
const SignInPage = lazy(() => import('./pages/sign-in-page').then((m) => ({ default: m.SignInPage })));
const KeysPage = lazy(() => import('./pages/keys-page').then((m) => ({ default: m.KeysPage })));
const KeyPage = lazy(() => import('./pages/key-page').then((m) => ({ default: m.KeyPage })));
const EventHistoryPage = lazy(() =>
  import('./pages/event-history-page').then((m) => ({ default: m.EventHistoryPage })),
);
const LedgerPage = lazy(() => import('./pages/ledger-page').then((m) => ({ default: m.LedgerPage })));
const DiffPage = lazy(() => import('./pages/diff-page').then((m) => ({ default: m.DiffPage })));
const AliasPage = lazy(() => import('./pages/alias-page').then((m) => ({ default: m.AliasPage })));
const CreateKeyWizard = lazy(() => import('./pages/create-key-wizard').then((m) => ({ default: m.CreateKeyWizard })));

const page = (element: React.ReactNode) => <Suspense fallback={null}>{element}</Suspense>;

const router = createBrowserRouter(
  [
    { path: '/sign-in', element: page(<SignInPage />) },
    {
      path: '/',
      element: <Shell />,
      children: [
        { index: true, element: <Navigate to="/keys" replace /> },
        { path: 'keys', element: page(<KeysPage manager="CUSTOMER" />) },
        { path: 'aws-keys', element: page(<KeysPage manager="AWS" />) },
        { path: 'keys/create', element: page(<CreateKeyWizard />) },
        { path: 'keys/:keyId', element: page(<KeyPage />) },
        { path: 'keys/:keyId/:tab', element: page(<KeyPage />) },
        { path: 'event-history', element: page(<EventHistoryPage />) },
        { path: 'ledger', element: page(<LedgerPage />) },
        { path: 'diff', element: page(<DiffPage />) },
        // An alias name has slashes of its own: alias/a/b is /aliases/a/b.
        { path: 'aliases/*', element: page(<AliasPage />) },
      ],
    },
  ],
  { basename: '/console' },
);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <RouterProvider router={router} />
  </StrictMode>,
);
