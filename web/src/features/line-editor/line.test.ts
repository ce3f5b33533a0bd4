import { describe, expect, it } from "vitest";
import { addApprover, lineProblem, moveStage, toLineBody, type DraftStage } from "./line";

const line: DraftStage[] = [
  { kind: "approval", rule: "all", approvers: ["a1"] },
  { kind: "agreement", rule: "any", approvers: ["a2", "a3"] },
];

describe("line edits", () => {
  it("keeps one person in the line once", () => {
    expect(addApprover(line, 0, "a2")).toBe(line);
  });

  it("moves nothing past either end", () => {
    expect(moveStage(line, 0, -1)).toBe(line);
    expect(moveStage(line, 1, 1)).toBe(line);
  });

  it("names an empty stage and the requester as approver as problems", () => {
    expect(lineProblem([...line, { kind: "approval", rule: "all", approvers: [] }], "req")).toBe("emptyStage");
    expect(lineProblem(line, "a1")).toBe("selfApprover");
    expect(lineProblem(line, "req")).toBeNull();
  });

  it("turns the line into the API's stages", () => {
    expect(toLineBody(line)).toEqual([
      { kind: "approval", rule: "all", approvers: ["a1"] },
      { kind: "agreement", rule: "any", approvers: ["a2", "a3"] },
    ]);
  });
});
