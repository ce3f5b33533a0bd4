// What a deployment tells the app at start: `/config.json` beside `index.html` (replace the
// build's `{}` with `{"oidc": {issuer, client_id, redirect_uri, scope}}` to sign in at an
// external OIDC issuer). Anything unreadable means no external issuer.
import type { OidcConfig } from "./oidc";

export interface RuntimeConfig {
  oidc: OidcConfig | null;
}

const isText = (v: unknown): v is string => typeof v === "string" && v.length > 0;

export function readRuntimeConfig(body: unknown): RuntimeConfig {
  const oidc = typeof body === "object" && body !== null ? (body as { oidc?: Record<string, unknown> }).oidc : undefined;
  if (!oidc || !isText(oidc.issuer) || !isText(oidc.client_id) || !isText(oidc.redirect_uri)) return { oidc: null };
  return { oidc: { issuer: oidc.issuer, client_id: oidc.client_id, redirect_uri: oidc.redirect_uri, scope: isText(oidc.scope) ? oidc.scope : "openid" } };
}

let loaded: Promise<RuntimeConfig> | null = null;

/** The deployment's configuration, fetched once. */
export function runtimeConfig(): Promise<RuntimeConfig> {
  loaded ??= fetch("/config.json", { headers: { Accept: "application/json" } })
    .then(async (response) => (response.ok ? readRuntimeConfig(await response.json()) : { oidc: null }))
    .catch(() => ({ oidc: null }));
  return loaded;
}
