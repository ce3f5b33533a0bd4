// A form's field schema (GET /api/forms) read, checked and turned into the `fields` body.
import type { Translate } from "../../lib/i18n";

export interface FieldSpec {
  name: string;
  type: "string" | "number" | "date" | "integer" | "boolean" | string;
  required?: boolean;
  label?: string;
  label_ko?: string;
  choices?: string[];
  minimum?: number;
  maximum?: number;
  exclusive_minimum?: number;
  multiple_of?: number;
  pattern?: string;
  max_length?: number;
  default?: unknown;
}

/** Values as the inputs hold them: text, keyed by field name. */
export type FieldValues = Record<string, string>;

export function readSpecs(raw: Record<string, unknown>[]): FieldSpec[] {
  return raw.filter((f): f is Record<string, unknown> & FieldSpec => typeof f.name === "string" && typeof f.type === "string");
}

export function initialValues(specs: FieldSpec[]): FieldValues {
  const values: FieldValues = {};
  for (const spec of specs) values[spec.name] = spec.default == null ? "" : String(spec.default);
  return values;
}

export function valuesFrom(specs: FieldSpec[], fields: Record<string, unknown>): FieldValues {
  const values = initialValues(specs);
  for (const spec of specs) if (fields[spec.name] != null) values[spec.name] = String(fields[spec.name]);
  return values;
}

const isNumeric = (spec: FieldSpec) => spec.type === "number" || spec.type === "integer";

/** The first problem with each field, as a message for the person typing. */
export function validateFields(specs: FieldSpec[], values: FieldValues, t: Translate): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const spec of specs) {
    const raw = (values[spec.name] ?? "").trim();
    if (!raw) {
      if (spec.required) errors[spec.name] = t("common.required");
      continue;
    }
    if (isNumeric(spec)) {
      const n = Number(raw);
      if (!Number.isFinite(n) || (spec.type === "integer" && !Number.isInteger(n))) errors[spec.name] = t("field.number");
      else if (spec.exclusive_minimum != null && !(n > spec.exclusive_minimum)) errors[spec.name] = t("field.greaterThan", { n: spec.exclusive_minimum });
      else if (spec.minimum != null && n < spec.minimum) errors[spec.name] = t("field.atLeast", { n: spec.minimum });
      else if (spec.maximum != null && n > spec.maximum) errors[spec.name] = t("field.atMost", { n: spec.maximum });
      else if (spec.multiple_of != null && !isMultiple(n, spec.multiple_of)) errors[spec.name] = t("field.multipleOf", { n: spec.multiple_of });
    } else if (spec.type === "date") {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(raw) || Number.isNaN(Date.parse(raw))) errors[spec.name] = t("field.date");
    } else if (spec.choices && !spec.choices.includes(raw)) {
      errors[spec.name] = t("field.choose");
    } else if (spec.pattern && !new RegExp(`^(?:${spec.pattern})$`).test(raw)) {
      errors[spec.name] = t("field.pattern");
    }
  }
  const start = values.start_date;
  const end = values.end_date;
  if (start && end && !errors.start_date && !errors.end_date && end < start) errors.end_date = t("field.endBeforeStart");
  return errors;
}

function isMultiple(n: number, step: number): boolean {
  const ratio = n / step;
  return Math.abs(ratio - Math.round(ratio)) < 1e-9;
}

/** The `fields` body: numbers as numbers, empty optional fields left out. */
export function toFieldsBody(specs: FieldSpec[], values: FieldValues): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const spec of specs) {
    const raw = (values[spec.name] ?? "").trim();
    if (!raw) continue;
    body[spec.name] = isNumeric(spec) ? Number(raw) : raw;
  }
  return body;
}
