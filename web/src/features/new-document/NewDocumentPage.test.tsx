import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { App } from "../../app/App";
import { session } from "../../lib/session";
import { documentOut, employee } from "../../test/fixtures";

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
const forms = {
  items: [{ code: "general", name: "General request", name_ko: "일반 기안", fields: [], line_rule: { description: "manager, then head" } }],
  next_cursor: null,
};
const proposal = {
  form: "general",
  source: "default",
  line: [
    {
      index: 0,
      kind: "approval",
      rule: "all",
      final_authority: [],
      approvers: [{ id: "a1", name: "안재석", position: "manager", department: { id: "d", name: "People" }, trace: [{ code: "manager", text: "manager", text_ko: "기안자의 관리자", employee_id: null }] }],
    },
    { index: 1, kind: "approval", rule: "all", final_authority: [], approvers: [{ id: "a2", name: "송미경", position: "general_manager", department: null, trace: [] }] },
  ],
  cc: [],
  trace: [],
};

/** The API as the page sees it; `preview` says how the preview endpoint answers. */
function fakeApi(preview: "missing" | "proposes") {
  const created: unknown[] = [];
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = input instanceof Request ? input : new Request(new URL(String(input), "http://localhost"), init);
    const url = new URL(request.url);
    if (url.pathname === "/api/auth/login") return json({ access_token: "a", token_type: "bearer", expires_in: 900, refresh_token: "r" });
    if (url.pathname === "/api/auth/me") return json({ employee: employee("req", "류하늘", "staff"), roles: ["employee"] });
    if (url.pathname === "/api/forms") return json(forms);
    if (url.pathname === "/api/approvals/preview") return preview === "missing" ? json({ title: "Not found" }, 404) : json(proposal);
    if (url.pathname === "/api/approvals" && request.method === "POST") {
      created.push(await request.json());
      return json(documentOut({ id: "new1" }), 201);
    }
    if (url.pathname === "/api/approvals/new1") return json(documentOut({ id: "new1" }));
    if (url.pathname.startsWith("/api/forms/")) return json(forms.items[0]);
    if (url.pathname.startsWith("/api/employees/")) {
      const id = url.pathname.split("/").pop() ?? "";
      return json(employee(id, id === "a1" ? "안재석" : "송미경"));
    }
    if (url.pathname === "/api/notifications/unread-count") return json({ count: 0 });
    if (url.pathname === "/api/auth/ws-ticket") return json({ title: "down" }, 503);
    return json({ items: [], next_cursor: null });
  });
  vi.stubGlobal("fetch", fetchMock);
  return created;
}

async function openNewDocument() {
  window.history.replaceState(null, "", "/new");
  render(<App />);
  await userEvent.type(await screen.findByLabelText("이메일"), "haneul.ryu@dojang.example");
  await userEvent.type(screen.getByLabelText("비밀번호"), "pw");
  await userEvent.click(screen.getByRole("button", { name: "로그인" }));
  await screen.findByRole("heading", { name: "기안하기", level: 1 });
  await userEvent.type(screen.getByRole("textbox", { name: "제목" }), "교육 참석");
}

afterEach(() => {
  session.logout();
  vi.unstubAllGlobals();
  window.history.replaceState(null, "", "/");
});

describe("기안하기 and the proposed line", () => {
  it("shows the proposed line and sends none of its own while it is not edited", async () => {
    const created = fakeApi("proposes");
    await openNewDocument();
    expect(await screen.findByText("양식 규칙이 제안한 결재선입니다. 수정할 수 있습니다.")).toBeInTheDocument();
    const stages = screen.getByRole("list", { name: "결재선" });
    expect(await within(stages).findByRole("listitem", { name: "1단계" })).toHaveTextContent("안재석");
    expect(within(stages).getByRole("listitem", { name: "2단계" })).toHaveTextContent("송미경");
    await userEvent.click(screen.getByRole("button", { name: "상신" }));
    await screen.findByText("상신했습니다.");
    expect(created).toHaveLength(1);
    expect(created[0]).not.toHaveProperty("line");
    expect(created[0]).toMatchObject({ form: "general", title: "교육 참석", submit: true });
  });

  it("sends the edited line once the proposal was changed", async () => {
    const created = fakeApi("proposes");
    await openNewDocument();
    await screen.findByText("양식 규칙이 제안한 결재선입니다. 수정할 수 있습니다.");
    await userEvent.click(screen.getByRole("button", { name: "2단계 삭제" }));
    expect(screen.getByText("직접 지정한 결재선으로 상신합니다.")).toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "임시저장" }));
    await screen.findByText("임시저장했습니다.");
    expect(created[0]).toMatchObject({ line: [{ kind: "approval", rule: "all", approvers: ["a1"] }], submit: false });
  });

  it("proposes nothing, and leaves the line to the server, when there is no preview", async () => {
    const created = fakeApi("missing");
    await openNewDocument();
    expect(await screen.findByText(/제안된 결재선이 없습니다/)).toHaveTextContent("manager, then head");
    expect(within(screen.getByRole("list", { name: "결재선" })).queryAllByRole("listitem")).toHaveLength(0);
    await userEvent.click(screen.getByRole("button", { name: "상신" }));
    await screen.findByText("상신했습니다.");
    expect(created[0]).not.toHaveProperty("line");
  });
});
