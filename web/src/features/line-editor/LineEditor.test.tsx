import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { people } from "../../test/fixtures";
import { renderUi } from "../../test/render";
import { LineEditor } from "./LineEditor";
import type { DraftStage } from "./line";

let latest: { line: DraftStage[]; cc: string[] } = { line: [], cc: [] };

function Harness({ initial, cc = [] }: { initial: DraftStage[]; cc?: string[] }) {
  const [line, setLine] = useState(initial);
  const [ccIds, setCc] = useState(cc);
  latest = { line, cc: ccIds };
  return <LineEditor line={line} cc={ccIds} people={people} requesterId="req" onLineChange={setLine} onCcChange={setCc} />;
}

const twoStages: DraftStage[] = [
  { kind: "approval", rule: "all", approvers: ["a1"] },
  { kind: "agreement", rule: "any", approvers: ["a2"] },
];

const stageNames = () => screen.getAllByRole("listitem", { name: /단계$/ }).map((li) => within(li).getAllByRole("listitem").map((a) => a.textContent?.split(" ")[0]));

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("LineEditor", () => {
  it("shows each stage with its kind, rule and approvers with position and department", () => {
    renderUi(<Harness initial={twoStages} />);
    expect(screen.getByRole("combobox", { name: "1단계 유형" })).toHaveValue("approval");
    expect(screen.getByRole("combobox", { name: "2단계 유형" })).toHaveValue("agreement");
    expect(screen.getByRole("combobox", { name: "2단계 승인 조건" })).toHaveValue("any");
    expect(screen.getByRole("listitem", { name: "1단계" })).toHaveTextContent("안재석 과장 · 개발팀");
  });

  it("moves a stage down and up", async () => {
    renderUi(<Harness initial={twoStages} />);
    await userEvent.click(screen.getByRole("button", { name: "1단계 아래로" }));
    expect(latest.line.map((s) => s.approvers)).toEqual([["a2"], ["a1"]]);
    expect(stageNames()).toEqual([["송미경"], ["안재석"]]);
    await userEvent.click(screen.getByRole("button", { name: "2단계 위로" }));
    expect(latest.line.map((s) => s.approvers)).toEqual([["a1"], ["a2"]]);
  });

  it("cannot move the first stage up or the last one down", () => {
    renderUi(<Harness initial={twoStages} />);
    expect(screen.getByRole("button", { name: "1단계 위로" })).toBeDisabled();
    expect(screen.getByRole("button", { name: "2단계 아래로" })).toBeDisabled();
  });

  it("adds and removes stages, and changes kind and rule", async () => {
    renderUi(<Harness initial={twoStages} />);
    await userEvent.click(screen.getByRole("button", { name: "단계 추가" }));
    expect(latest.line).toHaveLength(3);
    expect(screen.getByText("결재자를 추가하세요.")).toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "1단계 삭제" }));
    expect(latest.line.map((s) => s.approvers)).toEqual([["a2"], []]);
    await userEvent.selectOptions(screen.getByRole("combobox", { name: "1단계 유형" }), "결재");
    await userEvent.selectOptions(screen.getByRole("combobox", { name: "1단계 승인 조건" }), "모두 승인");
    expect(latest.line[0]).toEqual({ kind: "approval", rule: "all", approvers: ["a2"] });
  });

  it("sets a stage to need at least n approvals", async () => {
    renderUi(<Harness initial={[{ kind: "agreement", rule: "all", approvers: ["a1", "a2", "dlg"] }]} />);
    await userEvent.selectOptions(screen.getByRole("combobox", { name: "1단계 승인 조건" }), "최소 인원 승인");
    expect(latest.line[0]?.rule).toEqual({ at_least: 2 });
    await userEvent.selectOptions(screen.getByRole("combobox", { name: "1단계 최소 승인 인원" }), "3");
    expect(latest.line[0]?.rule).toEqual({ at_least: 3 });
  });

  it("removes an approver from a stage", async () => {
    renderUi(<Harness initial={twoStages} />);
    await userEvent.click(screen.getByRole("button", { name: "송미경 제외" }));
    expect(latest.line[1]?.approvers).toEqual([]);
  });

  it("adds an approver and a 참조 person found in the org directory, never the requester", async () => {
    const fetchMock = vi.fn(async (request: Request) => {
      const url = new URL(request.url);
      expect(url.pathname).toBe("/api/employees");
      const items = [people.req, people.dlg, people.cc1].filter((e) => e && e.name.includes(url.searchParams.get("q") ?? ""));
      return new Response(JSON.stringify({ items, next_cursor: null }), { headers: { "Content-Type": "application/json" } });
    });
    vi.stubGlobal("fetch", fetchMock);
    renderUi(<Harness initial={twoStages} />);
    await userEvent.type(screen.getByRole("searchbox", { name: "1단계 결재자 추가" }), "류");
    await screen.findByRole("list", { name: "1단계 결재자 추가 검색 결과" }).catch(() => null);
    expect(screen.queryByRole("button", { name: "류하늘 선택" })).toBeNull();
    await userEvent.clear(screen.getByRole("searchbox", { name: "1단계 결재자 추가" }));
    await userEvent.type(screen.getByRole("searchbox", { name: "1단계 결재자 추가" }), "박서");
    await userEvent.click(await screen.findByRole("button", { name: "박서연 선택" }));
    expect(latest.line[0]?.approvers).toEqual(["a1", "dlg"]);
    await userEvent.type(screen.getByRole("searchbox", { name: "참조자 추가" }), "황보");
    await userEvent.click(await screen.findByRole("button", { name: "황보라 선택" }));
    expect(latest.cc).toEqual(["cc1"]);
    expect(within(screen.getByRole("list", { name: "참조" })).getByText("황보라")).toBeInTheDocument();
  });
});
