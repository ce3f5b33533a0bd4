import { describe, expect, it } from "vitest";
import { readRuntimeConfig } from "./runtime-config";

describe("the deployment's configuration", () => {
  it("names an OIDC issuer only when issuer, client and redirect are all given", () => {
    const oidc = { issuer: "https://id.example", client_id: "web", redirect_uri: "https://app.example/login", scope: "openid email" };
    expect(readRuntimeConfig({ oidc })).toEqual({ oidc });
    expect(readRuntimeConfig({ oidc: { ...oidc, scope: undefined } }).oidc?.scope).toBe("openid");
    expect(readRuntimeConfig({ oidc: { ...oidc, client_id: "" } })).toEqual({ oidc: null });
    expect(readRuntimeConfig({})).toEqual({ oidc: null });
    expect(readRuntimeConfig(null)).toEqual({ oidc: null });
  });
});
