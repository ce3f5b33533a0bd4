// Employees by id, fetched once per id and shared by every screen (the line shows ids only).
import { useEffect, useState } from "react";
import { api, unwrap, type EmployeeView } from "../../lib/api-client";

const cache = new Map<string, Promise<EmployeeView | null>>();

export function fetchEmployee(id: string): Promise<EmployeeView | null> {
  let entry = cache.get(id);
  if (!entry) {
    entry = unwrap(api.GET("/api/employees/{employee_id}", { params: { path: { employee_id: id } } })).catch(() => {
      cache.delete(id);
      return null;
    });
    cache.set(id, entry);
  }
  return entry;
}

/** Puts employees already fetched (from a search) in the cache. */
export function rememberEmployees(employees: EmployeeView[]): void {
  for (const employee of employees) cache.set(employee.id, Promise.resolve(employee));
}

export function forgetEmployee(id: string): void {
  cache.delete(id);
}

export function usePeople(ids: readonly string[]): Record<string, EmployeeView> {
  const [people, setPeople] = useState<Record<string, EmployeeView>>({});
  const key = [...new Set(ids)].sort().join(",");
  useEffect(() => {
    let live = true;
    const wanted = key ? key.split(",") : [];
    void Promise.all(wanted.map(fetchEmployee)).then((found) => {
      if (!live) return;
      const next: Record<string, EmployeeView> = {};
      for (const employee of found) if (employee) next[employee.id] = employee;
      setPeople(next);
    });
    return () => {
      live = false;
    };
  }, [key]);
  return people;
}
