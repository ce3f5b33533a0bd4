// "SSO로 로그인" when the deployment names an OIDC issuer; also finishes the sign-in when the
// issuer sends the browser back to the login page with `?code=&state=`.
import { useEffect, useState } from "react";
import { Notice } from "../components/Notice";
import { useAuth } from "../lib/auth";
import { useI18n } from "../lib/i18n";
import { authorizeUrl, completeSignIn, discover } from "../lib/oidc";
import { runtimeConfig, type RuntimeConfig } from "../lib/runtime-config";

export function SsoSignIn() {
  const { t } = useI18n();
  const { signInWith } = useAuth();
  const [config, setConfig] = useState<RuntimeConfig["oidc"]>(null);
  const [error, setError] = useState(false);

  useEffect(() => {
    let live = true;
    void runtimeConfig().then(async ({ oidc }) => {
      if (!live || !oidc) return;
      setConfig(oidc);
      const here = new URL(window.location.href);
      if (!here.searchParams.has("code")) return;
      window.history.replaceState(null, "", here.pathname);
      try {
        const tokens = await completeSignIn(oidc, await discover(oidc.issuer), here);
        await signInWith(tokens.access_token, tokens.expires_in);
      } catch {
        if (live) setError(true);
      }
    });
    return () => {
      live = false;
    };
  }, [signInWith]);

  if (!config) return null;
  const start = async () => {
    setError(false);
    try {
      window.location.assign(await authorizeUrl(config, await discover(config.issuer)));
    } catch {
      setError(true);
    }
  };
  return (
    <>
      {error && <Notice kind="error">{t("auth.ssoFailed")}</Notice>}
      <button type="button" onClick={() => void start()}>
        {t("auth.sso")}
      </button>
    </>
  );
}
