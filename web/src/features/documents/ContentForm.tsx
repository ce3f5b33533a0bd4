// The requester edits title, content and fields: of a draft (저장), or of a rejected or
// withdrawn document before it goes out again (재상신).
import { useState, type FormEvent } from "react";
import type { DocumentOut } from "../../lib/api-client";
import { useI18n } from "../../lib/i18n";
import { FormRenderer } from "../new-document/FormRenderer";
import { toFieldsBody, validateFields, valuesFrom, type FieldSpec } from "../new-document/form-schema";

export interface ContentChanges {
  title: string;
  content: string;
  fields: Record<string, unknown>;
}

interface Props {
  doc: DocumentOut;
  specs: FieldSpec[];
  busy: boolean;
  /** The heading and the button: 재상신, or 저장 for a draft. */
  title: string;
  action: string;
  onSave: (changes: ContentChanges) => Promise<void>;
}

export function ContentForm({ doc, specs, busy, title: heading, action, onSave }: Props) {
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
    void onSave({ title: title.trim(), content, fields: toFieldsBody(specs, values) });
  };

  return (
    <form className="card content-form" onSubmit={submit} noValidate aria-labelledby="content-form-title">
      <h2 id="content-form-title">{heading}</h2>
      <div className="field">
        <label htmlFor="content-doc-title">{t("new.docTitle")}</label>
        <input id="content-doc-title" value={title} maxLength={200} aria-invalid={errors.title ? true : undefined} onChange={(e) => setTitle(e.target.value)} />
        {errors.title && <span className="field-error">{errors.title}</span>}
      </div>
      <FormRenderer specs={specs} values={values} errors={errors} onChange={setValues} />
      <div className="field">
        <label htmlFor="content-body">{t("new.content")}</label>
        <textarea id="content-body" rows={4} maxLength={20000} value={content} onChange={(e) => setContent(e.target.value)} />
      </div>
      <button type="submit" className="primary" disabled={busy}>
        {action}
      </button>
    </form>
  );
}
