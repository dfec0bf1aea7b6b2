import Alert from '@cloudscape-design/components/alert';
import Button from '@cloudscape-design/components/button';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { useLocation, useNavigate, useSearchParams } from 'react-router';

/** The moment a URL shows (?at=, ISO 8601), or undefined for now. */
export function atOf(search: URLSearchParams): string | undefined {
  const at = search.get('at');
  return at && !Number.isNaN(Date.parse(at)) ? new Date(at).toISOString() : undefined;
}

/** The URL of the same view at another moment (undefined: now). */
export function atMoment(pathname: string, search: URLSearchParams, at: string | undefined): string {
  const next = new URLSearchParams(search);
  if (at) next.set('at', at);
  else next.delete('at');
  return `${pathname}?${next}`;
}

/**
 * The banner of a view in the past: which moment it shows, that nothing can be changed there, a way
 * back to now, and the differences between then and now.
 */
export function TimeTravelBanner({ region }: { region: string }) {
  const [search] = useSearchParams();
  const location = useLocation();
  const navigate = useNavigate();
  const at = atOf(search);
  if (!at) return null;
  return (
    <Alert
      type="info"
      header={`Viewing ${region} as it was at ${at}`}
      action={
        <SpaceBetween direction="horizontal" size="xs">
          <Button onClick={() => navigate(`/diff?region=${region}&from=${encodeURIComponent(at)}`)}>
            Compare with now
          </Button>
          <Button onClick={() => navigate(atMoment(location.pathname, search, undefined))}>Back to now</Button>
        </SpaceBetween>
      }
    >
      Read-only: the keys, their settings and their aliases as they were at that moment, deleted keys included. Nothing
      can be changed here.
    </Alert>
  );
}
