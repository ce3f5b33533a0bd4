"""docs/events.md and the models of `dojang.contracts` describe the same events.

The page is read as its readers read it: a `## `topic`` section per topic, a table row per
type whose `data` cell opens with the fields in `{...}`, nested objects spelled out or named
by a shared shape, and, for `approval-events`, the fields every type carries ("All carry").
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any, get_args

import pytest
from pydantic import BaseModel

import dojang.contracts
from dojang.contracts.base import EventData

DOC = Path(__file__).parents[2] / "docs" / "events.md"


@dataclass(frozen=True)
class Shape:
    """A documented object: its field names, each with the shape of its value if an object."""

    fields: Mapping[str, Shape | None]


@dataclass(frozen=True)
class Documented:
    """What the page says: the shared shapes, and per topic the data of each type."""

    shapes: Mapping[str, Shape]
    topics: Mapping[str, Mapping[str, Shape]]


_CODE = re.compile(r"`([^`]+)`")
_TOPIC_HEADING = re.compile(r"^## `([^`]+)`", re.MULTILINE)
_SHAPE_BULLET = re.compile(r"^- `(\w+)` = (.*)$")


def _split(text: str, separator: str) -> list[str]:
    """`text` split at `separator` outside brackets and quotes."""
    parts, depth, quoted, current = [], 0, False, ""
    for char in text:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in "{[(":
            depth += 1
        elif not quoted and char in "}])":
            depth -= 1
        if char == separator and depth == 0 and not quoted:
            parts.append(current)
            current = ""
        else:
            current += char
    return [*parts, current]


def _shape(text: str, shapes: Mapping[str, Shape]) -> Shape:
    text = text.strip()
    if not (text.startswith("{") and text.endswith("}")):
        raise ValueError(f"not an object: {text}")
    fields: dict[str, Shape | None] = {}
    for item in _split(text[1:-1], ","):
        if item.strip():
            name, _, value = item.partition(":")
            fields[name.strip().strip('"')] = _value(value, shapes)
    return Shape(fields)


def _value(text: str, shapes: Mapping[str, Shape]) -> Shape | None:
    """The object a field's value is (or lists, or may be): None for anything else."""
    for alternative in _split(text, "|"):
        value = alternative.strip()
        while value.startswith("[") and value.endswith("]"):
            value = value[1:-1].strip()
        if value.startswith("{"):
            return _shape(value, shapes)
        if value in shapes:
            return shapes[value]
    return None


def _cells(row: str) -> list[str]:
    return [cell.strip().replace("\\|", "|") for cell in re.split(r"(?<!\\)\|", row)[1:-1]]


def _bullets(text: str) -> Iterator[str]:
    """Each `- ` item of the page, its indented continuation lines joined to it."""
    item: str | None = None
    for line in text.splitlines():
        if line.startswith("- "):
            if item is not None:
                yield item
            item = line
        elif item is not None and line.startswith("  ") and line.strip():
            item += " " + line.strip()
        elif item is not None:
            yield item
            item = None
    if item is not None:
        yield item


def _section(body: str, shapes: Mapping[str, Shape]) -> dict[str, Shape]:
    common: Mapping[str, Shape | None] = {}
    for line in body.splitlines():
        if line.startswith("All carry"):
            common = _shape(_CODE.findall(line)[0], shapes).fields
    rows = [_cells(line) for line in body.splitlines() if line.startswith("|")]
    header, table = rows[0], rows[2:]  # rows[1] is the |---| line
    type_column = header.index("type")
    data_column = next(i for i, name in enumerate(header) if name.endswith("data"))
    types: dict[str, Shape] = {}
    for row in table:
        data = next(code for code in _CODE.findall(row[data_column]) if code.startswith("{"))
        shape = Shape({**common, **_shape(data, shapes).fields})
        for event_type in _CODE.findall(row[type_column]):
            types[event_type] = shape
    return types


def read_doc(text: str) -> Documented:
    """Parse docs/events.md (or a text like it)."""
    shapes: dict[str, Shape] = {}
    for bullet in _bullets(text):
        found = _SHAPE_BULLET.match(bullet)
        if found is not None:
            name, rest = found.groups()
            shapes[name] = _shape(next(c for c in _CODE.findall(rest) if c.startswith("{")), shapes)
    headings = list(_TOPIC_HEADING.finditer(text))
    topics = {
        heading.group(1): _section(
            text[heading.end() : headings[i + 1].start() if i + 1 < len(headings) else None],
            shapes,
        )
        for i, heading in enumerate(headings)
    }
    return Documented(shapes, topics)


def contract_modules() -> list[ModuleType]:
    """Every module of `dojang.contracts` that defines a topic."""
    modules = [
        importlib.import_module(f"dojang.contracts.{info.name}")
        for info in pkgutil.iter_modules(dojang.contracts.__path__)
    ]
    return [module for module in modules if hasattr(module, "TOPIC")]


def defined_models(module: ModuleType) -> set[type[EventData]]:
    """The event models a module defines: those that name a type."""
    return {
        value
        for value in vars(module).values()
        if isinstance(value, type)
        and issubclass(value, EventData)
        and value.__module__ == module.__name__
        and "type" in vars(value)
    }


def _nested_model(annotation: Any) -> type[BaseModel] | None:
    """The model a field holds, lists or may hold; None if it holds no model."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for argument in get_args(annotation):
        found = _nested_model(argument)
        if found is not None:
            return found
    return None


def _compare(path: str, shape: Shape, model: type[BaseModel]) -> list[str]:
    problems: list[str] = []
    documented, defined = set(shape.fields), set(model.model_fields)
    if documented - defined:
        problems.append(
            f"{path}: documented, not in {model.__name__}: {sorted(documented - defined)}"
        )
    if defined - documented:
        problems.append(
            f"{path}: in {model.__name__}, not documented: {sorted(defined - documented)}"
        )
    for name in sorted(documented & defined):
        nested_shape = shape.fields[name]
        nested_model = _nested_model(model.model_fields[name].annotation)
        if nested_model is not None and nested_shape is None:
            problems.append(f"{path}.{name}: the page does not spell out {nested_model.__name__}")
        elif nested_model is None and nested_shape is not None:
            problems.append(f"{path}.{name}: documented as an object, which the model's is not")
        elif nested_model is not None and nested_shape is not None:
            problems += _compare(f"{path}.{name}", nested_shape, nested_model)
    return problems


def disagreements(documented: Documented) -> list[str]:
    """Every way the page and the contract models differ; empty when they agree."""
    problems: list[str] = []
    modules = {module.TOPIC: module for module in contract_modules()}
    for topic in sorted(set(documented.topics) - set(modules)):
        problems.append(f"topic {topic} is documented but has no contract module")
    for topic, module in sorted(modules.items()):
        listed: Mapping[str, type[EventData]] = module.MODELS
        if set(listed.values()) != defined_models(module):
            problems.append(f"{module.__name__}.MODELS is not every model the module defines")
        types = documented.topics.get(topic)
        if types is None:
            problems.append(f"topic {topic} ({module.__name__}) is not documented")
            continue
        for event_type, model in sorted(listed.items()):
            if event_type not in types:
                problems.append(f"{event_type} ({model.__name__}) is not documented under {topic}")
        for event_type, shape in sorted(types.items()):
            found = listed.get(event_type)
            if found is None:
                problems.append(f"{event_type} is documented under {topic} but has no model")
            else:
                problems += _compare(event_type, shape, found)
    return problems


@pytest.fixture(scope="module")
def page() -> str:
    return DOC.read_text(encoding="utf-8")


def test_the_page_and_the_models_agree(page: str) -> None:
    assert disagreements(read_doc(page)) == []


def test_every_topic_module_is_documented(page: str) -> None:
    documented = read_doc(page)
    assert sorted(documented.topics) == sorted(m.TOPIC for m in contract_modules())
    assert all(documented.topics.values())


def test_the_common_approval_event_fields_are_part_of_every_type(page: str) -> None:
    submitted = read_doc(page).topics["approval-events"]["approval.submitted"]
    assert set(submitted.fields) == {
        "approval_id",
        "version",
        "title",
        "form",
        "requester",
        "fields",
        "cc",
    }
    assert submitted.fields["requester"] == Shape({"id": None, "name": None})


@pytest.mark.parametrize(
    ("edit", "complaint"),
    [
        (("comment_id, author: Person", "author: Person"), "approval.commented: in Commented"),
        (("on_behalf_of, revision}", "on_behalf_of, revision, weight}"), "not in TaskHolding"),
        (('`Person` = `{"id": str, "name": str}`', '`Person` = `{"id": str}`'), ".requester"),
        (("department: {id, name} | null", "department"), "does not spell out DepartmentRef"),
        (("fields}`, plus", "fields: {amount}}`, plus"), "documented as an object"),
        (("| `approval.withdrawn` |", "| `approval.recalled` |"), "approval.withdrawn (Withdrawn)"),
        (("| `approval.withdrawn` |", "| `approval.recalled` |"), "approval.recalled is doc"),
        (("## `approval-results`", "## `approval-outcomes`"), "approval-outcomes is documented"),
    ],
)
def test_a_page_that_parts_from_the_models_is_caught(
    page: str, edit: tuple[str, str], complaint: str
) -> None:
    before, after = edit
    assert before in page
    found = disagreements(read_doc(page.replace(before, after, 1)))
    assert any(complaint in problem for problem in found), found
