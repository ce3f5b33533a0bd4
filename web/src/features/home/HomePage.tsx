// 홈: how many documents each box holds, what waits for me, the latest notifications.
import { Link } from "react-router";
import { Notice } from "../../components/Notice";
import { useAsync } from "../../components/useAsync";
import { api, unwrap } from "../../lib/api-client";
import { useMe } from "../../lib/auth";
import { formatDateTime } from "../../lib/format";
import { useI18n } from "../../lib/i18n";
import { errorText } from "../../lib/problem";
import { BOXES, COUNT_LIMIT } from "../boxes/boxes";
import { useNotifications } from "../notifications/NotificationsProvider";
import { notificationText } from "../notifications/text";

export function HomePage() {
  const { t, locale, label } = useI18n();
  const me = useMe();
  const { received, markRead } = useNotifications();
  const counts = useAsync(
    () =>
      Promise.all(
        BOXES.map(async ({ box }) => {
          const page = await unwrap(api.GET("/api/approvals", { params: { query: { box, limit: COUNT_LIMIT } } }));
          return { box, count: page.items.length, more: page.next_cursor != null };
        }),
      ),
    [received],
  );
  const inbox = useAsync(() => unwrap(api.GET("/api/inbox", { params: { query: { status: "pending", limit: 10 } } })), [received]);
  const recent = useAsync(() => unwrap(api.GET("/api/notifications", { params: { query: { limit: 5 } } })), [received]);

  return (
    <div className="home">
      <h1>{t("home.greeting", { name: me.employee.name })}</h1>
      <section aria-labelledby="home-boxes" className="card">
        <h2 id="home-boxes">{t("home.boxes")}</h2>
        {counts.error != null && <Notice kind="error">{errorText(counts.error, t("common.error"))}</Notice>}
        <ul className="box-counts">
          {BOXES.map(({ box, key }) => {
            const found = counts.data?.find((c) => c.box === box);
            const count = found ? `${found.count}${found.more ? "+" : ""}` : "…";
            return (
              <li key={box}>
                <Link to={`/boxes/${box}`} aria-label={`${t(key)} ${count}`}>
                  <span className="count">{count}</span>
                  <span>{t(key)}</span>
                </Link>
              </li>
            );
          })}
        </ul>
      </section>
      <div className="home-grid">
        <section aria-labelledby="home-waiting" className="card">
          <h2 id="home-waiting">{t("home.waiting")}</h2>
          {inbox.error != null && <Notice kind="error">{errorText(inbox.error, t("common.error"))}</Notice>}
          {inbox.data && inbox.data.items.length === 0 && <p className="muted">{t("common.empty")}</p>}
          <ul className="plain-list" aria-label={t("home.waiting")}>
            {inbox.data?.items.map((task) => (
              <li key={task.id}>
                <Link to={`/documents/${task.approval_id}`}>{task.title}</Link>
                <span className="muted">
                  {label("form", task.form)} · {task.requester.name} · {formatDateTime(task.created_at, locale)}
                  {task.on_behalf_of ? ` · ${t("doc.onBehalf")}` : ""}
                </span>
              </li>
            ))}
          </ul>
        </section>
        <section aria-labelledby="home-recent" className="card">
          <h2 id="home-recent">{t("home.recent")}</h2>
          {recent.data && recent.data.items.length === 0 && <p className="muted">{t("common.empty")}</p>}
          <ul className="plain-list" aria-label={t("home.recent")}>
            {recent.data?.items.map((n) => (
              <li key={n.id} className={n.read_at ? "read" : "unread"}>
                <Link to={`/documents/${n.approval_id}`} onClick={() => !n.read_at && markRead(n.id)}>
                  {n.title}
                </Link>
                <span className="muted">
                  {notificationText(n, t)} · {formatDateTime(n.created_at, locale)}
                </span>
              </li>
            ))}
          </ul>
          <Link to="/notifications">{t("notif.all")}</Link>
        </section>
      </div>
    </div>
  );
}
