// What the caller may do with a document. The document carries no permissions field, so
// they are derived: deciding from the caller's open tasks (approval-processing owns who
// holds each slot), the rest from the caller's place in the document.
import type { DocumentOut, InboxItem, StageOut } from "../../lib/api-client";

/** One open slot the caller holds: their own (null) or the approver they stand in for. */
export interface Slot {
  onBehalfOf: string | null;
}

export interface Permitted {
  slots: Slot[];
  approve: boolean;
  reject: boolean;
  final: boolean;
  withdraw: boolean;
  resubmit: boolean;
  submit: boolean;
  markRead: boolean;
  comment: boolean;
  /** The approvers whose approval the caller made and may take back (결재 취소). */
  takeBack: string[];
}

export function activeStage(doc: DocumentOut): StageOut | undefined {
  return doc.line.find((stage) => stage.index === doc.current_stage && stage.status === "active") ?? doc.line.find((s) => s.status === "active");
}

/**
 * The approvals the caller made that nobody after them has acted on: in the active stage,
 * or in the stage before it while the active one has no decision (the server's rule).
 */
export function approvalsToTakeBack(doc: DocumentOut, meId: string): string[] {
  const stage = doc.status === "in_progress" ? activeStage(doc) : undefined;
  if (!stage) return [];
  const previous = doc.line.find((s) => s.index === stage.index - 1);
  const untouched = stage.approvers.every((a) => a.decision === null);
  const stages = untouched && previous ? [previous, stage] : [stage];
  return stages.flatMap((s) =>
    s.approvers.filter((a) => a.decision === "approved" && (a.decided_by ?? a.employee_id) === meId).map((a) => a.employee_id),
  );
}

/**
 * `tasks` are the caller's pending inbox items (null when they could not be read: then the
 * caller's own undecided place in the active stage is taken as their slot).
 */
export function permittedActions(doc: DocumentOut, meId: string, tasks: InboxItem[] | null): Permitted {
  const mine = doc.requester.id === meId;
  const stage = doc.status === "in_progress" ? activeStage(doc) : undefined;
  let slots: Slot[] = [];
  if (stage) {
    if (tasks) {
      slots = tasks
        .filter((task) => task.approval_id === doc.id && task.stage_index === stage.index && task.status === "pending")
        .map((task) => ({ onBehalfOf: task.on_behalf_of && task.on_behalf_of !== meId ? task.on_behalf_of : null }));
    } else if (stage.approvers.some((a) => a.employee_id === meId && a.decision === null)) {
      slots = [{ onBehalfOf: null }];
    }
  }
  const deciding = slots.length > 0;
  const holders = slots.map((slot) => slot.onBehalfOf ?? meId);
  const final = deciding && stage !== undefined && stage.final_authority.some((id) => id === meId || holders.includes(id));
  const cc = doc.cc.find((entry) => entry.employee_id === meId);
  return {
    slots,
    approve: deciding,
    reject: deciding,
    final,
    withdraw: mine && doc.status === "in_progress",
    resubmit: mine && (doc.status === "rejected" || doc.status === "withdrawn"),
    submit: mine && doc.status === "draft",
    markRead: cc !== undefined && cc.read_at === null,
    comment: true,
    takeBack: approvalsToTakeBack(doc, meId),
  };
}
