import { describe, expect, it } from "vitest";
import { proposalToLine, readProposal } from "./preview";

describe("the preview answer", () => {
  it("reads stages with approvers' names, positions and departments, and the trace", () => {
    const proposal = readProposal({
      form: "general",
      source: "default",
      line: [
        {
          index: 0,
          kind: "approval",
          rule: "all",
          final_authority: [],
          approvers: [
            {
              id: "a1",
              name: "안재석",
              position: "manager",
              department: { id: "d", name: "People" },
              trace: [{ code: "manager", text: "the requester's manager", text_ko: "기안자의 관리자", employee_id: null }],
            },
          ],
        },
      ],
      cc: [],
      trace: [{ code: "head_is_manager", text: "the head is the manager", text_ko: "부서장이 관리자와 같음", employee_id: "a1" }],
    });
    expect(proposal).toEqual({
      stages: [
        {
          kind: "approval",
          rule: "all",
          approvers: [
            { employee_id: "a1", name: "안재석", position: "manager", department: "People", trace: [{ text: "the requester's manager", text_ko: "기안자의 관리자" }] },
          ],
        },
      ],
      trace: [{ text: "the head is the manager", text_ko: "부서장이 관리자와 같음" }],
    });
    expect(proposal && proposalToLine(proposal)).toEqual([{ kind: "approval", rule: "all", approvers: ["a1"] }]);
  });

  it("proposes nothing for an answer without a line", () => {
    expect(readProposal({ detail: "Not Found" })).toBeNull();
    expect(readProposal(null)).toBeNull();
  });
});
