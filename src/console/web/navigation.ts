import { useNavigate } from 'react-router';

/**
 * Cloudscape links and buttons with an href, followed inside the page (no reload): the href is a
 * real URL, so opening it in a new tab or copying it works too.
 */
export function useFollow() {
  const navigate = useNavigate();
  return (event: CustomEvent<{ href?: string; external?: boolean }>) => {
    const href = event.detail.href;
    if (!href || event.detail.external) return;
    event.preventDefault();
    navigate(href.replace(/^\/console/, ''));
  };
}

/** A console URL of `path` in `region`, at a moment of the past when `at` is given. */
export const consoleHref = (path: string, region: string, at?: string) =>
  `/console${path}?region=${region}${at ? `&at=${encodeURIComponent(at)}` : ''}`;

/** An alias's page: alias/a/b is /console/aliases/a/b. */
export const aliasHref = (aliasName: string, region: string) =>
  consoleHref(`/aliases/${aliasName.replace(/^alias\//, '')}`, region);
