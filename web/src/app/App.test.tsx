import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { session } from "../lib/session";
import { employee } from "../test/fixtures";
import { App } from "./App";

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
const tokens = { access_token: "a1", token_type: "bearer", expires_in: 900, refresh_token: "r1" };

/** A fake API: sign-in works; `refused` paths answer 401 (and so does the refresh then). */
function fakeApi(refused: string[] = []) {
  return vi.fn(async (input: RequestInfo | URL) => {
    const url = new URL(input instanceof Request ? input.url : String(input), "http://localhost");
    if (url.pathname === "/api/auth/login") return json(tokens);
    if (url.pathname === "/api/auth/refresh") return json({ title: "Unauthorized" }, 401);
    if (refused.includes(url.pathname)) return json({ title: "Unauthorized", status: 401 }, 401);
    if (url.pathname === "/api/auth/me") return json({ employee: employee("req", "류하늘", "staff"), roles: ["employee"] });
    if (url.pathname === "/api/notifications/unread-count") return json({ count: 3 });
    if (url.pathname === "/api/auth/ws-ticket") return json({ title: "down" }, 503);
    return json({ items: [], next_cursor: null });
  });
}

afterEach(() => {
  session.logout();
  vi.unstubAllGlobals();
  sessionStorage.clear();
  window.history.replaceState(null, "", "/");
});

async function signIn() {
  await userEvent.type(await screen.findByLabelText("이메일"), "haneul.ryu@dojang.example");
  await userEvent.type(screen.getByLabelText("비밀번호"), "dojang-demo-2026");
  await userEvent.click(screen.getByRole("button", { name: "로그인" }));
}

describe("signing in and out", () => {
  it("sends an anonymous visitor to 로그인, and back where they were after signing in", async () => {
    vi.stubGlobal("fetch", fakeApi());
    window.history.replaceState(null, "", "/attendance");
    render(<App />);
    await signIn();
    expect(await screen.findByRole("heading", { name: "근태·연차", level: 1 })).toBeInTheDocument();
    expect(window.location.pathname).toBe("/attendance");
    expect(await screen.findByRole("link", { name: "알림 3건" })).toBeInTheDocument();
  });

  it("says so when the credentials are wrong", async () => {
    vi.stubGlobal("fetch", async () => json({ title: "Unauthorized" }, 401));
    render(<App />);
    await signIn();
    expect(await screen.findByRole("alert")).toHaveTextContent("이메일 또는 비밀번호가 올바르지 않습니다.");
  });

  it("returns to 로그인 when a request is refused and the session cannot be refreshed", async () => {
    vi.stubGlobal("fetch", fakeApi(["/api/inbox"]));
    render(<App />);
    await signIn();
    expect(await screen.findByRole("heading", { name: "도장 · 로그인" })).toBeInTheDocument();
    expect(screen.getByRole("status")).toHaveTextContent("세션이 만료되었습니다. 다시 로그인하세요.");
    expect(sessionStorage.getItem("dojang.refresh")).toBeNull();
  });
});
