"""Regenerate the golden files of tests/golden/ (one scenario's GeoJSON, KML and report table).

The scenario is the founding one with a second target: the Hwasong-12 from Chagang, with Guam
and Tokyo as targets, geodesic model. Each output is made through the command line
(``geo.cli.main``), as a user makes it:

* ``tests/golden/chagang_hwasong-12.geojson``: ``rangemap export --format geojson``;
* ``tests/golden/chagang_hwasong-12.kml``: ``rangemap export --format kml``;
* ``tests/golden/chagang_hwasong-12.report-table.json``: the table of checks of ``rangemap report``
  (``<table class='checks'>``), each cell as its text and its ``data-*`` attributes.

``tests/test_golden.py`` compares fresh outputs with these files structurally (parsed; numbers
within :data:`ABS_TOL` + :data:`REL_TOL` × value). When a change of the outputs is intended, run

    python scripts/regenerate_goldens.py

from the repository root, read ``git diff tests/golden`` and commit the files with the change.
"""

from __future__ import annotations

import json
import sys
import tempfile
from html.parser import HTMLParser
from pathlib import Path

GOLDEN = Path(__file__).resolve().parent.parent / "tests" / "golden"
SCENARIO = ["--site", "Chagang", "--missile", "Hwasong-12", "--target", "Guam", "--target", "Tokyo"]
#: name of the golden file -> (command line before ``-o``, how the output becomes the stored text)
OUTPUTS = {
    "chagang_hwasong-12.geojson": ["export", *SCENARIO, "--format", "geojson"],
    "chagang_hwasong-12.kml": ["export", *SCENARIO, "--format", "kml"],
    "chagang_hwasong-12.report-table.json": ["report", *SCENARIO],
}
#: Numbers agree when |a - b| <= ABS_TOL + REL_TOL * |b|: 1e-6 of a degree is 0.1 m, of a km 1 mm;
#: the outputs round coordinates to 1e-6 degrees or coarser, so only a real change exceeds it.
ABS_TOL = 1e-6
REL_TOL = 1e-9


class _Table(HTMLParser):
    """The rows of the first ``<table class='checks'>``: each cell ``{"text": ..., data-* attributes}``."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.rows: list[list[dict]] = []
        self._depth = 0                       # > 0 inside the table
        self._cell: dict | None = None
        self._done = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and not self._done and "checks" in (attrs.get("class") or "").split():
            self._depth = 1
        elif self._depth and tag == "tr":
            self.rows.append([])
        elif self._depth and tag in ("td", "th"):
            self._cell = {"text": "", **{k: v for k, v in attrs.items() if k.startswith("data-")}}
        elif self._cell is not None and tag == "br":
            self._cell["text"] += " "

    def handle_endtag(self, tag):
        if self._depth and tag == "table":
            self._depth, self._done = 0, True
        elif self._cell is not None and tag in ("td", "th"):
            self._cell["text"] = " ".join(self._cell["text"].split())
            self.rows[-1].append(self._cell)
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell["text"] += data


def report_table(html: str) -> list[list[dict]]:
    """The report's table of checks, row by row (the header row first)."""
    parser = _Table()
    parser.feed(html)
    parser.close()
    if not parser.rows:
        raise ValueError("the report has no <table class='checks'>")
    return parser.rows


def produce(folder: Path, names=None) -> dict[str, str]:
    """Each golden file's (or each of `names`') fresh text, made by the command line in `folder`."""
    from geo.cli.main import main

    texts = {}
    for name in names or OUTPUTS:
        argv = OUTPUTS[name]
        out = folder / ("report.html" if name.endswith(".report-table.json") else name)
        status = main([*argv, "-o", str(out)])
        if status != 0:
            raise RuntimeError(f"rangemap {' '.join(argv)} exited with status {status}")
        text = out.read_text(encoding="utf-8")
        if out.name == "report.html":
            text = json.dumps(report_table(text), indent=1, ensure_ascii=False) + "\n"
        texts[name] = text
    return texts


def main() -> int:
    GOLDEN.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="rangemap-golden-") as tmp:
        for name, text in produce(Path(tmp)).items():
            (GOLDEN / name).write_text(text, encoding="utf-8")
            print(f"wrote {GOLDEN / name} ({len(text.encode('utf-8')):,} bytes)")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    sys.exit(main())
