// 재상신: the requester edits title, content and fields of a rejected or withdrawn document.
import { useState, type FormEvent } from "react";
import type { DocumentOut } from "../../lib/api-client";
import { useI18n } from "../../lib/i18n";
import { FormRenderer } from "../new-document/FormRenderer";
import { toFieldsBody, validateFields, valuesFrom, type FieldSpec } from "../new-document/form-schema";

export interface ResubmitChanges {
  title: string;
  content: string;
  fields: Record<string, unknown>;
}

interface Props {
  doc: DocumentOut;
  specs: FieldSpec[];
  busy: boolean;
  onResubmit: (changes: ResubmitChanges) => Promise<void>;
}

export function ResubmitForm({ doc, specs, busy, onResubmit }: Props) {
  const { t } = useI18n();
  const [title, setTitle] = useState(doc.title);
  const [content, setContent] = useState(doc.content);
  const [values, setValues] = useState(() => valuesFrom(specs, doc.fields));
  const [errors, setErrors] = useState<Record<string, string>>({});

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found = validateFields(specs, values, t);
    if (!title.trim()) found.title = t("common.required");
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    void onResubmit({ title: title.trim(), content, fields: toFieldsBody(specs, values) });
  };

  return (
    <form className="card resubmit" onSubmit={submit} noValidate aria-labelledby="resubmit-title">
      <h2 id="resubmit-title">{t("action.resubmit")}</h2>
      <div className="field">
        <label htmlFor="resubmit-doc-title">{t("new.docTitle")}</label>
        <input id="resubmit-doc-title" value={title} maxLength={200} aria-invalid={errors.title ? true : undefined} onChange={(e) => setTitle(e.target.value)} />
        {errors.title && <span className="field-error">{errors.title}</span>}
      </div>
      <FormRenderer specs={specs} values={values} errors={errors} onChange={setValues} />
      <div className="field">
        <label htmlFor="resubmit-content">{t("new.content")}</label>
        <textarea id="resubmit-content" rows={4} maxLength={20000} value={content} onChange={(e) => setContent(e.target.value)} />
      </div>
      <button type="submit" className="primary" disabled={busy}>
        {t("action.resubmit")}
      </button>
    </form>
  );
}
