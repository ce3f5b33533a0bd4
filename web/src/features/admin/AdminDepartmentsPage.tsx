// 부서 관리 (admin): the departments as a tree of paths; create and edit.
import { useState, type FormEvent } from "react";
import { Notice } from "../../components/Notice";
import { api, unwrap, type Department } from "../../lib/api-client";
import { useI18n } from "../../lib/i18n";
import { errorText } from "../../lib/problem";
import { EmployeeSearch } from "../org/EmployeeSearch";
import { usePeople } from "../org/people";
import { AdminOnly } from "./AdminOnly";
import { useDepartments } from "./useDepartments";

export function AdminDepartmentsPage() {
  return (
    <AdminOnly>
      <Departments />
    </AdminOnly>
  );
}

interface DepartmentDraft {
  name: string;
  parent_id: string | null;
  head_id: string | null;
}

function Departments() {
  const { t } = useI18n();
  const departments = useDepartments();
  const heads = usePeople((departments.data ?? []).flatMap((d) => (d.head_id ? [d.head_id] : [])));
  const [editing, setEditing] = useState<Department | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);

  const act = async (call: () => Promise<unknown>, after?: () => void) => {
    setBusy(true);
    setProblem(null);
    setDone(false);
    try {
      await call();
      setDone(true);
      after?.();
      departments.reload();
    } catch (error) {
      setProblem(errorText(error, t("common.error")));
    } finally {
      setBusy(false);
    }
  };
  const all = departments.data ?? [];

  return (
    <section aria-labelledby="admin-departments-title">
      <h1 id="admin-departments-title">{t("admin.departments")}</h1>
      {problem && <Notice kind="error">{problem}</Notice>}
      {done && <Notice kind="success">{t("common.saved")}</Notice>}
      {editing ? (
        <DepartmentForm
          key={editing.id}
          title={t("admin.editDepartment", { name: editing.name })}
          initial={editing}
          departments={all}
          busy={busy}
          onSave={(draft) =>
            void act(
              () => unwrap(api.PATCH("/api/departments/{department_id}", { params: { path: { department_id: editing.id } }, body: draft })),
              () => setEditing(null),
            )
          }
          onCancel={() => setEditing(null)}
        />
      ) : (
        <DepartmentForm title={t("admin.newDepartment")} departments={all} busy={busy} onSave={(draft) => void act(() => unwrap(api.POST("/api/departments", { body: draft })))} />
      )}
      <div className="table-wrap">
        <table className="stack" aria-label={t("admin.departmentTable")}>
          <thead>
            <tr>
              <th scope="col">{t("col.path")}</th>
              <th scope="col">{t("col.head")}</th>
              <th scope="col">
                <span className="visually-hidden">{t("doc.actions")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {all.map((d) => (
              <tr key={d.id}>
                <td className="stack-head">{d.path}</td>
                <td data-label={t("col.head")}>{d.head_id ? (heads[d.head_id]?.name ?? "…") : "—"}</td>
                <td className="stack-tools">
                  <button type="button" aria-label={`${t("common.edit")}: ${d.name}`} onClick={() => setEditing(d)}>
                    {t("common.edit")}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

interface FormProps {
  title: string;
  initial?: Department;
  departments: Department[];
  busy: boolean;
  onSave: (draft: DepartmentDraft) => void;
  onCancel?: () => void;
}

function DepartmentForm({ title, initial, departments, busy, onSave, onCancel }: FormProps) {
  const { t } = useI18n();
  const prefix = initial ? `dept-${initial.id}` : "dept-new";
  const [name, setName] = useState(initial?.name ?? "");
  const [parentId, setParentId] = useState(initial?.parent_id ?? "");
  const [headId, setHeadId] = useState<string | null>(initial?.head_id ?? null);
  const head = usePeople(headId ? [headId] : [])[headId ?? ""];
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!name.trim()) return;
    onSave({ name: name.trim(), parent_id: parentId || null, head_id: headId });
    if (!initial) {
      setName("");
      setHeadId(null);
    }
  };
  // A department cannot sit under itself or under one of its own descendants.
  const parents = departments.filter((d) => !initial || (d.id !== initial.id && !d.path.startsWith(`${initial.path} / `)));
  return (
    <form className="card" onSubmit={submit} aria-label={title}>
      <h2>{title}</h2>
      <div className="grid-2">
        <div className="field">
          <label htmlFor={`${prefix}-name`}>{t("col.name")}</label>
          <input id={`${prefix}-name`} value={name} required maxLength={100} onChange={(e) => setName(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={`${prefix}-parent`}>{t("col.parent")}</label>
          <select id={`${prefix}-parent`} value={parentId} onChange={(e) => setParentId(e.target.value)}>
            <option value="">{t("admin.top")}</option>
            {parents.map((d) => (
              <option key={d.id} value={d.id}>
                {d.path}
              </option>
            ))}
          </select>
        </div>
      </div>
      <div className="field">
        {headId ? (
          <p>
            <span className="label">{t("col.head")}</span>{" "}
            <strong>{head?.name ?? "…"}</strong>{" "}
            <button type="button" className="link-button" onClick={() => setHeadId(null)}>
              {t("common.delete")}
            </button>
          </p>
        ) : (
          <EmployeeSearch label={`${t("col.head")} ${t("common.search")}`} onPick={(e) => setHeadId(e.id)} />
        )}
      </div>
      <div className="row">
        <button type="submit" className="primary" disabled={busy}>
          {initial ? t("common.save") : t("common.create")}
        </button>
        {onCancel && (
          <button type="button" onClick={onCancel}>
            {t("common.cancel")}
          </button>
        )}
      </div>
    </form>
  );
}
