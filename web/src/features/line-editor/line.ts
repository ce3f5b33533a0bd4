// The approval line (결재선) as the editor holds it, and the edits one may make to it.
export type StageKind = "approval" | "agreement";
export type StageRule = "all" | "any" | { at_least: number };

/** A rule as the API sends it, or null when it is none Dojang knows. */
export function readRule(raw: unknown): StageRule | null {
  if (raw === "all" || raw === "any") return raw;
  if (typeof raw === "object" && raw !== null && "at_least" in raw) {
    const n = (raw as { at_least: unknown }).at_least;
    if (typeof n === "number" && Number.isInteger(n) && n >= 1) return { at_least: n };
  }
  return null;
}

export interface DraftStage {
  kind: StageKind;
  rule: StageRule;
  approvers: string[];
}

export const emptyStage = (): DraftStage => ({ kind: "approval", rule: "all", approvers: [] });

export function addStage(line: DraftStage[]): DraftStage[] {
  return [...line, emptyStage()];
}

export function removeStage(line: DraftStage[], index: number): DraftStage[] {
  return line.filter((_, i) => i !== index);
}

/** Moves a stage one place up (-1) or down (+1); past either end nothing moves. */
export function moveStage(line: DraftStage[], index: number, by: -1 | 1): DraftStage[] {
  const target = index + by;
  if (target < 0 || target >= line.length) return line;
  const next = [...line];
  [next[index], next[target]] = [next[target] as DraftStage, next[index] as DraftStage];
  return next;
}

export function updateStage(line: DraftStage[], index: number, change: Partial<DraftStage>): DraftStage[] {
  return line.map((stage, i) => (i === index ? { ...stage, ...change } : stage));
}

/** Adds an approver to a stage; one person stands in the line once. */
export function addApprover(line: DraftStage[], index: number, employeeId: string): DraftStage[] {
  if (line.some((stage) => stage.approvers.includes(employeeId))) return line;
  return line.map((stage, i) => (i === index ? { ...stage, approvers: [...stage.approvers, employeeId] } : stage));
}

export function removeApprover(line: DraftStage[], index: number, employeeId: string): DraftStage[] {
  return line.map((stage, i) => (i === index ? { ...stage, approvers: stage.approvers.filter((id) => id !== employeeId) } : stage));
}

/** Why the line cannot be sent as it is, or null when it can. */
export function lineProblem(line: DraftStage[], requesterId: string): "emptyStage" | "selfApprover" | "atLeastTooMany" | null {
  if (line.some((stage) => stage.approvers.length === 0)) return "emptyStage";
  if (line.some((stage) => typeof stage.rule === "object" && stage.rule.at_least > stage.approvers.length)) return "atLeastTooMany";
  if (line.some((stage) => stage.approvers.includes(requesterId))) return "selfApprover";
  return null;
}

/** The `line` body of POST /api/approvals. */
export function toLineBody(line: DraftStage[]): { kind: StageKind; rule: StageRule; approvers: string[] }[] {
  return line.map((stage) => ({ kind: stage.kind, rule: typeof stage.rule === "object" ? { ...stage.rule } : stage.rule, approvers: [...stage.approvers] }));
}
