"""결재 규정 kept by the approval service: what it needs from a store, and reading and
editing a form's policy with the revision check.

A form without a stored policy has its built-in one (`domain/policy_defaults.py`) at
revision 0; the first saved edit stores revision 1. An edit names the revision it read; if
the store holds another, the edit is refused with `PolicyRevisionConflict` (409) and nothing
changes, so of two admins editing at once one must read again.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, Protocol

from dojang.approval.domain.policies import Policy, PolicyRevisionConflict
from dojang.approval.domain.policy_defaults import default_policy
from dojang.kernel.errors import NotFound


class PolicyStore(Protocol):
    """The stored policies, one per form code, each at its revision."""

    async def get(self, form: str) -> Policy | None:
        """The stored policy of the form, if an edit was ever saved."""
        ...

    async def save(self, policy: Policy, *, by: str, at: datetime) -> Policy:
        """Store `policy` as its next revision if the stored one is still `policy.revision`
        (0: none stored); the saved policy, else `PolicyRevisionConflict`."""
        ...


def revision_conflict(form: str, revision: int) -> PolicyRevisionConflict:
    """The refusal of an edit that read a revision no longer stored."""
    return PolicyRevisionConflict(
        "the approval policy of form {form} changed since revision {revision}; read it again",
        form=form,
        revision=revision,
    )


class PolicyService:
    """Reading and editing approval policies."""

    def __init__(self, store: PolicyStore, forms: frozenset[str]) -> None:
        self._store = store
        self._forms = forms

    async def policy(self, form: str) -> Policy:
        """The form's policy in force: the stored one, else the built-in one."""
        self._known(form)
        stored = await self._store.get(form)
        if stored is not None:
            return stored
        built_in = default_policy(form)
        return built_in if built_in is not None else Policy(form, ())

    async def edit(
        self, form: str, data: Mapping[str, Any], *, revision: int, by: str, at: datetime
    ) -> Policy:
        """Replace the form's policy with `data`, checked against the `revision` read."""
        self._known(form)
        edited = Policy.from_data(form, data, revision=revision)
        return await self._store.save(edited, by=by, at=at)

    def _known(self, form: str) -> None:
        if form not in self._forms:
            raise NotFound("no form {form}", form=form)
