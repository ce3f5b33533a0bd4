"""The embedded app's lifespan: what a serving process does after starting."""

from __future__ import annotations

import gc
from pathlib import Path

from dojang.app import SERVER_GC_THRESHOLDS, create_app
from tests import conftest as shared


async def test_a_server_freezes_what_starting_built_and_thaws_it_at_stop(tmp_path: Path) -> None:
    before = gc.get_threshold()
    app = create_app(freeze_after_start=True, **shared.test_overrides(tmp_path / "data"))
    async with app.router.lifespan_context(app):
        assert gc.get_freeze_count() > 0
        assert gc.get_threshold() == SERVER_GC_THRESHOLDS
    assert gc.get_freeze_count() == 0
    assert gc.get_threshold() == before


async def test_an_app_in_tests_freezes_nothing(tmp_path: Path) -> None:
    app = create_app(**shared.test_overrides(tmp_path / "data"))
    async with app.router.lifespan_context(app):
        assert gc.get_freeze_count() == 0
        assert gc.get_threshold() != SERVER_GC_THRESHOLDS
