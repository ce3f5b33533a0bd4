// The signed-in session: the access token lives in memory only; the single-use refresh
// token is kept in sessionStorage (this tab only) so a reload can sign in again.
import type { components } from "./api-schema";
import { storedLocale } from "./i18n";

type TokenResponse = components["schemas"]["TokenResponse"];

const REFRESH_KEY = "dojang.refresh";
/** Refresh this long before the access token expires. */
const REFRESH_MARGIN_MS = 60_000;
/** When the server could not be reached, try the refresh again after this long. */
const UNREACHABLE_RETRY_MS = 15_000;

type Listener = () => void;

export class Session {
  private accessToken: string | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private refreshing: Promise<boolean> | null = null;
  private readonly expiredListeners = new Set<Listener>();
  private unreachable = false;

  constructor(
    private readonly fetchImpl: typeof fetch = (...args) => fetch(...args),
    private readonly storage: Storage | null = typeof sessionStorage === "undefined" ? null : sessionStorage,
  ) {}

  get token(): string | null {
    return this.accessToken;
  }

  hasRefreshToken(): boolean {
    return this.storage?.getItem(REFRESH_KEY) != null;
  }

  /** Signs in; answers the HTTP status on failure (401 bad credentials, 429 throttled). */
  async login(email: string, password: string): Promise<{ ok: true } | { ok: false; status: number }> {
    const response = await this.fetchImpl("/api/auth/login", {
      method: "POST",
      headers: { "Content-Type": "application/json", "Accept-Language": storedLocale() },
      body: JSON.stringify({ email, password }),
    });
    if (!response.ok) return { ok: false, status: response.status };
    this.accept((await response.json()) as TokenResponse);
    return { ok: true };
  }

  /** Exchanges the refresh token for new tokens; concurrent callers share one exchange. */
  refresh(): Promise<boolean> {
    this.refreshing ??= this.exchange().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  /** Forgets the tokens; listeners are told so the app can return to the login screen. */
  expire(): void {
    this.clear();
    for (const listener of this.expiredListeners) listener();
  }

  logout(): void {
    this.clear();
  }

  onExpired(listener: Listener): () => void {
    this.expiredListeners.add(listener);
    return () => this.expiredListeners.delete(listener);
  }

  private async exchange(): Promise<boolean> {
    const refreshToken = this.storage?.getItem(REFRESH_KEY);
    if (!refreshToken) return false;
    let response: Response;
    this.unreachable = false;
    try {
      response = await this.fetchImpl("/api/auth/refresh", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ refresh_token: refreshToken }),
      });
    } catch {
      this.unreachable = true;
      return false;
    }
    if (response.status >= 500) {
      this.unreachable = true;
      return false;
    }
    if (!response.ok) {
      this.clear();
      return false;
    }
    this.accept((await response.json()) as TokenResponse);
    return true;
  }

  /** An access token from an external issuer, kept in memory only; when it lapses the
   * session ends and the user signs in at the issuer again. */
  acceptExternal(accessToken: string, expiresIn: number | undefined): void {
    this.accessToken = accessToken;
    this.storage?.removeItem(REFRESH_KEY);
    if (this.timer) clearTimeout(this.timer);
    if (expiresIn) this.timer = setTimeout(() => this.expire(), expiresIn * 1000);
  }

  private accept(tokens: TokenResponse): void {
    this.accessToken = tokens.access_token;
    this.storage?.setItem(REFRESH_KEY, tokens.refresh_token);
    this.schedule(Math.max(5_000, tokens.expires_in * 1000 - REFRESH_MARGIN_MS));
  }

  /** The timed refresh: a refusal ends the session; an unreachable server is tried again. */
  private schedule(delay: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      void this.refresh().then((ok) => {
        if (ok) return;
        if (this.unreachable && this.hasRefreshToken()) this.schedule(UNREACHABLE_RETRY_MS);
        else this.expire();
      });
    }, delay);
  }

  private clear(): void {
    this.accessToken = null;
    this.storage?.removeItem(REFRESH_KEY);
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}

export const session = new Session();
