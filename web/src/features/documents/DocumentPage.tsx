// Loads a document, the caller's open tasks on it and its form, and wires the actions.
import { useEffect, useRef, useState } from "react";
import { useLocation, useNavigate, useParams } from "react-router";
import { Notice } from "../../components/Notice";
import { useAsync } from "../../components/useAsync";
import { api, unwrap, type DocumentOut } from "../../lib/api-client";
import { useMe } from "../../lib/auth";
import { useI18n, type MessageKey } from "../../lib/i18n";
import { ApiError, errorText } from "../../lib/problem";
import { readSpecs } from "../new-document/form-schema";
import { useNotifications } from "../notifications/NotificationsProvider";
import { usePeople } from "../org/people";
import { DocumentView, type DocumentHandlers } from "./DocumentView";

const TASK_RETRIES = 5;
const TASK_RETRY_MS = 1_000;

function involved(doc: DocumentOut | undefined): string[] {
  if (!doc) return [];
  return [
    doc.requester.id,
    ...doc.line.flatMap((s) => s.approvers.flatMap((a) => [a.employee_id, a.decided_by, a.on_behalf_of])),
    ...doc.cc.map((c) => c.employee_id),
    ...doc.timeline.flatMap((e) => [e.actor_id, e.on_behalf_of]),
  ].filter((id): id is string => typeof id === "string");
}

export function DocumentPage() {
  const { t } = useI18n();
  const { id = "" } = useParams();
  const me = useMe();
  const location = useLocation();
  const { received } = useNotifications();
  const arrivedWith = (location.state as { notice?: MessageKey } | null)?.notice;
  const doc = useAsync(() => unwrap(api.GET("/api/approvals/{approval_id}", { params: { path: { approval_id: id } } })), [id, received]);
  const tasks = useAsync(
    () =>
      unwrap(api.GET("/api/inbox", { params: { query: { status: "pending", limit: 200 } } })).then(
        (page) => page.items.filter((task) => task.approval_id === id),
        () => null,
      ),
    [id, received, doc.data?.version, doc.data?.current_stage],
  );
  // Tasks are opened from events a moment after a stage becomes active: when the line says
  // the caller's turn has come but no task is there yet, look again a few times.
  const retries = useRef(0);
  const current = doc.data;
  const waitingForTask =
    current?.status === "in_progress" &&
    tasks.data?.length === 0 &&
    (current.line.find((s) => s.status === "active")?.approvers.some((a) => a.employee_id === me.employee.id && a.decision === null) ?? false);
  const reloadTasks = tasks.reload;
  useEffect(() => {
    if (!waitingForTask || retries.current >= TASK_RETRIES) return;
    const timer = setTimeout(() => {
      retries.current += 1;
      reloadTasks();
    }, TASK_RETRY_MS);
    return () => clearTimeout(timer);
  }, [waitingForTask, tasks.data, reloadTasks]);

  const formCode = doc.data?.form;
  const form = useAsync(
    () => (formCode ? unwrap(api.GET("/api/forms/{code}", { params: { path: { code: formCode } } })) : Promise.resolve(null)),
    [formCode],
  );
  const people = usePeople(involved(doc.data));
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const [done, setDone] = useState<MessageKey | null>(arrivedWith ?? null);
  const navigate = useNavigate();
  // The notice came with the navigation; a reload should not show it again.
  useEffect(() => {
    if (arrivedWith) navigate(location.pathname, { replace: true, state: null });
  }, [arrivedWith, navigate, location.pathname]);

  const run = async (call: () => Promise<DocumentOut | unknown>) => {
    setBusy(true);
    setFailure(null);
    setDone(null);
    try {
      const answer = await call();
      if (answer && typeof answer === "object" && "line" in answer) doc.setData(answer as DocumentOut);
      else doc.reload();
      tasks.reload();
      setDone("action.done");
    } catch (error) {
      setFailure(error);
      doc.reload();
    } finally {
      setBusy(false);
    }
  };
  const path = { params: { path: { approval_id: id } } };
  const handlers: DocumentHandlers = {
    approve: (body) => run(() => unwrap(api.POST("/api/approvals/{approval_id}/approve", { ...path, body }))),
    reject: (body) => run(() => unwrap(api.POST("/api/approvals/{approval_id}/reject", { ...path, body }))),
    withdraw: () => run(() => unwrap(api.POST("/api/approvals/{approval_id}/withdraw", path))),
    submit: () => run(() => unwrap(api.POST("/api/approvals/{approval_id}/submit", path))),
    markRead: () => run(() => unwrap(api.POST("/api/approvals/{approval_id}/read", path))),
    takeBack: (body) => run(() => unwrap(api.POST("/api/approvals/{approval_id}/take-back", { ...path, body }))),
    resubmit: (changes) => run(() => unwrap(api.POST("/api/approvals/{approval_id}/resubmit", { ...path, body: changes }))),
    edit: (changes) => run(() => unwrap(api.PATCH("/api/approvals/{approval_id}", { ...path, body: changes }))),
    comment: (body) => run(() => unwrap(api.POST("/api/approvals/{approval_id}/comments", { ...path, body: { body } }))),
  };

  if (doc.error instanceof ApiError && doc.error.status === 404) return <Notice kind="error">{t("doc.notFound")}</Notice>;
  if (!doc.data) return doc.error ? <Notice kind="error">{errorText(doc.error, t("common.error"))}</Notice> : <p className="muted">{t("common.loading")}</p>;
  return (
    <>
      {failure != null && <Notice kind="error">{errorText(failure, t("common.error"))}</Notice>}
      {done && failure == null && <Notice kind="success">{t(done)}</Notice>}
      <DocumentView
        doc={doc.data}
        meId={me.employee.id}
        tasks={tasks.loading && !tasks.data ? null : (tasks.data ?? null)}
        people={people}
        specs={readSpecs(form.data?.fields ?? [])}
        handlers={handlers}
        busy={busy}
      />
    </>
  );
}
