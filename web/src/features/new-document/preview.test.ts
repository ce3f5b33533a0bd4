import { describe, expect, it } from "vitest";
import { proposalToLine, readProposal } from "./preview";

describe("the preview answer", () => {
  it("reads stages with approvers' names, positions and departments, and the trace", () => {
    const proposal = readProposal({
      line: [{ kind: "approval", rule: "all", approvers: [{ employee_id: "a1", name: "안재석", position: "manager", department: { id: "d", name: "People" } }] }],
      trace: ["manager: 안재석", { message: "department head is the manager" }],
    });
    expect(proposal).toEqual({
      stages: [{ kind: "approval", rule: "all", approvers: [{ employee_id: "a1", name: "안재석", position: "manager", department: "People" }] }],
      trace: ["manager: 안재석", "department head is the manager"],
    });
    expect(proposal && proposalToLine(proposal)).toEqual([{ kind: "approval", rule: "all", approvers: ["a1"] }]);
  });

  it("proposes nothing for an answer without a line", () => {
    expect(readProposal({ detail: "Not Found" })).toBeNull();
    expect(readProposal(null)).toBeNull();
  });
});
