import { useEffect, useState } from 'react';

/**
 * What `load` answers, loaded again when `deps` change; its error message when it fails. An answer
 * that arrives after the view moved on is dropped.
 */
export function useLoaded<T>(load: () => Promise<T>, deps: readonly unknown[]): { value?: T; error?: string } {
  const [state, setState] = useState<{ value?: T; error?: string }>({});
  useEffect(() => {
    let current = true;
    setState({});
    load().then(
      (value) => current && setState({ value }),
      (failure: Error) => current && setState({ error: failure.message }),
    );
    return () => {
      current = false;
    };
  }, deps);
  return state;
}
