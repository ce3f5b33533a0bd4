"""Every metric the alert rules use is one a running `dojang serve` exposes on /metrics."""

from __future__ import annotations

import json
import re

import httpx2
import pytest
import yaml

from tests.deploy.tools import ROOT

from .conftest import RunningDojang

pytestmark = pytest.mark.e2e

RULES = ROOT / "deploy" / "prometheus" / "rules.yaml"
# a name in PromQL that is a metric: not a function, keyword, label or recording rule
_NAME = re.compile(r"\b([a-z_][a-z0-9_]*)\b(?=\s*(?:\{|\[|\)|$|\s))")
_NOT_METRICS = {"by", "without", "and", "or", "unless", "on", "ignoring", "le", "job", "bool"}


def exposed(text: str) -> set[str]:
    """The sample names /metrics can carry: each family with its type's suffixes."""
    names: set[str] = set()
    for line in text.splitlines():
        if line.startswith("# TYPE "):
            _, _, name, kind = line.split()
            suffixes = {
                "histogram": ["_bucket", "_count", "_sum"],
                "counter": ["_total", ""],
                "summary": ["_count", "_sum", ""],
            }.get(kind, [""])
            base = name.removesuffix("_total")
            names.update(base + suffix for suffix in suffixes)
        elif line and not line.startswith("#"):
            names.add(line.split("{")[0].split()[0])
    return names


def rule_metrics() -> set[str]:
    rules = yaml.safe_load(RULES.read_text(encoding="utf-8"))
    used: set[str] = set()
    for group in rules["groups"]:
        for rule in group["rules"]:
            expr = re.sub(r'\{[^}]*\}|"[^"]*"', "", rule["expr"])
            used.update(m for m in _NAME.findall(expr) if m.startswith(("dojang_", "http_")))
    return used


def test_every_metric_of_the_alert_rules_is_exposed(dojang_server: RunningDojang) -> None:
    answer = httpx2.get(f"{dojang_server.base_url}/metrics", timeout=5)
    assert answer.status_code == 200
    used = rule_metrics()
    assert len(used) >= 8
    assert used - exposed(answer.text) == set()


DASHBOARD = ROOT / "deploy" / "grafana" / "dojang.json"


def dashboard_metrics() -> set[str]:
    dashboard = json.loads(DASHBOARD.read_text(encoding="utf-8"))
    queries = [t["expr"] for panel in dashboard["panels"] for t in panel["targets"]]
    queries += [v["query"] for v in dashboard["templating"]["list"] if v["type"] == "query"]
    used: set[str] = set()
    for query in queries:
        # without label matchers, strings and grouping clauses, what is left names metrics
        bare = re.sub(r'\{[^}]*\}|"[^"]*"|\b(?:by|without)\s*\([^)]*\)', "", query)
        used.update(re.findall(r"\b((?:dojang|http)_[a-z0-9_]+)", bare))
    return used


def test_every_metric_of_the_dashboard_is_exposed(dojang_server: RunningDojang) -> None:
    answer = httpx2.get(f"{dojang_server.base_url}/metrics", timeout=5)
    assert answer.status_code == 200
    used = dashboard_metrics()
    assert len(used) >= 10
    assert used - exposed(answer.text) == set()
