// The live notification channel: a single-use ticket per connection, and reconnection
// with exponential backoff (1 s doubling to 30 s, with jitter) whenever it drops. Each
// (re)connection asks for what came after the last notification seen (`after=<sequence>`),
// so nothing committed while the socket was down is missed.
import type { NotificationView } from "./api-client";
import { storedLocale, type Locale } from "./i18n";

export type SocketState = "connecting" | "open" | "closed";

export interface SocketDeps {
  ticket: () => Promise<string>;
  open: (url: string) => WebSocket;
  url: (ticket: string, after: number | null) => string;
  random?: () => number;
  schedule?: (fn: () => void, ms: number) => ReturnType<typeof setTimeout>;
}

const BASE_DELAY_MS = 1_000;
const MAX_DELAY_MS = 30_000;

export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** attempt);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** The socket's address; `lang` is the language its notifications are written in (a browser
 * cannot set Accept-Language on a WebSocket). */
export function socketUrl(ticket: string, after: number | null, lang: Locale = storedLocale()): string {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  const since = after === null ? "" : `&after=${after}`;
  return `${scheme}//${location.host}/ws/notifications?ticket=${encodeURIComponent(ticket)}${since}&lang=${lang}`;
}

export class NotificationSocket {
  private socket: WebSocket | null = null;
  private attempt = 0;
  private stopped = true;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private lastSequence: number | null = null;

  constructor(
    private readonly deps: SocketDeps,
    private readonly onNotification: (notification: NotificationView) => void,
    private readonly onState: (state: SocketState) => void,
  ) {}

  /** Notes a notification already known (from a list), so a connection starts after it. */
  seen(sequence: unknown): void {
    if (typeof sequence === "number" && Number.isInteger(sequence) && (this.lastSequence === null || sequence > this.lastSequence)) {
      this.lastSequence = sequence;
    }
  }

  start(): void {
    this.stopped = false;
    void this.connect();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.socket?.close(1000);
    this.socket = null;
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    this.onState("connecting");
    let ticket: string;
    try {
      ticket = await this.deps.ticket();
    } catch {
      this.retry();
      return;
    }
    if (this.stopped) return;
    const socket = this.deps.open(this.deps.url(ticket, this.lastSequence));
    this.socket = socket;
    socket.onopen = () => {
      this.attempt = 0;
      this.onState("open");
    };
    socket.onmessage = (event: MessageEvent) => {
      const message = parse(event.data);
      if (message?.type !== "notification" || !message.data) return;
      const known = this.lastSequence;
      const sequence = (message.data as { sequence?: unknown }).sequence;
      // A replayed notification at or below what was already seen is a duplicate.
      if (typeof sequence === "number" && known !== null && sequence <= known) return;
      this.seen(sequence);
      this.onNotification(message.data);
    };
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.onState("closed");
      this.retry();
    };
  }

  private retry(): void {
    if (this.stopped) return;
    const delay = backoffDelay(this.attempt, this.deps.random);
    this.attempt += 1;
    const schedule = this.deps.schedule ?? ((fn, ms) => setTimeout(fn, ms));
    this.timer = schedule(() => void this.connect(), delay);
  }
}

function parse(raw: unknown): { type?: string; data?: NotificationView } | null {
  if (typeof raw !== "string") return null;
  try {
    return JSON.parse(raw) as { type?: string; data?: NotificationView };
  } catch {
    return null;
  }
}
