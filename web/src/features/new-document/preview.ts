// POST /api/approvals/preview: the line the form's rule would build, with a short trace.
// Read defensively: until the server has the endpoint (404) there is simply no proposal.
import { apiOrigin, authFetch } from "../../lib/api-client";
import { readRule, type DraftStage, type StageKind, type StageRule } from "../line-editor/line";

/** One reason the rule gives, in English and (when sent) Korean. */
export interface TraceNote {
  text: string;
  text_ko: string | null;
}

export interface ProposedApprover {
  employee_id: string;
  name: string;
  position: string | null;
  department: string | null;
  trace: TraceNote[];
}

export interface Proposal {
  stages: { kind: StageKind; rule: StageRule; approvers: ProposedApprover[] }[];
  trace: TraceNote[];
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const text = (v: unknown): string | null => (typeof v === "string" ? v : null);

// A Note is `{code, text, text_ko, employee_id}` (docs/api-preview.md); one without text is shown by its code.
function readNotes(raw: unknown): TraceNote[] {
  return (Array.isArray(raw) ? raw : []).filter(isObject).flatMap((note) => {
    const english = text(note.text) ?? text(note.code);
    return english ? [{ text: english, text_ko: text(note.text_ko) }] : [];
  });
}

function readApprover(raw: unknown): ProposedApprover | null {
  if (typeof raw === "string") return { employee_id: raw, name: raw, position: null, department: null, trace: [] };
  if (!isObject(raw)) return null;
  const id = text(raw.employee_id) ?? text(raw.id);
  if (!id) return null;
  const department = isObject(raw.department) ? text(raw.department.name) : text(raw.department);
  return { employee_id: id, name: text(raw.name) ?? id, position: text(raw.position), department, trace: readNotes(raw.trace) };
}

export function readProposal(body: unknown): Proposal | null {
  if (!isObject(body)) return null;
  const rawStages = Array.isArray(body.line) ? body.line : Array.isArray(body.stages) ? body.stages : null;
  if (!rawStages) return null;
  const stages = rawStages.filter(isObject).map((stage) => ({
    kind: (stage.kind === "agreement" ? "agreement" : "approval") as StageKind,
    rule: readRule(stage.rule) ?? "all",
    approvers: (Array.isArray(stage.approvers) ? stage.approvers : []).map(readApprover).filter((a): a is ProposedApprover => a !== null),
  }));
  return { stages, trace: readNotes(body.trace) };
}

export function proposalToLine(proposal: Proposal): DraftStage[] {
  return proposal.stages.map((stage) => ({ kind: stage.kind, rule: stage.rule, approvers: stage.approvers.map((a) => a.employee_id) }));
}

/** The proposal, or null when the server proposes none (no endpoint yet, or fields not ready). */
export async function requestPreview(form: string, fields: Record<string, unknown>, signal?: AbortSignal): Promise<Proposal | null> {
  const response = await authFetch(
    new Request(`${apiOrigin()}/api/approvals/preview`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ form, fields }),
      signal,
    }),
  );
  if (!response.ok) return null;
  return readProposal(await response.json());
}
