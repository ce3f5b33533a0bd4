import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter } from "react-router";
import { describe, expect, it, vi } from "vitest";
import { I18nProvider } from "../../lib/i18n";
import { documentOut, people, task } from "../../test/fixtures";
import { renderUi } from "../../test/render";
import type { FieldSpec } from "../new-document/form-schema";
import { DocumentView, type DocumentHandlers } from "./DocumentView";

const specs: FieldSpec[] = [
  { name: "amount", type: "number", required: true, label: "Amount", label_ko: "금액" },
  { name: "currency", type: "string", label: "Currency", label_ko: "통화" },
  { name: "category", type: "string", required: true, label: "Category", label_ko: "분류", choices: ["equipment", "meals"] },
];

function handlers(): DocumentHandlers {
  return {
    approve: vi.fn(async () => undefined),
    reject: vi.fn(async () => undefined),
    withdraw: vi.fn(async () => undefined),
    submit: vi.fn(async () => undefined),
    markRead: vi.fn(async () => undefined),
    takeBack: vi.fn(async () => undefined),
    resubmit: vi.fn(async () => undefined),
    edit: vi.fn(async () => undefined),
    comment: vi.fn(async () => undefined),
  };
}

const view = (meId: string, change: Parameters<typeof documentOut>[0] = {}, tasks = [task()], h = handlers()) => {
  renderUi(<DocumentView doc={documentOut(change)} meId={meId} tasks={tasks} people={people} specs={specs} handlers={h} busy={false} />);
  return h;
};

const actionNames = () =>
  ["승인", "전결", "반려", "결재 취소", "회수", "재상신", "상신", "참조 읽음"].filter((name) => screen.queryByRole("button", { name }) !== null);

describe("approval boxes (결재란)", () => {
  it("shows the requester's box, then one box per approver in line order", () => {
    view("a2");
    const boxes = within(screen.getByRole("list", { name: "결재란" })).getAllByRole("listitem");
    expect(boxes.map((b) => b.getAttribute("aria-label"))).toEqual(["기안자 류하늘", "결재 안재석 승인", "합의 송미경 미결"]);
  });

  it("presses the decider's seal with a 대결 mark when a delegate decided", () => {
    view("a2");
    const box = screen.getByRole("listitem", { name: "결재 안재석 승인" });
    expect(within(box).getByRole("img", { name: "박서연 승인 (대결)" })).toBeInTheDocument();
    expect(box).toHaveTextContent("대결 박서연 · 안재석 대신");
    expect(box).toHaveTextContent("과장");
  });

  it("leaves an undecided box without a seal", () => {
    view("a2");
    const box = screen.getByRole("listitem", { name: "합의 송미경 미결" });
    expect(within(box).queryByRole("img")).toBeNull();
  });

  it("shows amounts in won without decimals and choices by their Korean names", () => {
    view("a2");
    expect(screen.getByText("금액").nextElementSibling).toHaveTextContent(/^₩1,500,000$/);
    expect(screen.getByText("분류").nextElementSibling).toHaveTextContent(/^장비$/);
  });
});

describe("the actions shown", () => {
  it("offers an approver holding an open slot 승인 and 반려, nothing of the requester's", () => {
    view("a2");
    expect(actionNames()).toEqual(["승인", "반려"]);
  });

  it("offers 전결 only to the active stage's final authority", () => {
    const doc = documentOut();
    const line = doc.line.map((s) => (s.index === 1 ? { ...s, final_authority: ["a2"] } : s));
    view("a2", { line });
    expect(actionNames()).toEqual(["승인", "전결", "반려"]);
  });

  it("offers the requester of a document in progress 회수 only", () => {
    view("req", {}, []);
    expect(actionNames()).toEqual(["회수"]);
  });

  it("offers the requester of a rejected document 재상신 with its fields to edit", () => {
    view("req", { status: "rejected", current_stage: null }, []);
    expect(actionNames()).toEqual(["재상신"]);
    expect(screen.getByRole("spinbutton", { name: "금액" })).toHaveValue(1500000);
  });

  it("fills the 재상신 fields once the form's schema arrives after the document", () => {
    const doc = documentOut({ status: "rejected", current_stage: null });
    const props = { doc, meId: "req", tasks: [], people, handlers: handlers(), busy: false };
    const { rerender } = renderUi(<DocumentView {...props} specs={[]} />);
    rerender(
      <I18nProvider initial="ko">
        <MemoryRouter>
          <DocumentView {...props} specs={specs} />
        </MemoryRouter>
      </I18nProvider>,
    );
    expect(screen.getByRole("spinbutton", { name: "금액" })).toHaveValue(1500000);
    expect(screen.getByRole("combobox", { name: "분류" })).toHaveValue("equipment");
  });

  it("offers the requester of a draft 상신, and saving edits to it", async () => {
    const h = view("req", { status: "draft", submitted_at: null, current_stage: null }, []);
    expect(actionNames()).toEqual(["상신"]);
    const amount = screen.getByRole("spinbutton", { name: "금액" });
    await userEvent.clear(amount);
    await userEvent.type(amount, "990000");
    await userEvent.click(screen.getByRole("button", { name: "저장" }));
    expect(h.edit).toHaveBeenCalledWith({ title: "노트북 구매", content: "개발용 노트북", fields: { amount: 990000, currency: "KRW", category: "equipment" } });
    expect(h.resubmit).not.toHaveBeenCalled();
  });

  it("offers no editing to anyone but the requester", () => {
    view("a2", { status: "draft", submitted_at: null, current_stage: null }, []);
    expect(screen.queryByRole("button", { name: "저장" })).toBeNull();
  });

  it("offers an unread 참조 person 참조 읽음 and no decision", () => {
    view("cc1", {}, []);
    expect(actionNames()).toEqual(["참조 읽음"]);
  });

  it("offers nothing on a completed document to someone who decided it", () => {
    view("a1", { status: "approved", current_stage: null }, []);
    expect(actionNames()).toEqual([]);
    expect(screen.getByRole("button", { name: "댓글 등록" })).toBeInTheDocument();
  });

  it("offers no decision to an approver whose stage is not yet active", () => {
    view("a2", { current_stage: 0, line: documentOut().line.map((s) => ({ ...s, status: s.index === 0 ? "active" : "waiting" })) }, []);
    expect(actionNames()).toEqual([]);
  });

  it("lets a delegate holding two slots choose whose slot to decide", async () => {
    const h = view("dlg", {}, [task(), task({ id: "t2", on_behalf_of: "a2" })]);
    const slot = screen.getByRole("combobox", { name: "결재 대상" });
    await userEvent.selectOptions(slot, "송미경 (대결)");
    await userEvent.click(screen.getByRole("button", { name: "승인" }));
    expect(h.approve).toHaveBeenCalledWith({ comment: undefined, final: false, on_behalf_of: "a2" });
  });

  it("sends the approval comment with 승인", async () => {
    const h = view("a2");
    await userEvent.type(screen.getByRole("textbox", { name: "결재 의견" }), "좋습니다");
    await userEvent.click(screen.getByRole("button", { name: "승인" }));
    expect(h.approve).toHaveBeenCalledWith({ comment: "좋습니다", final: false, on_behalf_of: undefined });
  });

  it("refuses 반려 without a reason and sends it with one", async () => {
    const h = view("a2");
    await userEvent.click(screen.getByRole("button", { name: "반려" }));
    expect(h.reject).not.toHaveBeenCalled();
    expect(screen.getByText("반려 사유를 입력하세요.")).toBeInTheDocument();
    await userEvent.type(screen.getByRole("textbox", { name: "반려 사유" }), "예산 초과");
    await userEvent.click(screen.getByRole("button", { name: "반려" }));
    expect(h.reject).toHaveBeenCalledWith({ reason: "예산 초과", on_behalf_of: undefined });
  });

  it("offers 결재 취소 to who approved the stage before while the next has not acted", async () => {
    const h = view("dlg", {}, []);
    expect(actionNames()).toEqual(["결재 취소"]);
    await userEvent.click(screen.getByRole("button", { name: "결재 취소" }));
    expect(h.takeBack).toHaveBeenCalledWith({ on_behalf_of: "a1" });
  });

  it("offers no 결재 취소 once the next stage has a decision", () => {
    const doc = documentOut();
    const open = { decision: null, decided_by: null, on_behalf_of: null, decided_at: null, comment: null };
    const approvers = [
      { ...open, employee_id: "a2", decision: "approved" as const, decided_by: "a2", decided_at: "2026-12-03T01:00:00Z" },
      { ...open, employee_id: "a3" },
    ];
    const line = doc.line.map((s) => (s.index === 1 ? { ...s, approvers } : s));
    view("dlg", { line }, []);
    expect(actionNames()).toEqual([]);
  });
});
