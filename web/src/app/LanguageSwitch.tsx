import { useI18n } from "../lib/i18n";

export function LanguageSwitch() {
  const { t, locale, setLocale } = useI18n();
  return (
    <button type="button" className="link-button" aria-label={t("lang.label")} onClick={() => setLocale(locale === "ko" ? "en" : "ko")} lang={locale === "ko" ? "en" : "ko"}>
      {t("lang.switch")}
    </button>
  );
}
