// The bell in the header: unread count, and a link to the notification list.
import { Link } from "react-router";
import { Icon } from "../../components/Icon";
import { useI18n } from "../../lib/i18n";
import { useNotifications } from "./NotificationsProvider";

export function Bell() {
  const { t } = useI18n();
  const { unread, socket } = useNotifications();
  return (
    <Link to="/notifications" className="bell" aria-label={t("notif.bell", { n: unread })}>
      <Icon name="bell" size={20} />
      {unread > 0 && (
        <span className="badge" aria-hidden="true">
          {unread > 99 ? "99+" : unread}
        </span>
      )}
      <span className={`live-dot live-${socket}`} title={socket === "open" ? t("notif.live") : t("notif.offline")} aria-hidden="true" />
    </Link>
  );
}
