import { describe, expect, it } from "vitest";
import { authorizeUrl, codeChallenge, completeSignIn, discover, type OidcConfig } from "./oidc";

// What `GET /.well-known/openid-configuration` of a real `dojang serve` answers. The built-in
// issuer signs in by password and names no authorization endpoint; an external issuer
// (Cognito, Keycloak) adds one to the same document.
const builtIn = {
  issuer: "http://127.0.0.1:8000",
  jwks_uri: "http://127.0.0.1:8000/.well-known/jwks.json",
  token_endpoint: "http://127.0.0.1:8000/api/auth/login",
  grant_types_supported: ["password", "refresh_token"],
  response_types_supported: ["token"],
  subject_types_supported: ["public"],
  id_token_signing_alg_values_supported: ["RS256"],
  token_endpoint_auth_methods_supported: ["none"],
  claims_supported: ["iss", "sub", "aud", "exp", "iat", "nbf", "jti", "email", "roles", "token_use"],
};
const external = { ...builtIn, authorization_endpoint: "http://127.0.0.1:8000/oauth2/authorize", token_endpoint: "http://127.0.0.1:8000/oauth2/token" };
const config: OidcConfig = { issuer: builtIn.issuer, client_id: "dojang-web", redirect_uri: "http://localhost/login/callback", scope: "openid email" };

const answering = (body: unknown, calls: { url: string; init?: RequestInit }[] = []): typeof fetch =>
  (async (url: string | URL | Request, init?: RequestInit) => {
    calls.push({ url: String(url), init });
    return new Response(JSON.stringify(body), { status: 200, headers: { "Content-Type": "application/json" } });
  }) as typeof fetch;

describe("sign-in at an OIDC issuer", () => {
  it("computes the S256 challenge of RFC 7636's example verifier", async () => {
    expect(await codeChallenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")).toBe("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
  });

  it("refuses the built-in issuer's document, which has no authorization endpoint", async () => {
    await expect(discover(builtIn.issuer, answering(builtIn))).rejects.toThrow(/authorization/);
  });

  it("sends the browser with a S256 challenge of its verifier and a state, and posts that verifier with the code", async () => {
    const storage = sessionStorage;
    const discovery = await discover(config.issuer, answering(external));
    const url = new URL(await authorizeUrl(config, discovery, storage));
    expect(url.origin + url.pathname).toBe(external.authorization_endpoint);
    const params = url.searchParams;
    expect(params.get("response_type")).toBe("code");
    expect(params.get("client_id")).toBe("dojang-web");
    expect(params.get("redirect_uri")).toBe(config.redirect_uri);
    expect(params.get("scope")).toBe("openid email");
    expect(params.get("code_challenge_method")).toBe("S256");
    const state = params.get("state");
    expect(state).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const calls: { url: string; init?: RequestInit }[] = [];
    const tokens = await completeSignIn(
      config,
      discovery,
      new URL(`${config.redirect_uri}?code=abc&state=${state}`),
      answering({ access_token: "at", expires_in: 300 }, calls),
      storage,
    );
    expect(tokens.access_token).toBe("at");
    expect(calls).toHaveLength(1);
    expect(calls[0]!.url).toBe(external.token_endpoint);
    expect(calls[0]!.init?.method).toBe("POST");
    const posted = new URLSearchParams(String(calls[0]!.init?.body));
    expect(posted.get("grant_type")).toBe("authorization_code");
    expect(posted.get("code")).toBe("abc");
    const verifier = posted.get("code_verifier") ?? "";
    expect(verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(params.get("code_challenge")).toBe(await codeChallenge(verifier));
  });

  it("exchanges nothing when the state that comes back is not the one sent", async () => {
    const discovery = await discover(config.issuer, answering(external));
    await authorizeUrl(config, discovery);
    const calls: { url: string; init?: RequestInit }[] = [];
    await expect(completeSignIn(config, discovery, new URL(`${config.redirect_uri}?code=abc&state=forged`), answering({}, calls))).rejects.toThrow();
    expect(calls).toHaveLength(0);
  });
});
