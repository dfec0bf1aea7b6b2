import AppLayout from '@cloudscape-design/components/app-layout';
import SideNavigation from '@cloudscape-design/components/side-navigation';
import TopNavigation from '@cloudscape-design/components/top-navigation';
import { createContext, useContext, useEffect, useState } from 'react';
import { Outlet, useLocation, useNavigate, useSearchParams } from 'react-router';
import { type Session, currentSession, onSessionEnded, signOut } from './console-api';
import { REGIONS, regionOf } from './regions';
import { atMoment, atOf } from './time-travel';
import { TimeTravelModal } from './time-travel-modal';

/** The navigation entry a path belongs to: a key's page is under the key lists. */
function sectionOf(pathname: string): string {
  for (const section of ['/aws-keys', '/event-history', '/ledger']) if (pathname.startsWith(section)) return section;
  return '/keys';
}

export const SessionContext = createContext<Session | undefined>(undefined);
export const useSession = () => useContext(SessionContext)!;

/** The signed-in frame: the top bar (Region selector in the upper-right corner, the user menu) and the navigation. */
export function Shell() {
  const [session, setSession] = useState<Session | undefined>();
  const [traveling, setTraveling] = useState(false);
  const navigate = useNavigate();
  const location = useLocation();
  const [search] = useSearchParams();
  const region = regionOf(search);
  const here = `${location.pathname}${location.search}`;

  useEffect(() => {
    const toSignIn = () => navigate(`/sign-in?next=${encodeURIComponent(here)}`, { replace: true });
    const stop = onSessionEnded(toSignIn);
    currentSession().then((found) => (found ? setSession(found) : toSignIn()), toSignIn);
    return stop;
    // Once per mount: a later navigation keeps the session.
  }, []);
  if (!session) return null;

  const withRegion = (path: string, to = region) => `${path}?region=${to}`;
  // The key tables stay at the moment time travel shows, if any: the other views have their own times.
  const at = atOf(search);
  const keysHref = (path: string) => `${withRegion(path)}${at ? `&at=${encodeURIComponent(at)}` : ''}`;
  const regionName = REGIONS.find((r) => r.id === region)?.name ?? region;
  return (
    <SessionContext.Provider value={session}>
      <div id="top-nav">
        <TopNavigation
          identity={{ href: keysHref('/console/keys'), title: 'aliastrail' }}
          utilities={[
            {
              type: 'button',
              text: at ? `At ${at}` : 'Time travel',
              iconName: 'calendar',
              onClick: () => setTraveling(true),
            },
            {
              type: 'menu-dropdown',
              text: region,
              title: regionName,
              ariaLabel: `${region} Region: ${regionName}`,
              description: 'Region',
              items: REGIONS.map((r) => ({ id: r.id, text: `${r.name} ${r.id}`, checked: r.id === region })),
              onItemClick: ({ detail }) => {
                const next = new URLSearchParams(search);
                next.set('region', detail.id);
                // A key belongs to one Region: another Region starts at its key list.
                const list = location.pathname.startsWith('/aws-keys') ? '/aws-keys' : '/keys';
                navigate(`${location.pathname.startsWith('/keys/') ? list : location.pathname}?${next}`);
              },
            },
            {
              type: 'menu-dropdown',
              text: session.principal.userName,
              description: session.principal.arn,
              iconName: 'user-profile',
              items: [{ id: 'sign-out', text: 'Sign out' }],
              onItemClick: async ({ detail }) => {
                if (detail.id !== 'sign-out') return;
                await signOut();
                navigate('/sign-in', { replace: true });
              },
            },
          ]}
        />
      </div>
      <AppLayout
        headerSelector="#top-nav"
        toolsHide
        ariaLabels={{
          navigation: 'Navigation',
          navigationClose: 'Close navigation',
          navigationToggle: 'Open navigation',
          notifications: 'Notifications',
        }}
        navigation={
          <SideNavigation
            header={{ href: keysHref('/console/keys'), text: 'Key Management Service' }}
            activeHref={withRegion(`/console${sectionOf(location.pathname)}`)}
            onFollow={(event) => {
              event.preventDefault();
              navigate(event.detail.href.replace(/^\/console/, ''));
            }}
            items={[
              { type: 'link', text: 'AWS managed keys', href: keysHref('/console/aws-keys') },
              { type: 'link', text: 'Customer managed keys', href: keysHref('/console/keys') },
              { type: 'divider' },
              { type: 'link', text: 'Event history', href: withRegion('/console/event-history') },
              { type: 'link', text: 'Ledger', href: withRegion('/console/ledger') },
            ]}
          />
        }
        content={<Outlet />}
      />
      <TimeTravelModal
        visible={traveling}
        close={() => setTraveling(false)}
        go={(at) => {
          setTraveling(false);
          navigate(atMoment(location.pathname, search, at));
        }}
      />
    </SessionContext.Provider>
  );
}
