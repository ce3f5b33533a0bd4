// RFC 9457 problem+json answers, as the API sends them for every refusal.
export interface FieldError {
  field: string;
  message: string;
}

export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: unknown;
  errors?: FieldError[];
}

export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem;

  constructor(status: number, problem: Problem | undefined) {
    const body = problem ?? {};
    super(typeof body.detail === "string" ? body.detail : (body.title ?? `HTTP ${status}`));
    this.status = status;
    this.problem = body;
  }

  /** Validation messages by field path, e.g. `fields.days` or `reason`. */
  fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const error of this.problem.errors ?? []) out[error.field] = error.message;
    return out;
  }
}

/** A message fit to show a person for any thrown value. */
export function errorText(error: unknown, fallback: string): string {
  if (error instanceof ApiError) {
    const fields = error.problem.errors ?? [];
    const detail = error.message;
    if (fields.length === 0) return detail;
    return [detail, ...fields.map((f) => `${f.field}: ${f.message}`)].join(" · ");
  }
  return fallback;
}
