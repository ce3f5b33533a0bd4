// Documents and people as the API answers them, for component tests.
import type { DocumentOut, EmployeeView, InboxItem } from "../lib/api-client";

export function employee(id: string, name: string, position = "manager"): EmployeeView {
  return {
    id,
    name,
    email: `${id}@dojang.example`,
    department: { id: "d1", name: "개발팀" },
    position,
    manager_id: null,
    roles: ["employee"],
    active: true,
    created_at: "2026-01-01T00:00:00Z",
  };
}

export const people: Record<string, EmployeeView> = {
  req: employee("req", "류하늘", "staff"),
  a1: employee("a1", "안재석", "manager"),
  a2: employee("a2", "송미경", "general_manager"),
  dlg: employee("dlg", "박서연", "manager"),
  cc1: employee("cc1", "황보라", "staff"),
};

export function documentOut(change: Partial<DocumentOut> = {}): DocumentOut {
  return {
    id: "doc1",
    number: null,
    form: "expense",
    title: "노트북 구매",
    content: "개발용 노트북",
    fields: { amount: 1500000, currency: "KRW", category: "equipment" },
    requester: { id: "req", name: "류하늘" },
    status: "in_progress",
    version: 1,
    current_stage: 1,
    line: [
      {
        index: 0,
        kind: "approval",
        rule: "all",
        status: "approved",
        final_authority: [],
        approvers: [
          { employee_id: "a1", decision: "approved", decided_by: "dlg", on_behalf_of: "a1", decided_at: "2026-12-03T00:30:00Z", comment: "확인" },
        ],
      },
      {
        index: 1,
        kind: "agreement",
        rule: "all",
        status: "active",
        final_authority: [],
        approvers: [{ employee_id: "a2", decision: null, decided_by: null, on_behalf_of: null, decided_at: null, comment: null }],
      },
    ],
    cc: [{ employee_id: "cc1", read_at: null }],
    comments: [],
    timeline: [],
    created_at: "2026-12-03T00:00:00Z",
    updated_at: "2026-12-03T00:30:00Z",
    submitted_at: "2026-12-03T00:00:00Z",
    completed_at: null,
    ...change,
  };
}

export function task(change: Partial<InboxItem> = {}): InboxItem {
  return {
    id: "t1",
    approval_id: "doc1",
    version: 1,
    title: "노트북 구매",
    form: "expense",
    requester: { id: "req", name: "류하늘" },
    stage_index: 1,
    kind: "agreement",
    on_behalf_of: null,
    created_at: "2026-12-03T00:30:00Z",
    status: "pending",
    decided_at: null,
    ...change,
  };
}
