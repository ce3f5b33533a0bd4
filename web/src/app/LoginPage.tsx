// 로그인: email and password; a 401 or a lapsed session comes back here.
import { useState, type FormEvent } from "react";
import { Navigate, useLocation, useNavigate } from "react-router";
import { Notice } from "../components/Notice";
import { useAuth } from "../lib/auth";
import { useI18n } from "../lib/i18n";
import { LanguageSwitch } from "./LanguageSwitch";
import { SsoSignIn } from "./SsoSignIn";

export function LoginPage() {
  const { t } = useI18n();
  const { state, login } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const from = (location.state as { from?: string; expired?: boolean } | null) ?? {};
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  if (state.status === "signed-in") return <Navigate to={from.from ?? "/"} replace />;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const result = await login(email.trim(), password);
      if (result.ok) navigate(from.from ?? "/", { replace: true });
      else setError(result.status === 401 ? t("auth.bad") : result.status === 429 ? t("auth.throttled") : t("auth.failed"));
    } catch {
      setError(t("auth.failed"));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="login" id="main">
      <form className="login-card" onSubmit={(e) => void submit(e)} aria-labelledby="login-title">
        <div className="login-brand" aria-hidden="true">
          印
        </div>
        <h1 id="login-title">
          {t("app.name")} · {t("auth.title")}
        </h1>
        {from.expired && !error && <Notice kind="info">{t("auth.expired")}</Notice>}
        {error && <Notice kind="error">{error}</Notice>}
        <label htmlFor="login-email">{t("auth.email")}</label>
        <input id="login-email" type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />
        <label htmlFor="login-password">{t("auth.password")}</label>
        <input id="login-password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        <button type="submit" className="primary" disabled={busy}>
          {t("auth.submit")}
        </button>
        <SsoSignIn />
        <div className="login-foot">
          <LanguageSwitch />
        </div>
      </form>
    </main>
  );
}
