import { useCallback, useEffect, useRef, useState } from 'react';
import { SessionExpiredError, messageOf } from './api/client';

export const POLL_MS = 4000;

export interface Polled<T> {
  data: T | undefined;
  /** The last call's error message, verbatim; cleared by the next success. */
  error: string | undefined;
  loading: boolean;
  refresh(): void;
}

/**
 * Loads now and again every intervalMs after each answer (never two calls at once), so screens
 * follow the cluster's live state. `key` restarts it, e.g. for another node.
 */
export function usePoll<T>(load: () => Promise<T>, key = '', intervalMs = POLL_MS): Polled<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<string>();
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  useEffect(() => {
    setData(undefined);
    setError(undefined);
    setLoading(true);
  }, [key]);

  useEffect(() => {
    let cancelled = false;
    let timer: number | undefined;
    const run = async () => {
      try {
        const next = await loadRef.current();
        if (cancelled) return;
        setData(next);
        setError(undefined);
      } catch (e) {
        // An expired session sends the app to the login page; nothing to show here.
        if (cancelled || e instanceof SessionExpiredError) return;
        setError(messageOf(e));
      }
      setLoading(false);
      timer = window.setTimeout(run, intervalMs);
    };
    void run();
    return () => {
      cancelled = true;
      window.clearTimeout(timer);
    };
  }, [key, intervalMs, tick]);

  const refresh = useCallback(() => setTick((t) => t + 1), []);
  return { data, error, loading, refresh };
}
