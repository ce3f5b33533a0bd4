"""`/api/forms`: the kinds of document, their fields and default line rules."""

from __future__ import annotations

from collections.abc import Mapping

from fastapi import APIRouter

from dojang.approval.api.common import problems
from dojang.approval.api.schemas import FormOut
from dojang.approval.domain.forms import Form, FormCode
from dojang.kernel.errors import InvalidInput
from dojang.kernel.web.deps import CurrentPrincipal
from dojang.kernel.web.pagination import Cursor, Limit, Page, decode_cursor, page_of


def forms_router(forms: Mapping[FormCode, Form]) -> APIRouter:
    """Routes that describe the forms to any authenticated caller."""
    router = APIRouter(prefix="/api/forms", tags=["forms"])
    bodies = {code: FormOut.of(form) for code, form in forms.items()}
    in_order = [bodies[code] for code in sorted(bodies)]

    @router.get("", responses=problems(401, 422))
    async def list_forms(
        _caller: CurrentPrincipal, limit: Limit = 50, cursor: Cursor = None
    ) -> Page[FormOut]:
        """The forms with their field schema and default line rule, by code."""
        after = decode_cursor(cursor, 1)[0] if cursor is not None else None
        if after is not None and not isinstance(after, str):
            raise InvalidInput.field("cursor", "not a cursor this API issued")
        rest = [form for form in in_order if after is None or form.code > after]
        return page_of(rest[: limit + 1], limit, lambda form: (form.code,))

    @router.get("/{code}", responses=problems(401, 404))
    async def get_form(_caller: CurrentPrincipal, code: FormCode) -> FormOut:
        """One form."""
        return bodies[code]

    return router
