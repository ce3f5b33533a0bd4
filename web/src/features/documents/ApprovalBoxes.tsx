// 결재란: the requester's box, then one box per approver in line order, each with its seal.
import { Stamp } from "../../components/Stamp";
import type { DocumentOut, EmployeeView } from "../../lib/api-client";
import { formatDateTime } from "../../lib/format";
import { useI18n } from "../../lib/i18n";

interface Props {
  doc: DocumentOut;
  people: Record<string, EmployeeView>;
}

export function ApprovalBoxes({ doc, people }: Props) {
  const { t, locale, label } = useI18n();
  const nameOf = (id: string | null | undefined) => (id ? (people[id]?.name ?? "…") : "");
  const positionOf = (id: string) => {
    const position = people[id]?.position;
    return position ? label("position", position) : "";
  };
  const requester = doc.requester;
  return (
    <div className="approval-boxes" role="list" aria-label={t("doc.boxes")}>
      <div className="approval-box requester" role="listitem" aria-label={`${t("doc.requester")} ${requester.name}`}>
        <div className="box-head">{t("doc.requester")}</div>
        <div className="box-seal">{doc.submitted_at ? <Stamp name={requester.name} label={`${requester.name} ${t("timeline.submitted")}`} /> : null}</div>
        <div className="box-foot">
          <span className="box-name">{requester.name}</span>
          <span className="muted">{positionOf(requester.id)}</span>
          <time dateTime={doc.submitted_at ?? undefined}>{formatDateTime(doc.submitted_at, locale)}</time>
        </div>
      </div>
      {doc.line.map((stage) =>
        stage.approvers.map((approver) => {
          const decider = approver.decided_by ?? approver.employee_id;
          const delegated = approver.decision !== null && (approver.on_behalf_of !== null || decider !== approver.employee_id);
          const owner = nameOf(approver.employee_id);
          const decision = approver.decision ? label("stage", approver.decision) : stage.status === "skipped" ? label("stage", "skipped") : t("doc.pendingStamp");
          return (
            <div
              key={`${stage.index}-${approver.employee_id}`}
              className={`approval-box stage-${stage.status}${approver.decision ? ` decided-${approver.decision}` : ""}`}
              role="listitem"
              aria-label={`${label("kind", stage.kind)} ${owner} ${decision}`}
            >
              <div className="box-head">
                {label("kind", stage.kind)}
                {stage.status === "active" && approver.decision === null && <span className="dot" aria-hidden="true" />}
              </div>
              <div className="box-seal">
                {approver.decision ? (
                  <Stamp
                    name={nameOf(decider)}
                    rejected={approver.decision === "rejected"}
                    label={`${nameOf(decider)} ${decision}${delegated ? ` (${t("doc.onBehalf")})` : ""}`}
                  />
                ) : (
                  <span className="muted">{decision}</span>
                )}
              </div>
              <div className="box-foot">
                <span className="box-name">{owner}</span>
                <span className="muted">{positionOf(approver.employee_id)}</span>
                {approver.decided_at && <time dateTime={approver.decided_at}>{formatDateTime(approver.decided_at, locale)}</time>}
                {delegated && (
                  <span className="delegated">
                    {t("doc.onBehalf")} {nameOf(decider)} · {t("doc.onBehalfOf", { name: owner })}
                  </span>
                )}
              </div>
            </div>
          );
        }),
      )}
    </div>
  );
}
