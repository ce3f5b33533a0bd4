"""In CI a skipped integration, end-to-end or browser test fails the run."""

from __future__ import annotations

from pathlib import Path

import pytest

CONFTEST = Path(__file__).parents[1] / "conftest.py"
MARKERS = """
[pytest]
markers =
    integration: x
    e2e: x
    browser: x
    dojang_no_skip: x
"""
SKIPPING = """
import pytest

@pytest.mark.e2e
def test_needs_a_server():
    pytest.skip("no server here")

def test_plain_unit_skip():
    pytest.skip("not on this platform")
"""


@pytest.fixture
def suite(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makeconftest(CONFTEST.read_text())
    pytester.makeini(MARKERS)
    pytester.makepyfile(test_sample=SKIPPING)
    return pytester


def test_a_skipped_e2e_test_fails_when_ci_is_true(
    suite: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CI", "true")
    result = suite.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(failed=1, skipped=1)
    result.stdout.fnmatch_lines(["*skipped in CI*test_needs_a_server must run*"])


def test_outside_ci_a_skip_stays_a_skip(
    suite: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CI", raising=False)
    result = suite.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(skipped=2)
