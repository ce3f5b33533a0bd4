"""`/api/forms`: the kinds of document, their fields and default line rules."""

from __future__ import annotations

from collections.abc import Mapping

from fastapi import APIRouter

from dojang.approval.api.common import problems
from dojang.approval.api.schemas import FormOut
from dojang.approval.domain.forms import Form, FormCode
from dojang.kernel.web.deps import CurrentPrincipal
from dojang.kernel.web.pagination import Page


def forms_router(forms: Mapping[FormCode, Form]) -> APIRouter:
    """Routes that describe the forms to any authenticated caller."""
    router = APIRouter(prefix="/api/forms", tags=["forms"])
    bodies = {code: FormOut.of(form) for code, form in forms.items()}

    @router.get("", responses=problems(401))
    async def list_forms(_caller: CurrentPrincipal) -> Page[FormOut]:
        """Every form with its field schema and default line rule."""
        return Page[FormOut](items=list(bodies.values()))

    @router.get("/{code}", responses=problems(401, 404))
    async def get_form(_caller: CurrentPrincipal, code: FormCode) -> FormOut:
        """One form."""
        return bodies[code]

    return router
