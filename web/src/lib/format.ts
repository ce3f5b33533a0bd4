// Dates and times shown in Asia/Seoul, money in won without decimals.
export const TIME_ZONE = "Asia/Seoul";

type Locale = "ko" | "en";

const tag = (locale: Locale): string => (locale === "ko" ? "ko-KR" : "en-GB");

// Korean reads "2026. 12. 3."; English spells the month ("3 Dec 2026"), so 03/12 is never
// mistaken for 12 March or 3 December.
const dayOptions = (locale: Locale): Intl.DateTimeFormatOptions => ({
  timeZone: TIME_ZONE,
  year: "numeric",
  month: locale === "ko" ? "numeric" : "short",
  day: "numeric",
});

/** A calendar day: `YYYY-MM-DD` is that day as is; an instant is its day in Seoul. */
const asDate = (iso: string): Date => (/^\d{4}-\d{2}-\d{2}$/.test(iso) ? new Date(`${iso}T00:00:00+09:00`) : new Date(iso));

export function formatDate(iso: string | null | undefined, locale: Locale): string {
  if (!iso) return "";
  return new Intl.DateTimeFormat(tag(locale), dayOptions(locale)).format(asDate(iso));
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

/** "2026. 12. 3. 14:05" or "3 Dec 2026 14:05", in Seoul. */
export function formatDateTime(iso: string | null | undefined, locale: Locale): string {
  if (!iso) return "";
  return `${formatDate(iso, locale)} ${formatTime(iso, locale)}`;
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
