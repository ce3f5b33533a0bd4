"""`dojang openapi`: the document the web client is generated from, and the copy in web/."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dojang.cli import main
from dojang.openapi import openapi_document, render_openapi

REPOSITORY = Path(__file__).resolve().parents[3]


def test_the_command_writes_the_apps_document_sorted_and_in_utf8(tmp_path: Path) -> None:
    output = tmp_path / "openapi.json"
    assert main(["openapi", str(output)]) == 0
    raw = output.read_bytes()
    text = raw.decode("utf-8")
    assert "전자결재" in text  # not escaped as \uXXXX
    assert text.endswith("}\n")
    document = json.loads(text)
    assert document == openapi_document()
    assert list(document) == sorted(document)
    assert list(document["paths"]) == sorted(document["paths"])
    assert "/api/approvals/preview" in document["paths"]


def test_the_document_is_the_same_on_every_run(tmp_path: Path) -> None:
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    assert main(["openapi", str(first)]) == 0
    assert main(["openapi", str(second)]) == 0
    assert first.read_bytes() == second.read_bytes()


def test_without_output_the_document_goes_to_standard_output(
    capsysbinary: pytest.CaptureFixture[bytes],
) -> None:
    assert main(["openapi"]) == 0
    assert capsysbinary.readouterr().out.decode("utf-8") == render_openapi(openapi_document())


def test_the_web_clients_copy_is_the_apps_document() -> None:
    copy = REPOSITORY / "web" / "openapi.json"
    assert copy.is_file(), "web/openapi.json is missing: run `dojang openapi web/openapi.json`"
    assert json.loads(copy.read_text(encoding="utf-8")) == openapi_document(), (
        "web/openapi.json is not the API's document: run `dojang openapi web/openapi.json` "
        "and regenerate the web client (cd web && npm run gen:api)"
    )
