// Org-directory search: type a name or email, pick an employee from the results.
import { useEffect, useId, useState } from "react";
import { api, unwrap, type EmployeeView } from "../../lib/api-client";
import { useI18n } from "../../lib/i18n";
import { rememberEmployees } from "./people";

interface Props {
  label: string;
  onPick: (employee: EmployeeView) => void;
  exclude?: readonly string[];
}

export function EmployeeSearch({ label, onPick, exclude = [] }: Props) {
  const { t, label: valueLabel } = useI18n();
  const id = useId();
  const [q, setQ] = useState("");
  const [results, setResults] = useState<EmployeeView[]>([]);

  useEffect(() => {
    const query = q.trim();
    if (!query) {
      setResults([]);
      return;
    }
    let live = true;
    const timer = setTimeout(() => {
      void unwrap(api.GET("/api/employees", { params: { query: { q: query, active: true, limit: 10 } } }))
        .then((page) => {
          if (!live) return;
          rememberEmployees(page.items);
          setResults(page.items);
        })
        .catch(() => live && setResults([]));
    }, 200);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [q]);

  const shown = results.filter((e) => !exclude.includes(e.id));
  return (
    <div className="employee-search">
      <label htmlFor={id}>{label}</label>
      <input id={id} type="search" value={q} placeholder={t("org.searchHint")} onChange={(e) => setQ(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === "Escape") setQ("");
        }}
        autoComplete="off"
      />
      {shown.length > 0 && (
        <ul className="search-results" aria-label={`${label} ${t("org.results")}`}>
          {shown.map((employee) => (
            <li key={employee.id}>
              <button
                type="button"
                aria-label={t("org.pick", { name: employee.name })}
                onClick={() => {
                  onPick(employee);
                  setQ("");
                }}
              >
                <strong>{employee.name}</strong> {valueLabel("position", employee.position)}
                {employee.department ? ` · ${employee.department.name}` : ""}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
