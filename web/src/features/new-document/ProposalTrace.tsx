// Why the proposed line is what it is: each approver's reasons, then the line-wide notes.
import { useI18n } from "../../lib/i18n";
import type { Proposal, TraceNote } from "./preview";

export function ProposalTrace({ proposal }: { proposal: Proposal }) {
  const { t, locale } = useI18n();
  const say = (note: TraceNote) => (locale === "ko" && note.text_ko ? note.text_ko : note.text);
  const reasons = proposal.stages.flatMap((stage) => stage.approvers.filter((a) => a.trace.length > 0).map((a) => ({ name: a.name, notes: a.trace })));
  if (reasons.length === 0 && proposal.trace.length === 0) return null;
  return (
    <details className="trace">
      <summary>{t("line.trace")}</summary>
      <ul>
        {reasons.map((reason, i) => (
          <li key={`a${i}`}>
            <strong>{reason.name}</strong>: {reason.notes.map(say).join(" · ")}
          </li>
        ))}
        {proposal.trace.map((note, i) => (
          <li key={`t${i}`}>{say(note)}</li>
        ))}
      </ul>
    </details>
  );
}
