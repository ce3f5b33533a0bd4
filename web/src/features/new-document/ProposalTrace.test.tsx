import { screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { renderUi } from "../../test/render";
import { proposalToLine, readProposal } from "./preview";
import { ProposalTrace } from "./ProposalTrace";

// A LinePreview as `POST /api/approvals/preview` answers it (docs/api-preview.md).
const answer = {
  form: "expense",
  source: "default",
  line: [
    {
      index: 0,
      kind: "approval",
      rule: { at_least: 2 },
      final_authority: ["m1"],
      approvers: [
        {
          id: "m1",
          name: "안재석",
          position: "manager",
          department: { id: "d1", name: "People" },
          trace: [
            { code: "nearest_manager", text: "the requester's nearest active manager", text_ko: "기안자의 직속 상사", employee_id: null },
            { code: "final_authority", text: "may approve the stage finally", text_ko: "전결할 수 있음", employee_id: null },
          ],
        },
        {
          id: "h1",
          name: "송미경",
          position: "director",
          department: null,
          trace: [{ code: "director_for_large_expense", text: "a director for a large expense", text_ko: "고액 지출의 이사", employee_id: null }],
        },
      ],
    },
  ],
  cc: [],
  trace: [{ code: "deactivated", text: "a deactivated manager was passed over", text_ko: "비활성 관리자를 건너뜀", employee_id: "x9" }],
};

describe("the proposed line's reasons", () => {
  it("shows each approver's reasons and the line's notes in Korean", () => {
    const proposal = readProposal(answer);
    if (!proposal) throw new Error("no proposal read");
    renderUi(<ProposalTrace proposal={proposal} />, "ko");
    const items = screen.getAllByRole("listitem").map((li) => li.textContent);
    expect(items).toEqual(["안재석: 기안자의 직속 상사 · 전결할 수 있음", "송미경: 고액 지출의 이사", "비활성 관리자를 건너뜀"]);
    expect(screen.queryByText(/\{/)).toBeNull();
  });

  it("shows them in English for an English reader", () => {
    const proposal = readProposal(answer);
    if (!proposal) throw new Error("no proposal read");
    renderUi(<ProposalTrace proposal={proposal} />, "en");
    expect(screen.getAllByRole("listitem").map((li) => li.textContent)).toEqual([
      "안재석: the requester's nearest active manager · may approve the stage finally",
      "송미경: a director for a large expense",
      "a deactivated manager was passed over",
    ]);
  });

  it("keeps an at-least rule on the proposed line", () => {
    const proposal = readProposal(answer);
    expect(proposal && proposalToLine(proposal)).toEqual([{ kind: "approval", rule: { at_least: 2 }, approvers: ["m1", "h1"] }]);
  });
});
