// Live notifications, shown for a few seconds as they arrive over the WebSocket.
import { Link } from "react-router";
import { Icon } from "../../components/Icon";
import { useI18n } from "../../lib/i18n";
import { useNotifications } from "./NotificationsProvider";
import { notificationText } from "./text";

export function Toasts() {
  const { t } = useI18n();
  const { toasts, dismiss, markRead } = useNotifications();
  return (
    <section className="toasts" aria-label={t("notif.toasts")} aria-live="polite">
      {toasts.map((n) => (
        <div key={n.id} className="toast" role="status">
          <Link to={`/documents/${n.approval_id}`} onClick={() => {
              dismiss(n.id);
              markRead(n.id);
            }}
          >
            <strong>{n.title}</strong>
            <span>{notificationText(n, t)}</span>
          </Link>
          <button type="button" className="icon-button" aria-label={t("common.close")} onClick={() => dismiss(n.id)}>
            <Icon name="close" size={16} />
          </button>
        </div>
      ))}
    </section>
  );
}
