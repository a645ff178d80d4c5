import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { ApiClient, Session } from './api/client';
import { keelApi, type KeelApi } from './api/keel';

interface Auth {
  session: Session | null;
  /** True after a 401 or a passed expiresAt, until the next login. */
  expired: boolean;
  api: KeelApi;
  login(username: string, password: string): Promise<void>;
  logout(): void;
}

const AuthContext = createContext<Auth | null>(null);

// setTimeout fires at once for delays above 2^31-1 ms, so long sessions re-arm the timer.
const MAX_TIMER_MS = 2_147_483_647;

export function AuthProvider({ client, children }: { client: ApiClient; children: ReactNode }) {
  const [session, setSession] = useState<Session | null>(() => client.session());
  const [expired, setExpired] = useState(false);
  const api = useMemo(() => keelApi(client), [client]);

  const expire = useCallback(() => {
    client.logout();
    setSession(null);
    setExpired(true);
  }, [client]);

  useEffect(() => {
    client.setOnExpired(expire);
  }, [client, expire]);

  useEffect(() => {
    if (!session) {
      return undefined;
    }
    let timer: number | undefined;
    const arm = () => {
      const left = Date.parse(session.expiresAt) - Date.now();
      if (!(left > 0)) {
        expire();
        return;
      }
      timer = window.setTimeout(arm, Math.min(left, MAX_TIMER_MS));
    };
    arm();
    return () => window.clearTimeout(timer);
  }, [session, expire]);

  const login = useCallback(
    async (username: string, password: string) => {
      const next = await client.login(username, password);
      setExpired(false);
      setSession(next);
    },
    [client],
  );

  const logout = useCallback(() => {
    client.logout();
    setExpired(false);
    setSession(null);
  }, [client]);

  const value = useMemo(() => ({ session, expired, api, login, logout }), [session, expired, api, login, logout]);
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): Auth {
  const auth = useContext(AuthContext);
  if (!auth) {
    throw new Error('useAuth outside AuthProvider');
  }
  return auth;
}

export function useApi(): KeelApi {
  return useAuth().api;
}
