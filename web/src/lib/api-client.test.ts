import { afterEach, describe, expect, it, vi } from "vitest";
import { authenticatedFetch } from "./api-client";
import { Session } from "./session";

const tokens = (access: string) =>
  new Response(JSON.stringify({ access_token: access, token_type: "bearer", expires_in: 900, refresh_token: `refresh-${access}` }), {
    headers: { "Content-Type": "application/json" },
  });

function memoryStorage(): Storage {
  const data = new Map<string, string>();
  return {
    get length() {
      return data.size;
    },
    clear: () => data.clear(),
    getItem: (k) => data.get(k) ?? null,
    key: (i) => [...data.keys()][i] ?? null,
    removeItem: (k) => void data.delete(k),
    setItem: (k, v) => void data.set(k, v),
  };
}

afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

describe("the session and its fetch", () => {
  it("keeps the refresh token in the tab's storage and the access token in memory only", async () => {
    const storage = memoryStorage();
    const session = new Session(async () => tokens("a1"), storage);
    await session.login("kim@dojang.example", "pw");
    expect(session.token).toBe("a1");
    expect(storage.getItem("dojang.refresh")).toBe("refresh-a1");
    expect([...Array(storage.length).keys()].map((i) => storage.getItem(storage.key(i) ?? ""))).not.toContain("a1");
  });

  it("sends the bearer token, and on a 401 refreshes once and retries with the new one", async () => {
    const storage = memoryStorage();
    const refreshes: string[] = [];
    const session = new Session(async (_url, init) => {
      refreshes.push(JSON.parse(String(init?.body)).refresh_token as string);
      return tokens("a2");
    }, storage);
    storage.setItem("dojang.refresh", "refresh-a1");
    const seen: (string | null)[] = [];
    vi.stubGlobal("fetch", async (request: Request) => {
      seen.push(request.headers.get("Authorization"));
      return new Response(null, { status: seen.length === 1 ? 401 : 200 });
    });
    await session.refresh();
    refreshes.length = 0;
    const expired = vi.fn();
    session.onExpired(expired);
    // The first answer is 401 as if the token had lapsed on the server.
    const response = await authenticatedFetch(session)(new Request("http://localhost/api/auth/me"));
    expect(response.status).toBe(200);
    expect(seen).toEqual(["Bearer a2", "Bearer a2"]);
    expect(refreshes).toEqual(["refresh-a2"]);
    expect(expired).not.toHaveBeenCalled();
  });

  it("returns to login (expires the session) when the refresh is refused too", async () => {
    const storage = memoryStorage();
    storage.setItem("dojang.refresh", "stale");
    const session = new Session(async () => new Response(null, { status: 401 }), storage);
    vi.stubGlobal("fetch", async () => new Response(null, { status: 401 }));
    const expired = vi.fn();
    session.onExpired(expired);
    const response = await authenticatedFetch(session)(new Request("http://localhost/api/inbox"));
    expect(response.status).toBe(401);
    expect(expired).toHaveBeenCalledOnce();
    expect(storage.getItem("dojang.refresh")).toBeNull();
    expect(session.token).toBeNull();
  });

  it("shares one refresh between concurrent callers (a refresh token works once)", async () => {
    const storage = memoryStorage();
    storage.setItem("dojang.refresh", "r0");
    let calls = 0;
    const session = new Session(async () => {
      calls += 1;
      await new Promise((resolve) => setTimeout(resolve, 5));
      return tokens(`a${calls}`);
    }, storage);
    const results = await Promise.all([session.refresh(), session.refresh(), session.refresh()]);
    expect(results).toEqual([true, true, true]);
    expect(calls).toBe(1);
  });

  it("keeps the session through a network failure at refresh time, and tries again", async () => {
    vi.useFakeTimers();
    const storage = memoryStorage();
    let down = false;
    const fetchImpl = vi.fn(async (_url: RequestInfo | URL, _init?: RequestInit) => {
      if (down) throw new TypeError("Failed to fetch");
      return tokens("a1");
    });
    const session = new Session(fetchImpl, storage);
    const expired = vi.fn();
    session.onExpired(expired);
    await session.login("kim@dojang.example", "pw");
    down = true;
    await vi.advanceTimersByTimeAsync(840_000);
    expect(fetchImpl).toHaveBeenCalledTimes(2);
    expect(expired).not.toHaveBeenCalled();
    expect(storage.getItem("dojang.refresh")).toBe("refresh-a1");
    down = false;
    await vi.advanceTimersByTimeAsync(15_000);
    expect(fetchImpl).toHaveBeenCalledTimes(3);
    expect(session.token).toBe("a1");
    expect(expired).not.toHaveBeenCalled();
  });

  it("refreshes a minute before the access token expires", async () => {
    vi.useFakeTimers();
    const storage = memoryStorage();
    const fetchImpl = vi.fn(async (_url: RequestInfo | URL, _init?: RequestInit) => tokens("a1"));
    const session = new Session(fetchImpl, storage);
    await session.login("kim@dojang.example", "pw");
    expect(fetchImpl).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(900_000 - 61_000);
    expect(fetchImpl).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(fetchImpl).toHaveBeenCalledTimes(2);
    expect(fetchImpl.mock.calls[1]?.[0]).toBe("/api/auth/refresh");
  });
});

describe("the reader's language", () => {
  it("goes with every API call: Korean by default, English after the switch", async () => {
    const seen: (string | null)[] = [];
    vi.stubGlobal("fetch", async (request: Request) => {
      seen.push(request.headers.get("Accept-Language"));
      return new Response(null, { status: 200 });
    });
    const session = new Session(async () => tokens("a1"), memoryStorage());
    localStorage.removeItem("dojang.locale");
    await authenticatedFetch(session)(new Request("http://localhost/api/forms"));
    localStorage.setItem("dojang.locale", "en");
    await authenticatedFetch(session)(new Request("http://localhost/api/forms"));
    localStorage.removeItem("dojang.locale");
    expect(seen).toEqual(["ko", "en"]);
  });
});
