"""Document numbers (문서번호): `<FORM>-<YYYY>-<6 digits>`, gapless per form and local year."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from dojang.approval.domain.forms import FormCode


def numbering_year(completed_at: datetime, zone: ZoneInfo) -> int:
    """The company-local year a document completed in, whose sequence numbers it."""
    return completed_at.astimezone(zone).year


def document_number(form: FormCode, year: int, sequence: int) -> str:
    """The number of the `sequence`-th document of `form` approved in `year`."""
    if sequence < 1:
        raise ValueError("document sequences start at 1")
    return f"{form.value.upper()}-{year:04d}-{sequence:06d}"
