"""Every message a raise site can send has a Korean entry with the same placeholders.

The English template is the message id, so English always exists; Korean comes from
`dojang.kernel.i18n.ko.CATALOG`. The templates are collected from the source (an AST walk of
src/dojang), so a message added anywhere is checked without being registered. A failure
prints the missing entries ready to paste into the catalog.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import dojang
from dojang.kernel import errors as kernel_errors
from dojang.kernel.i18n import ko
from dojang.kernel.i18n.ko_parts import parts
from dojang.kernel.i18n.messages import placeholders
from dojang.kernel.web.problems import ROUTING_DETAILS, TITLES

SOURCE = Path(dojang.__file__).parent
ERROR_BASES = {
    name
    for name, value in vars(kernel_errors).items()
    if isinstance(value, type) and issubclass(value, kernel_errors.DojangError)
}


@dataclass(frozen=True)
class Site:
    where: str
    template: str | None  # None: not a literal template (an f-string or a concatenation)


def _error_classes(trees: dict[Path, ast.Module]) -> set[str]:
    """Every class of src/dojang that derives, directly or not, from a kernel error."""
    found = set(ERROR_BASES)
    classes = [
        node for tree in trees.values() for node in ast.walk(tree) if isinstance(node, ast.ClassDef)
    ]
    grew = True
    while grew:
        grew = False
        for node in classes:
            bases = {
                b.id if isinstance(b, ast.Name) else getattr(b, "attr", "") for b in node.bases
            }
            if node.name not in found and bases & found:
                found.add(node.name)
                grew = True
    return found


def _callee(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        owner = func.value
        if isinstance(owner, ast.Name):
            return f"{owner.id}.{func.attr}"
        if isinstance(owner, ast.Call) and _callee(owner) == "super":
            return f"super.{func.attr}"
        return f"?.{func.attr}"
    return "?"


def _constants(tree: ast.Module) -> dict[str, str]:
    """The module's top-level `NAME = "text"` assignments."""
    return {
        target.id: node.value.value
        for node in tree.body
        if isinstance(node, ast.Assign)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
        for target in node.targets
        if isinstance(target, ast.Name)
    }


def _site(path: Path, node: ast.expr, constants: dict[str, str]) -> Site | None:
    where = f"{path.relative_to(SOURCE.parent)}:{node.lineno}"
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return Site(where, node.value)
    if isinstance(node, ast.Name) and node.id in constants:
        return Site(where, constants[node.id])
    if isinstance(node, ast.JoinedStr) or (
        isinstance(node, ast.BinOp)
        and any(
            isinstance(part, ast.JoinedStr)
            or (isinstance(part, ast.Constant) and isinstance(part.value, str))
            for part in ast.walk(node)
        )
    ):
        return Site(where, None)
    return None  # a template passed on from elsewhere, checked where it is written


def _message_argument(call: ast.Call, errors: set[str], in_error_class: bool) -> ast.expr | None:
    callee = _callee(call)
    if (
        callee in errors
        or callee in {"msg", "render"}
        or (callee == "super.__init__" and in_error_class)
    ):
        return call.args[0] if call.args else None
    if callee == "problem":
        return call.args[1] if len(call.args) > 1 else None
    if (callee.endswith(".field") and callee.split(".")[0] in errors) or callee == "FieldError":
        return call.args[1] if len(call.args) > 1 else None
    return None


def collect_sites() -> list[Site]:
    """Every message template written in src/dojang, and every pre-formatted one."""
    trees = {path: ast.parse(path.read_text(), str(path)) for path in SOURCE.rglob("*.py")}
    errors = _error_classes(trees)
    sites: list[Site] = []
    for path, tree in trees.items():
        constants = _constants(tree)
        error_class_nodes = {
            id(inner)
            for node in ast.walk(tree)
            if isinstance(node, ast.ClassDef) and node.name in errors
            for inner in ast.walk(node)
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                argument = _message_argument(node, errors, id(node) in error_class_nodes)
                # `within(..., unavailable=...)` is the detail of the 503 it raises
                arguments = [argument, *(k.value for k in node.keywords if k.arg == "unavailable")]
                for given in arguments:
                    site = None if given is None else _site(path, given, constants)
                    if site is not None:
                        sites.append(site)
            if isinstance(node, ast.ClassDef) and node.name in errors:
                for statement in node.body:
                    if (
                        isinstance(statement, ast.Assign)
                        and any(getattr(t, "id", "") == "title" for t in statement.targets)
                        and isinstance(statement.value, ast.Constant)
                    ):
                        sites.append(Site(f"{path.name}:{statement.lineno}", statement.value.value))
    return sites


def test_no_raise_site_passes_a_formatted_sentence() -> None:
    formatted = sorted(site.where for site in collect_sites() if site.template is None)
    assert not formatted, (
        "pass a template and its values, not an f-string or a concatenation:\n  "
        + "\n  ".join(formatted)
    )


def test_every_template_has_a_korean_entry_with_the_same_placeholders() -> None:
    templates = {site.template for site in collect_sites() if site.template is not None}
    templates |= set(TITLES.values()) | set(ROUTING_DETAILS.values())
    missing = sorted(t for t in templates if t not in ko.CATALOG)
    mismatched = sorted(
        t for t in templates if t in ko.CATALOG and placeholders(ko.CATALOG[t]) != placeholders(t)
    )
    assert not missing, (
        "add to src/dojang/kernel/i18n/ko.py CATALOG (or a module of ko_parts):\n"
        + "".join(f"    {t!r}: '',\n" for t in missing)
    )
    assert not mismatched, "placeholders differ from the English template:\n" + "".join(
        f"    {t!r}\n" for t in mismatched
    )


def test_a_template_translated_in_two_places_is_translated_the_same_way() -> None:
    seen: dict[str, tuple[str, str]] = {}
    clashes = []
    for name, part in parts():
        for template, korean in part.items():
            first = seen.setdefault(template, (name, korean))
            if first[1] != korean:
                clashes.append(f"{template!r}: {first[0]} and {name}")
    assert not clashes, "translated differently:\n  " + "\n  ".join(clashes)


def test_the_collector_finds_the_templates_it_should() -> None:
    templates = {site.template for site in collect_sites()}
    assert "There is no employee {employee_id}." in templates
    assert "This field is required." in templates
    assert "Not found" in templates
