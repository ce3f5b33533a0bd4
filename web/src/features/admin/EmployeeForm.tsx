// Create or edit an employee: name, email, department, position, manager, roles.
import { useState, type FormEvent } from "react";
import type { Department, EmployeeView, Position } from "../../lib/api-client";
import { useI18n } from "../../lib/i18n";
import { EmployeeSearch } from "../org/EmployeeSearch";
import { usePeople } from "../org/people";

export const POSITIONS: Position[] = ["staff", "senior", "manager", "deputy_general_manager", "general_manager", "director", "ceo"];
const ROLES = ["employee", "manager", "admin"] as const;
type Role = (typeof ROLES)[number];

export interface EmployeeDraft {
  name: string;
  email: string;
  department_id: string;
  position: Position;
  manager_id: string | null;
  roles: Role[];
  password?: string;
}

interface Props {
  title: string;
  initial?: EmployeeView;
  departments: Department[];
  busy: boolean;
  errors: Record<string, string>;
  onSave: (draft: EmployeeDraft) => void;
  onCancel?: () => void;
}

export function EmployeeForm({ title, initial, departments, busy, errors, onSave, onCancel }: Props) {
  const { t, label } = useI18n();
  const prefix = initial ? `edit-${initial.id}` : "new-employee";
  const [name, setName] = useState(initial?.name ?? "");
  const [email, setEmail] = useState(initial?.email ?? "");
  const [departmentId, setDepartmentId] = useState(initial?.department?.id ?? departments[0]?.id ?? "");
  const [position, setPosition] = useState<Position>((initial?.position as Position | undefined) ?? "staff");
  const [managerId, setManagerId] = useState<string | null>(initial?.manager_id ?? null);
  const [roles, setRoles] = useState<Role[]>((initial?.roles.filter((r): r is Role => (ROLES as readonly string[]).includes(r)) ?? ["employee"]));
  const [password, setPassword] = useState("");
  const manager = usePeople(managerId ? [managerId] : [])[managerId ?? ""];

  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSave({ name: name.trim(), email: email.trim(), department_id: departmentId, position, manager_id: managerId, roles, ...(initial || !password ? {} : { password }) });
  };
  const error = (field: string) => errors[field] && <span className="field-error">{errors[field]}</span>;

  return (
    <form className="card" onSubmit={submit} aria-label={title}>
      <h2>{title}</h2>
      <div className="grid-2">
        <div className="field">
          <label htmlFor={`${prefix}-name`}>{t("col.name")}</label>
          <input id={`${prefix}-name`} value={name} required maxLength={100} onChange={(e) => setName(e.target.value)} />
          {error("name")}
        </div>
        <div className="field">
          <label htmlFor={`${prefix}-email`}>{t("col.email")}</label>
          <input id={`${prefix}-email`} type="email" value={email} required onChange={(e) => setEmail(e.target.value)} />
          {error("email")}
        </div>
        <div className="field">
          <label htmlFor={`${prefix}-department`}>{t("col.department")}</label>
          <select id={`${prefix}-department`} value={departmentId} required onChange={(e) => setDepartmentId(e.target.value)}>
            {departments.map((d) => (
              <option key={d.id} value={d.id}>
                {d.path}
              </option>
            ))}
          </select>
          {error("department_id")}
        </div>
        <div className="field">
          <label htmlFor={`${prefix}-position`}>{t("col.position")}</label>
          <select id={`${prefix}-position`} value={position} onChange={(e) => setPosition(e.target.value as Position)}>
            {POSITIONS.map((p) => (
              <option key={p} value={p}>
                {label("position", p)}
              </option>
            ))}
          </select>
        </div>
      </div>
      <div className="field">
        {managerId ? (
          <p>
            <span className="label">{t("admin.manager")}</span>{" "}
            <strong>{manager?.name ?? "…"}</strong>{" "}
            <button type="button" className="link-button" onClick={() => setManagerId(null)}>
              {t("common.delete")}
            </button>
          </p>
        ) : (
          <EmployeeSearch label={`${t("admin.manager")} ${t("common.search")}`} exclude={initial ? [initial.id] : []} onPick={(e) => setManagerId(e.id)} />
        )}
        {error("manager_id")}
      </div>
      <fieldset className="roles">
        <legend>{t("col.roles")}</legend>
        {ROLES.map((role) => (
          <label key={role} className="check">
            <input
              type="checkbox"
              checked={roles.includes(role)}
              onChange={(e) => setRoles(e.target.checked ? [...roles, role] : roles.filter((r) => r !== role))}
            />
            {label("role", role)}
          </label>
        ))}
      </fieldset>
      {!initial && (
        <div className="field">
          <label htmlFor={`${prefix}-password`}>{t("admin.initialPassword")}</label>
          <input id={`${prefix}-password`} type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} />
        </div>
      )}
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
