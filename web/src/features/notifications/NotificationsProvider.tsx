// Unread count, live toasts and the WebSocket for the signed-in user.
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { api, unwrap, type NotificationView } from "../../lib/api-client";
import { useI18n } from "../../lib/i18n";
import { NotificationSocket, socketUrl, type SocketState } from "../../lib/notification-socket";

interface Notifications {
  unread: number;
  toasts: NotificationView[];
  socket: SocketState;
  /** Grows with every live notification, so screens can reload what it may have changed. */
  received: number;
  dismiss: (id: string) => void;
  refreshCount: () => void;
  /** Marks one notification read (opening it counts as reading it). */
  markRead: (id: string) => void;
}

const NotificationsContext = createContext<Notifications | null>(null);
const TOAST_MS = 8_000;

export function NotificationsProvider({ children }: { children: ReactNode }) {
  const [unread, setUnread] = useState(0);
  const [toasts, setToasts] = useState<NotificationView[]>([]);
  const [socket, setSocket] = useState<SocketState>("connecting");
  const [received, setReceived] = useState(0);
  const timers = useRef(new Map<string, ReturnType<typeof setTimeout>>());
  // a new language opens a new socket, whose notifications are written in it
  const { locale } = useI18n();

  const refreshCount = useCallback(() => {
    void unwrap(api.GET("/api/notifications/unread-count"))
      .then((body) => setUnread(body.count))
      .catch(() => undefined);
  }, []);

  const markRead = useCallback(
    (id: string) => {
      void unwrap(api.POST("/api/notifications/{notification_id}/read", { params: { path: { notification_id: id } } }))
        .then(refreshCount)
        .catch(() => undefined);
    },
    [refreshCount],
  );

  const dismiss = useCallback((id: string) => {
    setToasts((all) => all.filter((n) => n.id !== id));
    const timer = timers.current.get(id);
    if (timer) clearTimeout(timer);
    timers.current.delete(id);
  }, []);

  useEffect(() => {
    refreshCount();
    const channel = new NotificationSocket(
      {
        ticket: async () => (await unwrap(api.POST("/api/auth/ws-ticket"))).ticket,
        open: (url) => new WebSocket(url),
        url: (ticket, after) => socketUrl(ticket, after, locale),
      },
      (notification) => {
        setToasts((all) => [notification, ...all.filter((n) => n.id !== notification.id)].slice(0, 4));
        timers.current.set(
          notification.id,
          setTimeout(() => dismiss(notification.id), TOAST_MS),
        );
        setReceived((n) => n + 1);
        refreshCount();
      },
      (state) => {
        setSocket(state);
        // What arrived while the socket was down is not replayed: catch up on (re)connect.
        if (state === "open") {
          refreshCount();
          setReceived((n) => n + 1);
        }
      },
    );
    // Start after the newest notification already stored, so the socket replays only newer ones.
    let live = true;
    void unwrap(api.GET("/api/notifications", { params: { query: { limit: 1 } } }))
      .then((page) => page.items.forEach((n) => channel.seen(n.sequence)))
      .catch(() => undefined)
      .finally(() => live && channel.start());
    const pending = timers.current;
    return () => {
      live = false;
      channel.stop();
      for (const timer of pending.values()) clearTimeout(timer);
    };
  }, [refreshCount, dismiss, locale]);

  const value = useMemo(
    () => ({ unread, toasts, socket, received, dismiss, refreshCount, markRead }),
    [unread, toasts, socket, received, dismiss, refreshCount, markRead],
  );
  return <NotificationsContext.Provider value={value}>{children}</NotificationsContext.Provider>;
}

export function useNotifications(): Notifications {
  const value = useContext(NotificationsContext);
  if (!value) throw new Error("useNotifications outside NotificationsProvider");
  return value;
}
