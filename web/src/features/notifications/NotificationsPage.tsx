// 알림: every notification of mine, newest first, with read state.
import { useState } from "react";
import { Link } from "react-router";
import { Notice } from "../../components/Notice";
import { api, unwrap, type NotificationView } from "../../lib/api-client";
import { formatDateTime } from "../../lib/format";
import { useI18n } from "../../lib/i18n";
import { errorText } from "../../lib/problem";
import { usePaged } from "../../components/usePaged";
import { useNotifications } from "./NotificationsProvider";
import { notificationText } from "./text";

export function NotificationsPage() {
  const { t, locale } = useI18n();
  const { refreshCount, received, markRead } = useNotifications();
  const [unreadOnly, setUnreadOnly] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const list = usePaged<NotificationView>(
    (cursor) =>
      unwrap(api.GET("/api/notifications", { params: { query: { unread: unreadOnly ? true : undefined, cursor, limit: 30 } } })),
    [unreadOnly, received],
  );

  const act = async (call: Promise<unknown>) => {
    try {
      await call;
      setError(null);
      list.reload();
      refreshCount();
    } catch (e) {
      setError(e);
    }
  };

  return (
    <section aria-labelledby="notifications-title">
      <div className="page-head">
        <h1 id="notifications-title">{t("notif.title")}</h1>
        <div className="row">
          <label className="check">
            <input type="checkbox" checked={unreadOnly} onChange={(e) => setUnreadOnly(e.target.checked)} />
            {t("notif.unreadOnly")}
          </label>
          <button type="button" onClick={() => void act(unwrap(api.POST("/api/notifications/read-all")))}>
            {t("notif.readAll")}
          </button>
        </div>
      </div>
      {error != null && <Notice kind="error">{errorText(error, t("common.error"))}</Notice>}
      {list.error != null && <Notice kind="error">{errorText(list.error, t("common.error"))}</Notice>}
      <ul className="notification-list" aria-label={t("notif.all")}>
        {list.items.map((n) => (
          <li key={n.id} className={n.read_at ? "read" : "unread"}>
            <Link to={`/documents/${n.approval_id}`} onClick={() => !n.read_at && markRead(n.id)}>
              <strong>{n.title}</strong>
              <span>{notificationText(n, t)}</span>
            </Link>
            <time dateTime={n.created_at}>{formatDateTime(n.created_at, locale)}</time>
            {!n.read_at && (
              <button
                type="button"
                aria-label={`${t("notif.read")}: ${n.title}`}
                onClick={() =>
                  void act(unwrap(api.POST("/api/notifications/{notification_id}/read", { params: { path: { notification_id: n.id } } })))
                }
              >
                {t("notif.read")}
              </button>
            )}
          </li>
        ))}
      </ul>
      {!list.loading && list.items.length === 0 && <p className="muted">{t("common.empty")}</p>}
      {list.loading && <p className="muted">{t("common.loading")}</p>}
      {list.hasMore && (
        <button type="button" onClick={list.more}>
          {t("common.more")}
        </button>
      )}
    </section>
  );
}
