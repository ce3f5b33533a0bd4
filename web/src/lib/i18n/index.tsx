// One message catalogue (ko, en); the choice is remembered in localStorage.
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from "react";
import { en } from "./en";
import { ko, type MessageKey } from "./ko";

export type Locale = "ko" | "en";
export type { MessageKey };
export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

const LOCALE_KEY = "dojang.locale";
const catalogues: Record<Locale, Record<MessageKey, string>> = { ko, en };

export function storedLocale(): Locale {
  return typeof localStorage !== "undefined" && localStorage.getItem(LOCALE_KEY) === "en" ? "en" : "ko";
}

export function translator(locale: Locale): Translate {
  const messages = catalogues[locale];
  return (key, vars) => {
    let text = messages[key];
    if (vars) for (const [name, value] of Object.entries(vars)) text = text.replaceAll(`{${name}}`, String(value));
    return text;
  };
}

/** A catalogue key for a value sent by the server, when the catalogue knows it. */
export function known(prefix: string, value: string): MessageKey | null {
  const key = `${prefix}.${value}`;
  return key in ko ? (key as MessageKey) : null;
}

interface I18n {
  locale: Locale;
  t: Translate;
  /** `t` for a server value, falling back to the value itself. */
  label: (prefix: string, value: string) => string;
  setLocale: (locale: Locale) => void;
}

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ children, initial }: { children: ReactNode; initial?: Locale }) {
  const [locale, setLocaleState] = useState<Locale>(initial ?? storedLocale());
  const setLocale = useCallback((next: Locale) => {
    localStorage.setItem(LOCALE_KEY, next);
    document.documentElement.lang = next;
    setLocaleState(next);
  }, []);
  const value = useMemo<I18n>(() => {
    const t = translator(locale);
    const label = (prefix: string, raw: string) => {
      const key = known(prefix, raw);
      return key ? t(key) : raw;
    };
    return { locale, t, label, setLocale };
  }, [locale, setLocale]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error("useI18n outside I18nProvider");
  return value;
}
