// 결재함: one tab per box, search by title or number, filter by form and status, cursor paging.
import { useState, type FormEvent } from "react";
import { Link, NavLink, useParams } from "react-router";
import { Notice } from "../../components/Notice";
import { usePaged } from "../../components/usePaged";
import { api, unwrap, type Box, type DocumentOut, type Schemas } from "../../lib/api-client";
import { formatDateTime } from "../../lib/format";
import { useI18n } from "../../lib/i18n";
import { errorText } from "../../lib/problem";
import { useNotifications } from "../notifications/NotificationsProvider";
import { BOXES } from "./boxes";

const FORMS: Schemas["FormCode"][] = ["general", "leave", "expense"];
const STATUSES: Schemas["LineStatus"][] = ["draft", "in_progress", "approved", "rejected", "withdrawn"];

export function BoxesPage() {
  const { t, locale, label } = useI18n();
  const params = useParams();
  const box = (BOXES.find((b) => b.box === params.box)?.box ?? "inbox") as Box;
  const { received } = useNotifications();
  const [typed, setTyped] = useState("");
  const [q, setQ] = useState("");
  const [form, setForm] = useState<Schemas["FormCode"] | "">("");
  const [status, setStatus] = useState<Schemas["LineStatus"] | "">("");

  const list = usePaged<DocumentOut>(
    (cursor) =>
      unwrap(
        api.GET("/api/approvals", {
          params: { query: { box, q: q || undefined, form: form || undefined, status: status || undefined, cursor, limit: 20 } },
        }),
      ),
    [box, q, form, status, received],
  );

  const search = (event: FormEvent) => {
    event.preventDefault();
    setQ(typed.trim());
  };

  return (
    <section aria-labelledby="boxes-title">
      <h1 id="boxes-title">{t("boxes.title")}</h1>
      <nav aria-label={t("boxes.tabs")} className="tabs">
        {BOXES.map((b) => (
          <NavLink key={b.box} to={`/boxes/${b.box}`}>
            {t(b.key)}
          </NavLink>
        ))}
      </nav>
      <form className="filters" role="search" onSubmit={search}>
        <label>
          <span>{t("boxes.q")}</span>
          <input type="search" value={typed} onChange={(e) => setTyped(e.target.value)} maxLength={100} />
        </label>
        <label>
          <span>{t("boxes.form")}</span>
          <select value={form} onChange={(e) => setForm(e.target.value as Schemas["FormCode"] | "")}>
            <option value="">{t("common.all")}</option>
            {FORMS.map((f) => (
              <option key={f} value={f}>
                {label("form", f)}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>{t("boxes.status")}</span>
          <select value={status} onChange={(e) => setStatus(e.target.value as Schemas["LineStatus"] | "")}>
            <option value="">{t("common.all")}</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {label("status", s)}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">{t("common.search")}</button>
      </form>
      {list.error != null && <Notice kind="error">{errorText(list.error, t("common.error"))}</Notice>}
      <div className="table-wrap">
        <table className="stack" aria-label={t("boxes.table")}>
          <thead>
            <tr>
              <th scope="col">{t("col.title")}</th>
              <th scope="col">{t("col.number")}</th>
              <th scope="col">{t("col.form")}</th>
              <th scope="col">{t("col.requester")}</th>
              <th scope="col">{t("col.status")}</th>
              <th scope="col">{t("col.created")}</th>
            </tr>
          </thead>
          <tbody>
            {list.items.map((doc) => (
              <tr key={doc.id}>
                <td className="stack-head">
                  <Link to={`/documents/${doc.id}`}>{doc.title}</Link>
                </td>
                <td data-label={t("col.number")}>{doc.number ?? "—"}</td>
                <td data-label={t("col.form")}>{label("form", doc.form)}</td>
                <td data-label={t("col.requester")}>{doc.requester.name}</td>
                <td data-label={t("col.status")}>
                  <span className={`status status-${doc.status}`}>{label("status", doc.status)}</span>
                </td>
                <td data-label={t("col.created")}>{formatDateTime(doc.submitted_at ?? doc.created_at, locale)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {!list.loading && list.items.length === 0 && <p className="muted">{t("common.empty")}</p>}
      {list.loading && <p className="muted">{t("common.loading")}</p>}
      {list.hasMore && !list.loading && (
        <button type="button" onClick={list.more}>
          {t("common.more")}
        </button>
      )}
    </section>
  );
}
