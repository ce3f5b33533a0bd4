// The actions the caller may take on a document, and nothing else.
import { useId, useState, type FormEvent } from "react";
import type { EmployeeView } from "../../lib/api-client";
import { useI18n } from "../../lib/i18n";
import type { Permitted } from "./actions";

export interface Deciding {
  approve: (body: { comment?: string; final: boolean; on_behalf_of?: string }) => Promise<void>;
  reject: (body: { reason: string; on_behalf_of?: string }) => Promise<void>;
  withdraw: () => Promise<void>;
  submit: () => Promise<void>;
  markRead: () => Promise<void>;
  takeBack: (body: { on_behalf_of: string }) => Promise<void>;
}

interface Props {
  permitted: Permitted;
  people: Record<string, EmployeeView>;
  handlers: Deciding;
  busy: boolean;
}

export function DocumentActions({ permitted, people, handlers, busy }: Props) {
  const { t } = useI18n();
  const id = useId();
  const [comment, setComment] = useState("");
  const [reason, setReason] = useState("");
  const [reasonError, setReasonError] = useState(false);
  const [slotIndex, setSlotIndex] = useState(0);
  const slot = permitted.slots[slotIndex] ?? permitted.slots[0];
  const onBehalfOf = permitted.slots.length > 1 ? (slot?.onBehalfOf ?? undefined) : undefined;
  const deciding = permitted.approve || permitted.reject;
  const anything =
    deciding || permitted.withdraw || permitted.submit || permitted.markRead || permitted.takeBack.length > 0;
  if (!anything) return null;

  const approve = (final: boolean) => {
    void handlers.approve({ comment: comment.trim() || undefined, final, on_behalf_of: onBehalfOf ?? undefined });
  };
  const reject = (event: FormEvent) => {
    event.preventDefault();
    if (!reason.trim()) {
      setReasonError(true);
      return;
    }
    setReasonError(false);
    void handlers.reject({ reason: reason.trim(), on_behalf_of: onBehalfOf ?? undefined });
  };

  return (
    <section className="card document-actions" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t("doc.actions")}</h2>
      {deciding && (
        <>
          {permitted.slots.length > 1 && (
            <div className="field">
              <label htmlFor={`${id}-slot`}>{t("action.slot")}</label>
              <select id={`${id}-slot`} value={slotIndex} onChange={(e) => setSlotIndex(Number(e.target.value))}>
                {permitted.slots.map((s, i) => (
                  <option key={s.onBehalfOf ?? "own"} value={i}>
                    {s.onBehalfOf ? t("action.slotFor", { name: people[s.onBehalfOf]?.name ?? s.onBehalfOf }) : t("action.slotOwn")}
                  </option>
                ))}
              </select>
            </div>
          )}
          <div className="field">
            <label htmlFor={`${id}-comment`}>{t("action.commentLabel")}</label>
            <textarea id={`${id}-comment`} rows={2} maxLength={2000} value={comment} onChange={(e) => setComment(e.target.value)} />
          </div>
          <div className="row">
            <button type="button" className="primary" disabled={busy} onClick={() => approve(false)}>
              {t("action.approve")}
            </button>
            {permitted.final && (
              <button type="button" disabled={busy} onClick={() => approve(true)}>
                {t("action.final")}
              </button>
            )}
          </div>
          <form className="reject-form" onSubmit={reject} noValidate>
            <div className="field">
              <label htmlFor={`${id}-reason`}>{t("action.reasonLabel")}</label>
              <textarea
                id={`${id}-reason`}
                rows={2}
                maxLength={2000}
                required
                value={reason}
                aria-invalid={reasonError ? true : undefined}
                aria-describedby={reasonError ? `${id}-reason-error` : undefined}
                onChange={(e) => setReason(e.target.value)}
              />
              {reasonError && (
                <span id={`${id}-reason-error`} className="field-error">
                  {t("action.reasonRequired")}
                </span>
              )}
            </div>
            <button type="submit" className="danger" disabled={busy}>
              {t("action.reject")}
            </button>
          </form>
        </>
      )}
      <div className="row">
        {permitted.submit && (
          <button type="button" className="primary" disabled={busy} onClick={() => void handlers.submit()}>
            {t("action.submit")}
          </button>
        )}
        {permitted.withdraw && (
          <button type="button" disabled={busy} onClick={() => void handlers.withdraw()}>
            {t("action.withdraw")}
          </button>
        )}
        {permitted.takeBack.map((approver) => (
          <button key={approver} type="button" disabled={busy} onClick={() => void handlers.takeBack({ on_behalf_of: approver })}>
            {permitted.takeBack.length > 1 ? t("action.takeBackFor", { name: people[approver]?.name ?? approver }) : t("action.takeBack")}
          </button>
        ))}
        {permitted.markRead && (
          <button type="button" disabled={busy} onClick={() => void handlers.markRead()}>
            {t("action.markRead")}
          </button>
        )}
      </div>
    </section>
  );
}
