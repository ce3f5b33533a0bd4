// 근태·연차: check in and out for today, the last days' record, and this year's leave.
import { useState } from "react";
import { Notice } from "../../components/Notice";
import { useAsync } from "../../components/useAsync";
import { usePaged } from "../../components/usePaged";
import { api, unwrap, type Schemas } from "../../lib/api-client";
import { formatDate, formatTime, seoulToday } from "../../lib/format";
import { useI18n, type MessageKey } from "../../lib/i18n";
import { errorText } from "../../lib/problem";

export function AttendancePage() {
  const { t, locale } = useI18n();
  const history = usePaged<Schemas["Attendance"]>((cursor) => unwrap(api.GET("/api/attendance", { params: { query: { cursor } } })), []);
  const balance = useAsync(() => unwrap(api.GET("/api/leave/balance")), []);
  const [problem, setProblem] = useState<string | null>(null);
  const [done, setDone] = useState<MessageKey | null>(null);
  const [busy, setBusy] = useState(false);
  const today = history.items.find((day) => day.date === seoulToday());

  const act = async (call: () => Promise<unknown>, message: MessageKey) => {
    setBusy(true);
    setProblem(null);
    setDone(null);
    try {
      await call();
      setDone(message);
      history.reload();
    } catch (error) {
      setProblem(errorText(error, t("common.error")));
    } finally {
      setBusy(false);
    }
  };
  const worked = (minutes: number | null) => (minutes == null ? "" : t("attendance.minutes", { h: Math.floor(minutes / 60), m: minutes % 60 }));
  const days = (n: number) => t("leave.days", { n });

  return (
    <div className="attendance">
      <h1>{t("attendance.title")}</h1>
      {problem && <Notice kind="error">{problem}</Notice>}
      {done && <Notice kind="success">{t(done)}</Notice>}
      <div className="home-grid">
        <section className="card" aria-labelledby="today-title">
          <h2 id="today-title">
            {t("attendance.today")} · {formatDate(seoulToday(), locale)}
          </h2>
          <p>
            {t("col.checkIn")} {today ? formatTime(today.check_in_at, locale) : "—"} · {t("col.checkOut")} {today?.check_out_at ? formatTime(today.check_out_at, locale) : "—"}
          </p>
          <div className="row">
            <button type="button" className="primary" disabled={busy || today !== undefined} onClick={() => void act(() => unwrap(api.POST("/api/attendance/check-in")), "attendance.checkedIn")}>
              {t("attendance.checkIn")}
            </button>
            <button type="button" disabled={busy || !today || today.check_out_at !== null} onClick={() => void act(() => unwrap(api.POST("/api/attendance/check-out")), "attendance.checkedOut")}>
              {t("attendance.checkOut")}
            </button>
          </div>
        </section>
        <section className="card" aria-labelledby="leave-title">
          <h2 id="leave-title">
            {t("leave.title")}
            {balance.data && ` · ${t("leave.year", { year: balance.data.year })}`}
          </h2>
          {balance.error != null && <Notice kind="error">{errorText(balance.error, t("common.error"))}</Notice>}
          {balance.data && (
            <dl className="leave" aria-label={t("leave.title")}>
              <div>
                <dt>{t("leave.granted")}</dt>
                <dd>{days(balance.data.granted)}</dd>
              </div>
              <div>
                <dt>{t("leave.used")}</dt>
                <dd>{days(balance.data.used)}</dd>
              </div>
              <div>
                <dt>{t("leave.pending")}</dt>
                <dd>{days(balance.data.pending)}</dd>
              </div>
              <div>
                <dt>{t("leave.remaining")}</dt>
                <dd>{days(balance.data.remaining)}</dd>
              </div>
              <div className="highlight">
                <dt>{t("leave.available")}</dt>
                <dd>{days(balance.data.available)}</dd>
              </div>
            </dl>
          )}
        </section>
      </div>
      <section className="card table-wrap" aria-labelledby="history-title">
        <h2 id="history-title">{t("attendance.history")}</h2>
        <table className="stack" aria-label={t("attendance.history")}>
          <thead>
            <tr>
              <th scope="col">{t("col.date")}</th>
              <th scope="col">{t("col.checkIn")}</th>
              <th scope="col">{t("col.checkOut")}</th>
              <th scope="col">{t("col.work")}</th>
            </tr>
          </thead>
          <tbody>
            {history.items.map((day) => (
              <tr key={day.id}>
                <td className="stack-head">{formatDate(day.date, locale)}</td>
                <td data-label={t("col.checkIn")}>{formatTime(day.check_in_at, locale)}</td>
                <td data-label={t("col.checkOut")}>{formatTime(day.check_out_at, locale)}</td>
                <td data-label={t("col.work")}>{worked(day.work_minutes)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {!history.loading && history.items.length === 0 && <p className="muted">{t("common.empty")}</p>}
        {history.hasMore && (
          <button type="button" onClick={history.more}>
            {t("common.more")}
          </button>
        )}
      </section>
    </div>
  );
}
