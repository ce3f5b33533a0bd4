"""Write the chart's golden manifests: `python -m tests.deploy.golden` after a chart change.

Each example values file renders to `golden/<example>.yaml`; the test compares them, so a
change of the chart shows in review as a change of what it renders.
"""

from __future__ import annotations

from tests.deploy.tools import CHART, EXAMPLES, render

GOLDEN = CHART / "golden"


def golden_of(example_name: str) -> str:
    return (GOLDEN / example_name).read_text(encoding="utf-8")


def main() -> None:
    GOLDEN.mkdir(exist_ok=True)
    for example in EXAMPLES:
        (GOLDEN / example.name).write_text(render(example), encoding="utf-8")
        print(f"wrote {GOLDEN / example.name}")


if __name__ == "__main__":
    main()
