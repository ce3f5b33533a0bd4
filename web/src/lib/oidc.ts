// Sign-in at an external OIDC issuer (Cognito, Keycloak): authorization code with PKCE (S256).
// The issuer's endpoints come from its discovery document; the verifier and state live in
// sessionStorage only between the redirect out and the redirect back, the access token in memory.

export interface OidcConfig {
  issuer: string;
  client_id: string;
  redirect_uri: string;
  scope: string;
}

export interface Discovery {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
}

export interface Tokens {
  access_token: string;
  refresh_token?: string;
  expires_in?: number;
}

const PENDING_KEY = "dojang.oidc.pending";

const base64url = (bytes: Uint8Array): string =>
  btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

/** A fresh random string of 43 URL-safe characters (32 random bytes). */
export function randomToken(): string {
  return base64url(crypto.getRandomValues(new Uint8Array(32)));
}

/** The S256 code challenge of a verifier: base64url(SHA-256(verifier)). */
export async function codeChallenge(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier));
  return base64url(new Uint8Array(digest));
}

/** The issuer's discovery document; refused unless it names the issuer and both endpoints. */
export async function discover(issuer: string, fetcher: typeof fetch = fetch): Promise<Discovery> {
  const response = await fetcher(`${issuer.replace(/\/$/, "")}/.well-known/openid-configuration`);
  if (!response.ok) throw new Error(`discovery answered ${response.status}`);
  const body = (await response.json()) as Partial<Discovery>;
  if (body.issuer !== issuer || !body.authorization_endpoint || !body.token_endpoint) {
    throw new Error("the discovery document names no authorization and token endpoints for this issuer");
  }
  return { issuer: body.issuer, authorization_endpoint: body.authorization_endpoint, token_endpoint: body.token_endpoint };
}

/** The URL to send the browser to; remembers the verifier and state for the way back. */
export async function authorizeUrl(config: OidcConfig, discovery: Discovery, storage: Storage = sessionStorage): Promise<string> {
  const verifier = randomToken();
  const state = randomToken();
  storage.setItem(PENDING_KEY, JSON.stringify({ verifier, state }));
  const url = new URL(discovery.authorization_endpoint);
  url.search = new URLSearchParams({
    response_type: "code",
    client_id: config.client_id,
    redirect_uri: config.redirect_uri,
    scope: config.scope,
    state,
    code_challenge: await codeChallenge(verifier),
    code_challenge_method: "S256",
  }).toString();
  return url.toString();
}

/** Back from the issuer: checks the state, exchanges the code with its verifier, once. */
export async function completeSignIn(
  config: OidcConfig,
  discovery: Discovery,
  callback: URL,
  fetcher: typeof fetch = fetch,
  storage: Storage = sessionStorage,
): Promise<Tokens> {
  const pending = storage.getItem(PENDING_KEY);
  storage.removeItem(PENDING_KEY);
  const { verifier, state } = pending ? (JSON.parse(pending) as { verifier: string; state: string }) : { verifier: "", state: "" };
  const code = callback.searchParams.get("code");
  if (!verifier || !code || callback.searchParams.get("state") !== state) throw new Error("the sign-in answer does not match the request");
  const response = await fetcher(discovery.token_endpoint, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "authorization_code",
      code,
      redirect_uri: config.redirect_uri,
      client_id: config.client_id,
      code_verifier: verifier,
    }).toString(),
  });
  if (!response.ok) throw new Error(`the token endpoint answered ${response.status}`);
  const tokens = (await response.json()) as Tokens;
  if (typeof tokens.access_token !== "string") throw new Error("the token endpoint gave no access token");
  return tokens;
}
