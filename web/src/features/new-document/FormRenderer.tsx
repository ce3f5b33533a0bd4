// The fields of a form, rendered from its schema: labelled inputs with their errors.
import { useId } from "react";
import { formatAmount } from "../../lib/format";
import { useI18n } from "../../lib/i18n";
import type { FieldSpec, FieldValues } from "./form-schema";

interface Props {
  specs: FieldSpec[];
  values: FieldValues;
  errors: Record<string, string>;
  onChange: (values: FieldValues) => void;
}

export function FormRenderer({ specs, values, errors, onChange }: Props) {
  const { t, locale, label } = useI18n();
  const base = useId();
  if (specs.length === 0) return null;
  return (
    <fieldset className="form-fields">
      <legend>{t("new.fields")}</legend>
      {specs.map((spec) => {
        const id = `${base}-${spec.name}`;
        const errorId = `${id}-error`;
        const error = errors[spec.name];
        const value = values[spec.name] ?? "";
        const fieldLabel = (locale === "ko" ? spec.label_ko : spec.label) ?? spec.label ?? spec.name;
        const common = {
          id,
          name: spec.name,
          required: spec.required ?? false,
          "aria-invalid": error ? true : undefined,
          "aria-describedby": error ? errorId : undefined,
        };
        const set = (next: string) => onChange({ ...values, [spec.name]: next });
        let input;
        if (spec.choices) {
          input = (
            <select {...common} value={value} onChange={(e) => set(e.target.value)}>
              <option value="">{t("field.choose")}</option>
              {spec.choices.map((choice) => (
                <option key={choice} value={choice}>
                  {label("choice", choice)}
                </option>
              ))}
            </select>
          );
        } else if (spec.type === "date") {
          input = <input {...common} type="date" value={value} onChange={(e) => set(e.target.value)} />;
        } else if (spec.type === "number" || spec.type === "integer") {
          input = (
            <input
              {...common}
              type="number"
              inputMode="decimal"
              step={spec.multiple_of ?? (spec.type === "integer" ? 1 : "any")}
              min={spec.minimum ?? spec.exclusive_minimum}
              max={spec.maximum}
              value={value}
              onChange={(e) => set(e.target.value)}
            />
          );
        } else {
          input = <input {...common} type="text" value={value} maxLength={spec.max_length} onChange={(e) => set(e.target.value)} />;
        }
        const amount = spec.name === "amount" && value && Number.isFinite(Number(value)) ? formatAmount(Number(value), values.currency || "KRW") : null;
        return (
          <div key={spec.name} className="field">
            <span className="label-row">
              <label htmlFor={id}>{fieldLabel}</label>
              {spec.required && (
                <span className="req" aria-hidden="true">
                  *
                </span>
              )}
            </span>
            {input}
            {amount && <span className="hint">{amount}</span>}
            {error && (
              <span id={errorId} className="field-error">
                {error}
              </span>
            )}
          </div>
        );
      })}
    </fieldset>
  );
}
