// 직원 관리 (admin): find, hire, edit and deactivate employees.
import { useState, type FormEvent } from "react";
import { Notice } from "../../components/Notice";
import { usePaged } from "../../components/usePaged";
import { api, unwrap, type EmployeeView } from "../../lib/api-client";
import { useI18n } from "../../lib/i18n";
import { ApiError, errorText } from "../../lib/problem";
import { forgetEmployee } from "../org/people";
import { AdminOnly } from "./AdminOnly";
import { EmployeeForm, type EmployeeDraft } from "./EmployeeForm";
import { useDepartments } from "./useDepartments";

export function AdminEmployeesPage() {
  return (
    <AdminOnly>
      <Employees />
    </AdminOnly>
  );
}

function Employees() {
  const { t, label } = useI18n();
  const departments = useDepartments();
  const [typed, setTyped] = useState("");
  const [q, setQ] = useState("");
  const list = usePaged<EmployeeView>((cursor) => unwrap(api.GET("/api/employees", { params: { query: { q: q || undefined, cursor, limit: 50 } } })), [q]);
  const [editing, setEditing] = useState<EmployeeView | null>(null);
  const [creating, setCreating] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const act = async (call: () => Promise<unknown>, message: string, after?: () => void) => {
    setBusy(true);
    setProblem(null);
    setDone(null);
    setErrors({});
    try {
      await call();
      setDone(message);
      after?.();
      list.reload();
    } catch (error) {
      if (error instanceof ApiError) setErrors(error.fieldErrors());
      setProblem(errorText(error, t("common.error")));
    } finally {
      setBusy(false);
    }
  };

  const create = (draft: EmployeeDraft) =>
    void act(
      () => unwrap(api.POST("/api/employees", { body: { ...draft, password: draft.password || null } })),
      t("common.saved"),
      () => setCreating(false),
    );
  const update = (employee: EmployeeView, draft: EmployeeDraft) =>
    void act(
      () => unwrap(api.PATCH("/api/employees/{employee_id}", { params: { path: { employee_id: employee.id } }, body: draft })),
      t("common.saved"),
      () => {
        forgetEmployee(employee.id);
        setEditing(null);
      },
    );
  const deactivate = (employee: EmployeeView) =>
    void act(() => unwrap(api.DELETE("/api/employees/{employee_id}", { params: { path: { employee_id: employee.id } } })), t("admin.deactivated"), () => forgetEmployee(employee.id));

  const search = (event: FormEvent) => {
    event.preventDefault();
    setQ(typed.trim());
  };

  return (
    <section aria-labelledby="admin-employees-title">
      <div className="page-head">
        <h1 id="admin-employees-title">{t("admin.employees")}</h1>
        {!creating && (
          <button type="button" className="primary" onClick={() => setCreating(true)}>
            {t("admin.newEmployee")}
          </button>
        )}
      </div>
      {problem && <Notice kind="error">{problem}</Notice>}
      {done && <Notice kind="success">{done}</Notice>}
      {creating && departments.data && (
        <EmployeeForm title={t("admin.newEmployee")} departments={departments.data} busy={busy} errors={errors} onSave={create} onCancel={() => setCreating(false)} />
      )}
      {editing && departments.data && (
        <EmployeeForm
          key={editing.id}
          title={t("admin.editEmployee", { name: editing.name })}
          initial={editing}
          departments={departments.data}
          busy={busy}
          errors={errors}
          onSave={(draft) => update(editing, draft)}
          onCancel={() => setEditing(null)}
        />
      )}
      <form className="filters" role="search" onSubmit={search}>
        <label>
          <span>{t("org.search")}</span>
          <input type="search" value={typed} placeholder={t("org.searchHint")} onChange={(e) => setTyped(e.target.value)} />
        </label>
        <button type="submit">{t("common.search")}</button>
      </form>
      <div className="table-wrap">
        <table className="stack" aria-label={t("admin.employeeTable")}>
          <thead>
            <tr>
              <th scope="col">{t("col.name")}</th>
              <th scope="col">{t("col.email")}</th>
              <th scope="col">{t("col.department")}</th>
              <th scope="col">{t("col.position")}</th>
              <th scope="col">{t("col.roles")}</th>
              <th scope="col">{t("col.active")}</th>
              <th scope="col">
                <span className="visually-hidden">{t("doc.actions")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.items.map((e) => (
              <tr key={e.id}>
                <td className="stack-head">{e.name}</td>
                <td data-label={t("col.email")}>{e.email}</td>
                <td data-label={t("col.department")}>{e.department?.name ?? "—"}</td>
                <td data-label={t("col.position")}>{label("position", e.position)}</td>
                <td data-label={t("col.roles")}>{e.roles.map((r) => label("role", r)).join(", ")}</td>
                <td data-label={t("col.active")}>{e.active ? t("admin.yes") : t("admin.no")}</td>
                <td className="row stack-tools">
                  <button type="button" aria-label={`${t("common.edit")}: ${e.name}`} onClick={() => setEditing(e)}>
                    {t("common.edit")}
                  </button>
                  {e.active && (
                    <button type="button" className="danger" disabled={busy} aria-label={`${t("admin.deactivate")}: ${e.name}`} onClick={() => deactivate(e)}>
                      {t("admin.deactivate")}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {list.hasMore && (
        <button type="button" onClick={list.more}>
          {t("common.more")}
        </button>
      )}
    </section>
  );
}
