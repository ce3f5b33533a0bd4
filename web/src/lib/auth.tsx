// Who is signed in: the verified token's employee and roles, from GET /api/auth/me.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { api, unwrap, type EmployeeView } from "./api-client";
import { session } from "./session";

export interface Me {
  employee: EmployeeView;
  roles: string[];
}

type AuthState = { status: "loading" } | { status: "anonymous"; expired: boolean } | { status: "signed-in"; me: Me };

interface Auth {
  state: AuthState;
  login: (email: string, password: string) => Promise<{ ok: true } | { ok: false; status: number }>;
  /** Signs in with an access token an external OIDC issuer gave. */
  signInWith: (accessToken: string, expiresIn: number | undefined) => Promise<void>;
  logout: () => void;
}

const AuthContext = createContext<Auth | null>(null);

async function loadMe(): Promise<Me> {
  return unwrap(api.GET("/api/auth/me"));
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<AuthState>(() =>
    session.token || session.hasRefreshToken() ? { status: "loading" } : { status: "anonymous", expired: false },
  );

  useEffect(() => session.onExpired(() => setState({ status: "anonymous", expired: true })), []);

  useEffect(() => {
    if (state.status !== "loading") return;
    let live = true;
    void (async () => {
      const ok = session.token ? true : await session.refresh();
      if (!ok) {
        if (live) setState({ status: "anonymous", expired: false });
        return;
      }
      try {
        const me = await loadMe();
        if (live) setState({ status: "signed-in", me });
      } catch {
        if (live) setState({ status: "anonymous", expired: false });
      }
    })();
    return () => {
      live = false;
    };
  }, [state.status]);

  const login = useCallback(async (email: string, password: string) => {
    const result = await session.login(email, password);
    if (!result.ok) return result;
    try {
      setState({ status: "signed-in", me: await loadMe() });
    } catch {
      return { ok: false as const, status: 0 };
    }
    return result;
  }, []);

  const signInWith = useCallback(async (accessToken: string, expiresIn: number | undefined) => {
    session.acceptExternal(accessToken, expiresIn);
    setState({ status: "signed-in", me: await loadMe() });
  }, []);

  const logout = useCallback(() => {
    session.logout();
    setState({ status: "anonymous", expired: false });
  }, []);

  const value = useMemo(() => ({ state, login, signInWith, logout }), [state, login, signInWith, logout]);
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): Auth {
  const value = useContext(AuthContext);
  if (!value) throw new Error("useAuth outside AuthProvider");
  return value;
}

/** The signed-in employee; only for screens behind the sign-in guard. */
export function useMe(): Me {
  const { state } = useAuth();
  if (state.status !== "signed-in") throw new Error("useMe while not signed in");
  return state.me;
}
