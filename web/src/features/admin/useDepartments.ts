// Every department (the list is small; pages are followed to the end).
import { useAsync } from "../../components/useAsync";
import { api, unwrap, type Department } from "../../lib/api-client";

export async function allDepartments(): Promise<Department[]> {
  const all: Department[] = [];
  let cursor: string | undefined;
  do {
    const page = await unwrap(api.GET("/api/departments", { params: { query: { cursor, limit: 200 } } }));
    all.push(...page.items);
    cursor = page.next_cursor ?? undefined;
  } while (cursor);
  return all.sort((a, b) => a.path.localeCompare(b.path));
}

export function useDepartments() {
  return useAsync(allDepartments, []);
}
