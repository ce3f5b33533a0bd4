import { describe, expect, it } from "vitest";
import { addApprover, lineProblem, moveStage, readRule, toLineBody, type DraftStage } from "./line";

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

  it("reads the API's rules, at_least included, and refuses an at_least above the approvers", () => {
    expect(readRule("any")).toBe("any");
    expect(readRule({ at_least: 2 })).toEqual({ at_least: 2 });
    expect(readRule({ at_least: 0 })).toBeNull();
    expect(readRule("most")).toBeNull();
    expect(lineProblem([{ kind: "agreement", rule: { at_least: 3 }, approvers: ["a2", "a3"] }], "req")).toBe("atLeastTooMany");
    expect(lineProblem([{ kind: "agreement", rule: { at_least: 2 }, approvers: ["a2", "a3"] }], "req")).toBeNull();
  });
});
