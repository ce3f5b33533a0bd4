// 기안하기: pick a form, fill its fields, see and edit the 결재선, save a draft or submit.
import { useEffect, useMemo, useState, type FormEvent } from "react";
import { useNavigate } from "react-router";
import { Notice } from "../../components/Notice";
import { useAsync } from "../../components/useAsync";
import { api, unwrap, type FormOut } from "../../lib/api-client";
import { useMe } from "../../lib/auth";
import { useI18n } from "../../lib/i18n";
import { ApiError, errorText } from "../../lib/problem";
import { LineEditor, type PersonSummary } from "../line-editor/LineEditor";
import { lineProblem, toLineBody, type DraftStage } from "../line-editor/line";
import { usePeople } from "../org/people";
import { FormRenderer } from "./FormRenderer";
import { initialValues, readSpecs, toFieldsBody, validateFields, type FieldValues } from "./form-schema";
import { proposalToLine, requestPreview, type Proposal } from "./preview";
import { ProposalTrace } from "./ProposalTrace";

const PREVIEW_DELAY_MS = 400;
const LINE_PROBLEMS = { emptyStage: "line.emptyStage", selfApprover: "line.selfApprover", atLeastTooMany: "line.atLeastTooMany" } as const;

export function NewDocumentPage() {
  const { t, locale } = useI18n();
  const me = useMe();
  const navigate = useNavigate();
  const forms = useAsync(() => unwrap(api.GET("/api/forms")).then((page) => page.items), []);
  const [formCode, setFormCode] = useState<FormOut["code"]>("general");
  const [title, setTitle] = useState("");
  const [content, setContent] = useState("");
  const [values, setValues] = useState<FieldValues>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  // The line the user set; until they edit, the editor shows the proposal (derived, not copied).
  const [editedLine, setLine] = useState<DraftStage[]>([]);
  const [cc, setCc] = useState<string[]>([]);
  const [edited, setEdited] = useState(false);
  const [proposal, setProposal] = useState<Proposal | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const form = forms.data?.find((f) => f.code === formCode);
  const line = useMemo(() => (edited ? editedLine : proposal ? proposalToLine(proposal) : []), [edited, editedLine, proposal]);
  const specs = useMemo(() => readSpecs(form?.fields ?? []), [form]);
  const fetched = usePeople([...line.flatMap((s) => s.approvers), ...cc]);
  const people = useMemo(() => {
    const known: Record<string, PersonSummary> = {};
    for (const a of proposal?.stages.flatMap((s) => s.approvers) ?? []) {
      known[a.employee_id] = { name: a.name, position: a.position ?? "", department: a.department ? { name: a.department } : null };
    }
    return { ...known, ...fetched };
  }, [proposal, fetched]);

  useEffect(() => {
    setValues(initialValues(specs));
    setErrors({});
  }, [specs]);

  const fieldsBody = useMemo(() => toFieldsBody(specs, values), [specs, values]);
  // Only a complete set of fields is worth a preview (the server refuses the rest with 422).
  const fieldsReady = useMemo(() => Object.keys(validateFields(specs, values, t)).length === 0, [specs, values, t]);
  const fieldsKey = JSON.stringify(fieldsBody);
  useEffect(() => setProposal(null), [formCode]);
  useEffect(() => {
    if (!form || !fieldsReady) return;
    const controller = new AbortController();
    const timer = setTimeout(() => {
      requestPreview(form.code, JSON.parse(fieldsKey) as Record<string, unknown>, controller.signal).then(
        (found) => setProposal(found),
        () => setProposal(null),
      );
    }, PREVIEW_DELAY_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [form, fieldsKey, fieldsReady]);

  const changeLine = (next: DraftStage[]) => {
    setEdited(true);
    setLine(next);
  };

  const save = async (submit: boolean) => {
    const fieldErrors = validateFields(specs, values, t);
    if (!title.trim()) fieldErrors.title = t("common.required");
    const problem = edited && line.length > 0 ? lineProblem(line, me.employee.id) : null;
    if (problem) fieldErrors.line = t(LINE_PROBLEMS[problem]);
    setErrors(fieldErrors);
    if (Object.keys(fieldErrors).length > 0) return;
    setBusy(true);
    setFailure(null);
    try {
      const doc = await unwrap(
        api.POST("/api/approvals", {
          body: {
            form: formCode,
            title: title.trim(),
            content,
            fields: fieldsBody,
            line: edited && line.length > 0 ? toLineBody(line) : undefined,
            cc,
            submit,
          },
        }),
      );
      navigate(`/documents/${doc.id}`, { state: { notice: submit ? "new.submitted" : "new.drafted" } });
    } catch (error) {
      if (error instanceof ApiError) {
        const byField: Record<string, string> = {};
        for (const [field, message] of Object.entries(error.fieldErrors())) byField[field.replace(/^fields\./, "")] = message;
        setErrors(byField);
      }
      setFailure(error);
    } finally {
      setBusy(false);
    }
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void save(true);
  };

  const ruleText = typeof form?.line_rule.description === "string" ? form.line_rule.description : "";

  return (
    <form className="new-document" onSubmit={onSubmit} noValidate aria-labelledby="new-title">
      <h1 id="new-title">{t("new.title")}</h1>
      {forms.error != null && <Notice kind="error">{errorText(forms.error, t("common.error"))}</Notice>}
      {failure != null && <Notice kind="error">{errorText(failure, t("common.error"))}</Notice>}
      <div className="card">
        <fieldset className="form-picker">
          <legend>{t("new.form")}</legend>
          {forms.data?.map((f) => (
            <label key={f.code} className={f.code === formCode ? "choice selected" : "choice"}>
              <input type="radio" name="form" value={f.code} checked={f.code === formCode} onChange={() => setFormCode(f.code)} />
              {locale === "ko" ? f.name_ko : f.name}
            </label>
          ))}
        </fieldset>
        <div className="field">
          <span className="label-row">
            <label htmlFor="doc-title">{t("new.docTitle")}</label>
            <span className="req" aria-hidden="true">
              *
            </span>
          </span>
          <input id="doc-title" value={title} maxLength={200} required aria-invalid={errors.title ? true : undefined} aria-describedby={errors.title ? "doc-title-error" : undefined} onChange={(e) => setTitle(e.target.value)} />
          {errors.title && (
            <span id="doc-title-error" className="field-error">
              {errors.title}
            </span>
          )}
        </div>
        <FormRenderer specs={specs} values={values} errors={errors} onChange={setValues} />
        <div className="field">
          <label htmlFor="doc-content">{t("new.content")}</label>
          <textarea id="doc-content" rows={6} value={content} maxLength={20000} onChange={(e) => setContent(e.target.value)} />
        </div>
      </div>
      <section className="card" aria-labelledby="line-title">
        <h2 id="line-title">{t("line.title")}</h2>
        {edited ? (
          <p className="muted">
            {t("line.edited")}{" "}
            <button
              type="button"
              className="link-button"
              onClick={() => {
                setEdited(false);
              }}
            >
              {t("line.reset")}
            </button>
          </p>
        ) : (
          <p className="muted">{proposal ? t("line.proposed") : t("line.noProposal", { rule: ruleText })}</p>
        )}
        {errors.line && <Notice kind="error">{errors.line}</Notice>}
        <LineEditor line={line} cc={cc} people={people} requesterId={me.employee.id} onLineChange={changeLine} onCcChange={setCc} />
        {proposal && !edited && <ProposalTrace proposal={proposal} />}
      </section>
      <div className="actions-bar">
        <button type="button" disabled={busy} onClick={() => void save(false)}>
          {t("new.draft")}
        </button>
        <button type="submit" className="primary" disabled={busy}>
          {t("new.submit")}
        </button>
      </div>
    </form>
  );
}
