import { describe, expect, it } from "vitest";
import type { NotificationView } from "./api-client";
import { backoffDelay, NotificationSocket, socketUrl, type SocketState } from "./notification-socket";

class FakeSocket {
  onopen: (() => void) | null = null;
  onmessage: ((event: MessageEvent) => void) | null = null;
  onclose: (() => void) | null = null;
  closed = false;
  constructor(readonly url: string) {}
  close() {
    this.closed = true;
  }
}

describe("the notification socket", () => {
  it("names the language its notifications are written in", () => {
    expect(socketUrl("t1", null, "ko")).toMatch(/\/ws\/notifications\?ticket=t1&lang=ko$/);
    expect(socketUrl("t1", 7, "en")).toMatch(/\?ticket=t1&after=7&lang=en$/);
  });

  it("backs off exponentially up to 30 s", () => {
    const top = () => 1;
    expect([0, 1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, top))).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000]);
    expect(backoffDelay(3, () => 0)).toBe(4000);
  });

  it("takes a fresh ticket for every connection, delivers notifications, and reconnects after a drop", async () => {
    const sockets: FakeSocket[] = [];
    const delays: number[] = [];
    const pending: (() => void)[] = [];
    let tickets = 0;
    const got: NotificationView[] = [];
    const states: SocketState[] = [];
    const channel = new NotificationSocket(
      {
        ticket: async () => `t${++tickets}`,
        open: (url) => {
          const socket = new FakeSocket(url);
          sockets.push(socket);
          return socket as unknown as WebSocket;
        },
        url: (ticket, after) => `ws://x/ws/notifications?ticket=${ticket}${after === null ? "" : `&after=${after}`}`,
        random: () => 1,
        schedule: (fn, ms) => {
          delays.push(ms);
          pending.push(fn);
          return 0 as unknown as ReturnType<typeof setTimeout>;
        },
      },
      (n) => got.push(n),
      (s) => states.push(s),
    );
    channel.start();
    await Promise.resolve();
    await Promise.resolve();
    const first = sockets[0];
    expect(first?.url).toBe("ws://x/ws/notifications?ticket=t1");
    first?.onopen?.();
    first?.onmessage?.(new MessageEvent("message", { data: JSON.stringify({ type: "ping" }) }));
    first?.onmessage?.(new MessageEvent("message", { data: JSON.stringify({ type: "notification", data: { id: "n1", title: "결재 요청", sequence: 7 } }) }));
    expect(got.map((n) => n.id)).toEqual(["n1"]);
    first?.onclose?.();
    expect(delays).toEqual([1000]);
    pending.shift()?.();
    await Promise.resolve();
    await Promise.resolve();
    // The second connection asks for what came after the last one seen, and drops repeats.
    expect(sockets[1]?.url).toBe("ws://x/ws/notifications?ticket=t2&after=7");
    sockets[1]?.onmessage?.(new MessageEvent("message", { data: JSON.stringify({ type: "notification", data: { id: "n1", sequence: 7 } }) }));
    sockets[1]?.onmessage?.(new MessageEvent("message", { data: JSON.stringify({ type: "notification", data: { id: "n2", sequence: 8 } }) }));
    expect(got.map((n) => n.id)).toEqual(["n1", "n2"]);
    sockets[1]?.onclose?.();
    expect(delays).toEqual([1000, 2000]);
    channel.stop();
    expect(states).toEqual(["connecting", "open", "closed", "connecting", "closed"]);
  });
});
