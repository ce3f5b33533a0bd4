import type { NotificationView } from "../../lib/api-client";
import { known, type Translate } from "../../lib/i18n";

/** The line under a notification's title: from the catalogue by type, else the server's text. */
export function notificationText(notification: NotificationView, t: Translate): string {
  const key = known("notifType", notification.type);
  return key ? t(key) : notification.message;
}
