// The 결재선 editor: stages in order (결재/합의, all/any), their approvers, and 참조.
import { Icon } from "../../components/Icon";
import { useI18n } from "../../lib/i18n";
import { EmployeeSearch } from "../org/EmployeeSearch";
import { addApprover, addStage, moveStage, removeApprover, removeStage, updateStage, type DraftStage, type StageKind, type StageRule } from "./line";

/** What the editor shows of a person: an EmployeeView, or a proposal's approver. */
export interface PersonSummary {
  name: string;
  position: string;
  department: { name: string } | null;
}

interface Props {
  line: DraftStage[];
  cc: string[];
  people: Record<string, PersonSummary>;
  requesterId: string;
  onLineChange: (line: DraftStage[]) => void;
  onCcChange: (cc: string[]) => void;
}

function ruleFrom(choice: string, stage: DraftStage): StageRule {
  if (choice === "at_least") return { at_least: Math.max(1, Math.min(2, stage.approvers.length)) };
  return choice === "any" ? "any" : "all";
}

export function LineEditor({ line, cc, people, requesterId, onLineChange, onCcChange }: Props) {
  const { t, label } = useI18n();
  const nameOf = (id: string) => people[id]?.name ?? id;
  const inLine = line.flatMap((stage) => stage.approvers);

  const person = (id: string) => {
    const employee = people[id];
    return (
      <span className="person">
        <strong>{nameOf(id)}</strong>
        {employee && (
          <span className="muted">
            {" "}
            {label("position", employee.position)}
            {employee.department ? ` · ${employee.department.name}` : ""}
          </span>
        )}
      </span>
    );
  };

  return (
    <div className="line-editor">
      {line.length === 0 && <p className="muted">{t("line.noStages")}</p>}
      <ol className="stages" aria-label={t("line.title")}>
        {line.map((stage, index) => {
          const n = index + 1;
          return (
            <li key={index} className="stage" aria-label={t("line.stage", { n })}>
              <div className="stage-head">
                <strong>{t("line.stage", { n })}</strong>
                <select aria-label={t("line.kind", { n })} value={stage.kind} onChange={(e) => onLineChange(updateStage(line, index, { kind: e.target.value as StageKind }))}>
                  <option value="approval">{t("kind.approval")}</option>
                  <option value="agreement">{t("kind.agreement")}</option>
                </select>
                <select
                  aria-label={t("line.rule", { n })}
                  value={typeof stage.rule === "object" ? "at_least" : stage.rule}
                  onChange={(e) => onLineChange(updateStage(line, index, { rule: ruleFrom(e.target.value, stage) }))}
                >
                  <option value="all">{t("rule.all")}</option>
                  <option value="any">{t("rule.any")}</option>
                  <option value="at_least">{t("rule.atLeastChoice")}</option>
                </select>
                {typeof stage.rule === "object" && (
                  <select
                    className="at-least"
                    aria-label={t("line.atLeast", { n })}
                    value={stage.rule.at_least}
                    onChange={(e) => onLineChange(updateStage(line, index, { rule: { at_least: Number(e.target.value) } }))}
                  >
                    {Array.from({ length: Math.max(stage.approvers.length, stage.rule.at_least) }, (_, i) => i + 1).map((count) => (
                      <option key={count} value={count}>
                        {count}
                      </option>
                    ))}
                  </select>
                )}
                <span className="stage-tools">
                  <button type="button" className="icon-button" aria-label={t("line.up", { n })} disabled={index === 0} onClick={() => onLineChange(moveStage(line, index, -1))}>
                    <Icon name="up" />
                  </button>
                  <button type="button" className="icon-button" aria-label={t("line.down", { n })} disabled={index === line.length - 1} onClick={() => onLineChange(moveStage(line, index, 1))}>
                    <Icon name="down" />
                  </button>
                  <button type="button" className="icon-button danger" aria-label={t("line.remove", { n })} onClick={() => onLineChange(removeStage(line, index))}>
                    <Icon name="close" />
                  </button>
                </span>
              </div>
              <ul className="approvers">
                {stage.approvers.map((id) => (
                  <li key={id}>
                    {person(id)}
                    <button type="button" className="chip-remove" aria-label={t("line.removeApprover", { name: nameOf(id) })} onClick={() => onLineChange(removeApprover(line, index, id))}>
                      <Icon name="close" size={14} />
                    </button>
                  </li>
                ))}
              </ul>
              {stage.approvers.length === 0 && <p className="field-error">{t("line.emptyStage")}</p>}
              <EmployeeSearch
                label={t("line.addApprover", { n })}
                exclude={[requesterId, ...inLine]}
                onPick={(employee) => onLineChange(addApprover(line, index, employee.id))}
              />
            </li>
          );
        })}
      </ol>
      <button type="button" onClick={() => onLineChange(addStage(line))}>
        <Icon name="plus" /> {t("line.addStage")}
      </button>
      <div className="cc-editor">
        <h3>{t("line.cc")}</h3>
        <ul className="approvers" aria-label={t("line.cc")}>
          {cc.map((id) => (
            <li key={id}>
              {person(id)}
              <button type="button" className="chip-remove" aria-label={t("line.removeApprover", { name: nameOf(id) })} onClick={() => onCcChange(cc.filter((c) => c !== id))}>
                <Icon name="close" size={14} />
              </button>
            </li>
          ))}
        </ul>
        <EmployeeSearch
          label={t("line.addCc")}
          exclude={[requesterId, ...cc]}
          onPick={(employee) => onCcChange([...cc, employee.id])}
        />
      </div>
    </div>
  );
}
