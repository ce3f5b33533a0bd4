// 문서 보기: header, 결재란, fields and content, 참조, the caller's actions, timeline, comments.
import { useState, type FormEvent } from "react";
import type { DocumentOut, EmployeeView, InboxItem } from "../../lib/api-client";
import { formatAmount, formatDate, formatDateTime } from "../../lib/format";
import { known, useI18n } from "../../lib/i18n";
import type { FieldSpec } from "../new-document/form-schema";
import { permittedActions } from "./actions";
import { ApprovalBoxes } from "./ApprovalBoxes";
import { DocumentActions, type Deciding } from "./DocumentActions";
import { ContentForm, type ContentChanges } from "./ContentForm";

export interface DocumentHandlers extends Deciding {
  resubmit: (changes: ContentChanges) => Promise<void>;
  edit: (changes: ContentChanges) => Promise<void>;
  comment: (body: string) => Promise<void>;
}

interface Props {
  doc: DocumentOut;
  meId: string;
  tasks: InboxItem[] | null;
  people: Record<string, EmployeeView>;
  specs: FieldSpec[];
  handlers: DocumentHandlers;
  busy: boolean;
}

export function DocumentView({ doc, meId, tasks, people, specs, handlers, busy }: Props) {
  const { t, locale, label } = useI18n();
  const permitted = permittedActions(doc, meId, tasks);
  const nameOf = (id: string | null) => (id ? (people[id]?.name ?? "…") : "");

  const fieldValue = (spec: FieldSpec, value: unknown): string => {
    if (value == null || value === "") return "—";
    if (spec.name === "amount" && typeof value === "number") return formatAmount(value, typeof doc.fields.currency === "string" ? doc.fields.currency : "KRW");
    if (spec.type === "date" && typeof value === "string") return formatDate(value, locale);
    if (spec.choices && typeof value === "string") return label("choice", value);
    return String(value);
  };
  const shownFields = specs.length > 0 ? specs : Object.keys(doc.fields).map((name) => ({ name, type: "string" }) as FieldSpec);

  return (
    <article className="document" aria-labelledby="doc-heading">
      <header className="doc-header">
        <p className="muted">
          {label("form", doc.form)} · {t("doc.number")} {doc.number ?? "—"} · {t("doc.version")} {doc.version}
        </p>
        <h1 id="doc-heading">{doc.title}</h1>
        <p>
          <span className={`status status-${doc.status}`}>{label("status", doc.status)}</span>{" "}
          <span className="muted">
            {t("doc.requester")} {doc.requester.name}
            {doc.submitted_at && ` · ${t("doc.submittedAt")} ${formatDateTime(doc.submitted_at, locale)}`}
            {doc.completed_at && ` · ${t("doc.completedAt")} ${formatDateTime(doc.completed_at, locale)}`}
          </span>
        </p>
      </header>
      <section aria-label={t("doc.boxes")} className="card">
        <ApprovalBoxes doc={doc} people={people} />
      </section>
      <DocumentActions permitted={permitted} people={people} handlers={handlers} busy={busy} />
      {(permitted.resubmit || permitted.submit) && (
        // Keyed by the schema: the form takes its values once the form's fields are known.
        <ContentForm
          key={`${doc.version}:${doc.updated_at}:${specs.map((s) => s.name).join()}`}
          doc={doc}
          specs={specs}
          busy={busy}
          title={permitted.resubmit ? t("action.resubmit") : t("common.edit")}
          action={permitted.resubmit ? t("action.resubmit") : t("common.save")}
          onSave={permitted.resubmit ? handlers.resubmit : handlers.edit}
        />
      )}
      <section className="card" aria-labelledby="doc-body-title">
        <h2 id="doc-body-title">{t("doc.content")}</h2>
        {shownFields.length > 0 && (
          <dl className="fields" aria-label={t("doc.fields")}>
            {shownFields.map((spec) => (
              <div key={spec.name}>
                <dt>{(locale === "ko" ? spec.label_ko : spec.label) ?? spec.label ?? spec.name}</dt>
                <dd>{fieldValue(spec, doc.fields[spec.name])}</dd>
              </div>
            ))}
          </dl>
        )}
        <div className="content-body">{doc.content}</div>
      </section>
      {doc.cc.length > 0 && (
        <section className="card" aria-labelledby="doc-cc-title">
          <h2 id="doc-cc-title">{t("doc.cc")}</h2>
          <ul className="plain-list" aria-label={t("doc.cc")}>
            {doc.cc.map((entry) => (
              <li key={entry.employee_id}>
                {nameOf(entry.employee_id)}{" "}
                <span className="muted">{entry.read_at ? `${t("doc.ccRead")} ${formatDateTime(entry.read_at, locale)}` : t("doc.ccUnread")}</span>
              </li>
            ))}
          </ul>
        </section>
      )}
      <section className="card" aria-labelledby="doc-timeline-title">
        <h2 id="doc-timeline-title">{t("doc.timeline")}</h2>
        <ol className="timeline" aria-label={t("doc.timeline")}>
          {doc.timeline.map((entry, i) => {
            const key = known("timeline", entry.action);
            const note = typeof entry.detail.comment === "string" ? entry.detail.comment : typeof entry.detail.reason === "string" ? entry.detail.reason : null;
            return (
              <li key={i}>
                <time dateTime={entry.at}>{formatDateTime(entry.at, locale)}</time>
                <span>
                  <strong>{nameOf(entry.actor_id)}</strong> {key ? t(key) : entry.action}
                  {entry.on_behalf_of && ` (${t("doc.onBehalf")} · ${t("doc.onBehalfOf", { name: nameOf(entry.on_behalf_of) })})`}
                  {note && <q>{note}</q>}
                </span>
              </li>
            );
          })}
        </ol>
      </section>
      <Comments doc={doc} busy={busy} onComment={handlers.comment} />
    </article>
  );
}

function Comments({ doc, busy, onComment }: { doc: DocumentOut; busy: boolean; onComment: (body: string) => Promise<void> }) {
  const { t, locale } = useI18n();
  const [body, setBody] = useState("");
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!body.trim()) return;
    await onComment(body.trim());
    setBody("");
  };
  return (
    <section className="card" aria-labelledby="doc-comments-title">
      <h2 id="doc-comments-title">{t("doc.comments")}</h2>
      {doc.comments.length === 0 && <p className="muted">{t("doc.noComments")}</p>}
      <ul className="comments" aria-label={t("doc.comments")}>
        {doc.comments.map((c) => (
          <li key={c.id}>
            <strong>{c.author.name}</strong> <time dateTime={c.created_at}>{formatDateTime(c.created_at, locale)}</time>
            <p>{c.body}</p>
          </li>
        ))}
      </ul>
      <form onSubmit={(e) => void submit(e)} className="comment-form">
        <label htmlFor="comment-body">{t("action.commentBody")}</label>
        <textarea id="comment-body" rows={2} maxLength={2000} value={body} onChange={(e) => setBody(e.target.value)} />
        <button type="submit" disabled={busy || !body.trim()}>
          {t("action.comment")}
        </button>
      </form>
    </section>
  );
}
