// Dates and times shown in Asia/Seoul, money in won without decimals.
export const TIME_ZONE = "Asia/Seoul";

type Locale = "ko" | "en";

const tag = (locale: Locale): string => (locale === "ko" ? "ko-KR" : "en-GB");

export function formatDateTime(iso: string | null | undefined, locale: Locale): string {
  if (!iso) return "";
  return new Intl.DateTimeFormat(tag(locale), {
    timeZone: TIME_ZONE,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).format(new Date(iso));
}

export function formatDate(iso: string | null | undefined, locale: Locale): string {
  if (!iso) return "";
  // A plain `YYYY-MM-DD` is a calendar day already; do not shift it through a zone.
  const date = /^\d{4}-\d{2}-\d{2}$/.test(iso) ? new Date(`${iso}T00:00:00+09:00`) : new Date(iso);
  return new Intl.DateTimeFormat(tag(locale), {
    timeZone: TIME_ZONE,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(date);
}

export function formatTime(iso: string | null | undefined, locale: Locale): string {
  if (!iso) return "";
  return new Intl.DateTimeFormat(tag(locale), {
    timeZone: TIME_ZONE,
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).format(new Date(iso));
}

const won = new Intl.NumberFormat("ko-KR", { style: "currency", currency: "KRW", maximumFractionDigits: 0 });

export function formatKRW(amount: number): string {
  return won.format(amount);
}

export function formatAmount(amount: number, currency: string): string {
  if (currency === "KRW") return formatKRW(amount);
  try {
    return new Intl.NumberFormat("ko-KR", { style: "currency", currency }).format(amount);
  } catch {
    return `${amount} ${currency}`;
  }
}

/** Today's calendar day in Seoul, `YYYY-MM-DD`. */
export function seoulToday(now: Date = new Date()): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: TIME_ZONE }).format(now);
}

/** A `datetime-local` value read as Seoul wall-clock time, as RFC 3339 UTC. */
export function seoulLocalToIso(value: string): string {
  return new Date(`${value.length === 16 ? `${value}:00` : value}+09:00`).toISOString();
}
