// 대결 설정: hand my tasks to a colleague for a period, see and revoke delegations.
import { useState, type FormEvent } from "react";
import { Notice } from "../../components/Notice";
import { usePaged } from "../../components/usePaged";
import { api, unwrap, type EmployeeView, type Schemas } from "../../lib/api-client";
import { useMe } from "../../lib/auth";
import { formatDateTime, seoulLocalToIso } from "../../lib/format";
import { useI18n } from "../../lib/i18n";
import { errorText } from "../../lib/problem";
import { EmployeeSearch } from "../org/EmployeeSearch";
import { usePeople } from "../org/people";

export function DelegationsPage() {
  const { t, locale } = useI18n();
  const me = useMe();
  const list = usePaged<Schemas["DelegationBody"]>((cursor) => unwrap(api.GET("/api/delegations", { params: { query: { cursor } } })), []);
  const people = usePeople(list.items.flatMap((d) => [d.delegator_id, d.delegate_id]));
  const [delegate, setDelegate] = useState<EmployeeView | null>(null);
  const [starts, setStarts] = useState("");
  const [ends, setEnds] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);

  const act = async (call: () => Promise<unknown>) => {
    setBusy(true);
    setProblem(null);
    setDone(false);
    try {
      await call();
      setDone(true);
      list.reload();
    } catch (error) {
      setProblem(errorText(error, t("common.error")));
    } finally {
      setBusy(false);
    }
  };

  const grant = (event: FormEvent) => {
    event.preventDefault();
    if (!delegate || !starts || !ends) {
      setProblem(t("common.required"));
      return;
    }
    const startsAt = seoulLocalToIso(starts);
    const endsAt = seoulLocalToIso(ends);
    if (endsAt <= startsAt) {
      setProblem(t("delegation.endsBeforeStarts"));
      return;
    }
    void act(async () => {
      await unwrap(api.POST("/api/delegations", { body: { delegate_id: delegate.id, starts_at: startsAt, ends_at: endsAt } }));
      setDelegate(null);
    });
  };

  return (
    <section aria-labelledby="delegation-title">
      <h1 id="delegation-title">{t("delegation.title")}</h1>
      {problem && <Notice kind="error">{problem}</Notice>}
      {done && <Notice kind="success">{t("common.saved")}</Notice>}
      <form className="card" onSubmit={grant} noValidate aria-labelledby="delegation-new">
        <h2 id="delegation-new">{t("delegation.new")}</h2>
        {delegate ? (
          <p>
            {t("delegation.delegate")}: <strong>{delegate.name}</strong>{" "}
            <button type="button" className="link-button" onClick={() => setDelegate(null)}>
              {t("common.cancel")}
            </button>
          </p>
        ) : (
          <EmployeeSearch label={t("delegation.delegate")} exclude={[me.employee.id]} onPick={setDelegate} />
        )}
        <div className="row">
          <div className="field">
            <label htmlFor="delegation-starts">{t("delegation.starts")}</label>
            <input id="delegation-starts" type="datetime-local" value={starts} onChange={(e) => setStarts(e.target.value)} required />
          </div>
          <div className="field">
            <label htmlFor="delegation-ends">{t("delegation.ends")}</label>
            <input id="delegation-ends" type="datetime-local" value={ends} onChange={(e) => setEnds(e.target.value)} required />
          </div>
        </div>
        <button type="submit" className="primary" disabled={busy}>
          {t("delegation.new")}
        </button>
      </form>
      <div className="table-wrap card">
        <table className="stack" aria-label={t("delegation.list")}>
          <thead>
            <tr>
              <th scope="col">{t("col.name")}</th>
              <th scope="col">{t("col.delegate")}</th>
              <th scope="col">{t("col.period")}</th>
              <th scope="col">{t("col.status")}</th>
            </tr>
          </thead>
          <tbody>
            {list.items.map((d) => (
              <tr key={d.id}>
                <td className="stack-head">{people[d.delegator_id]?.name ?? "…"}</td>
                <td data-label={t("col.delegate")}>{people[d.delegate_id]?.name ?? "…"}</td>
                <td data-label={t("col.period")}>
                  {formatDateTime(d.starts_at, locale)} – {formatDateTime(d.ends_at, locale)}
                </td>
                <td data-label={t("col.status")}>
                  {d.revoked_at ? (
                    t("delegation.revoked")
                  ) : d.delegator_id === me.employee.id ? (
                    <button
                      type="button"
                      disabled={busy}
                      aria-label={`${t("delegation.revoke")}: ${people[d.delegate_id]?.name ?? ""}`}
                      onClick={() => void act(() => unwrap(api.DELETE("/api/delegations/{delegation_id}", { params: { path: { delegation_id: d.id } } })))}
                    >
                      {t("delegation.revoke")}
                    </button>
                  ) : (
                    t("delegation.forMe")
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {!list.loading && list.items.length === 0 && <p className="muted">{t("common.empty")}</p>}
        {list.hasMore && (
          <button type="button" onClick={list.more}>
            {t("common.more")}
          </button>
        )}
      </div>
    </section>
  );
}
