"""Tests of geo.outputs.report without a browser: one self-contained, escaped HTML document."""

from __future__ import annotations

import datetime as dt
import html
import os
import re
from html.parser import HTMLParser
from urllib.parse import unquote

import pytest

import geo
from geo.catalog.tables import Missile, Place, default_catalog
from geo.catalog.countries import COUNTRIES_SOURCE
from geo.errors import InputError
from geo.analysis.reach import check, check_table
from geo.outputs.report import build_report, write_report

CAT = default_catalog()
#: Hostile text for every user string of a report.
HOSTILE = ("<img src=x onerror=alert(1)>", "</script><script>alert(1)</script>", "\"quotes' `ticks` ${alert(1)}",
           "{{ 7*7 }} {% if 1 %}jinja{% endif %}")
WHEN = dt.datetime(2026, 3, 4, 5, 6, tzinfo=dt.timezone.utc)


def founding(**kw):
    return build_report([CAT.site("Chagang")], [CAT.missile("Hwasong-12")], [CAT.target("Guam")], generated=WHEN, **kw)


SCENARIO = ([CAT.site("Chagang"), CAT.site("Sohae")], [CAT.missile("Hwasong-12"), CAT.missile("KN-23")],
            [CAT.target("Guam"), CAT.target("Tokyo"), CAT.target("Honolulu"), CAT.target("Seoul")])


@pytest.fixture(scope="module")
def scenario_report():
    return build_report(*SCENARIO, title="Two sites, two missiles", generated=WHEN)


def hostile_inputs():
    site = Place(HOSTILE[0], 41.37, 126.91, source=HOSTILE[3], notes=HOSTILE[2], country=HOSTILE[1],
                 confidence=HOSTILE[2])
    missile = Missile(HOSTILE[2], 4500.0, 4000.0, 5000.0, source=HOSTILE[1], notes=HOSTILE[0], type=HOSTILE[3])
    target = Place(HOSTILE[1], 13.58, 144.92, source=HOSTILE[0], notes=HOSTILE[3], country=HOSTILE[2])
    return [site], [missile], [target]


def hostile_report():
    return build_report(*hostile_inputs(), title=" | ".join(HOSTILE), generated=WHEN)


class Parsed(HTMLParser):
    """Table rows of the checks table, every tag's attributes, and the text outside scripts."""

    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.tags, self.text, self.rows = [], [], []
        self._table = self._row = self._cell = None
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag == "table" and "checks" in (attrs.get("class") or ""):
            self._table = True
        elif tag == "tr" and self._table:
            self._row = []
        elif tag == "td" and self._row is not None:
            self._cell = {"attrs": attrs, "text": ""}

    def handle_endtag(self, tag):
        if tag == "td" and self._cell is not None:
            self._row.append(self._cell)
            self._cell = None
        elif tag == "tr" and self._row is not None:
            if self._row:
                self.rows.append(self._row)
            self._row = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data):
        self.text.append(data)
        if self._cell is not None:
            self._cell["text"] += data


def section(page: str, name: str) -> str:
    return re.search(rf"<section id='{name}'>(.*?)</section>", page, flags=re.S)[1]


def srcdoc(page: str) -> str:
    (frame,) = [a for t, a in Parsed(page).tags if t == "iframe"]
    return frame["srcdoc"]


# --- content ------------------------------------------------------------------------------

def test_table_rows_are_check_table_exactly(scenario_report):
    table = check_table(*SCENARIO)
    rows = Parsed(scenario_report).rows
    assert len(rows) == len(table) == 2 * 2 * 4
    for cells, (_, want) in zip(rows, table.iterrows()):
        site, missile, target, dist, rng, margin, verdict, time = cells
        assert (site["text"], missile["text"], target["text"]) == (want.site, want.missile, want.target)
        for cell, key in ((dist, "distance_km"), (rng, "range_km"), (margin, "margin_km")):
            assert float(cell["attrs"]["data-value"]) == pytest.approx(want[key], abs=5e-4)
            assert cell["text"].replace("\u2212", "-").replace(",", "").lstrip("+") == f"{want[key]:.0f}"
        assert verdict["attrs"]["data-verdict"] == want.verdict and verdict["text"] == want.verdict
        c = check(want.site, want.missile, want.target, catalog=CAT)
        if c.flight_time_min is None:
            assert "beyond reach" in time["text"] and "data-free" not in time["attrs"]
        else:
            assert time["text"].startswith(f"{c.flight_time_min:.1f}")
            assert float(time["attrs"]["data-free"]) == pytest.approx(c.free_flight_min, abs=5e-4)
            assert float(time["attrs"]["data-boost"]) == pytest.approx(c.boost_min, abs=5e-4)


def test_verdicts_are_colour_coded_and_named(scenario_report):
    from geo.outputs.webmap import VERDICT_COLORS

    shown = set(re.findall(r"data-verdict='([^']+)'>(<span class='verdict' style='[^']*border-color:(#\w+))",
                           scenario_report))
    assert {(v, c) for v, _, c in shown} == {(v, VERDICT_COLORS[v]) for v in
                                             set(check_table(*SCENARIO).verdict)}


def test_summary_has_a_sentence_per_site_and_missile(scenario_report):
    summary = section(scenario_report, "summary")
    items = re.findall(r"<li>(.*?)</li>", summary, flags=re.S)
    assert len(items) == 4
    first = html.unescape(re.sub(r"<[^>]+>", "", items[0]))
    assert first.startswith("From Hoejung-ri missile operating base (Chagang), the Hwasong-12 (IRBM; nominal range "
                            "4,500 km")
    assert "has 3 of 4 targets in range" in first
    assert "Guam (Andersen AFB) at 3,540 km (margin +960 km, flight about 17 min)" in first
    assert "Honolulu at 7,268 km (2,768 km beyond the range)" in first


def test_title_date_and_version():
    page = founding(title="Hwasong-12 & Guam")
    assert "<title>Hwasong-12 &amp; Guam</title>" in page and "<h1>Hwasong-12 &amp; Guam</h1>" in page
    assert f"Generated 2026-03-04 05:06 UTC by rangemap {geo.__version__}" in page
    assert f"<meta name='generator' content='rangemap {geo.__version__}'>" in page
    assert "<h1>Hwasong-12 from Hoejung-ri missile operating base (Chagang)</h1>" in founding()


def test_sources_of_every_figure_used(scenario_report):
    sources = html.unescape(section(scenario_report, "sources"))
    for item in (*SCENARIO[0], *SCENARIO[1], *SCENARIO[2]):
        assert item.source and item.source in sources, item.name
        assert re.search(rf"{re.escape(item.name)}</td>.*?<td>{re.escape(item.source)}</td><td><abbr title='[^']+'>"
                         rf"{re.escape(item.confidence)}</abbr>", sources, flags=re.S), item.name
    assert f"Country outlines: {COUNTRIES_SOURCE}." in sources
    page = build_report([Place("Nowhere", 10.0, 20.0)], [Missile("M", 1000.0)], [Place("There", 11.0, 21.0)])
    assert section(page, "sources").count("<span class='missing'>not given</span>") == 3


def test_assumptions(scenario_report):
    text = html.unescape(re.sub(r"<[^>]+>", "", section(scenario_report, "assumptions")))
    for phrase in ("WGS84 ellipsoid", "Karney", "within 1 km of the true geodesic circle", "nominal maximum ranges",
                   "possibly in range: inside the band", "too close: under a known minimum range",
                   "maximum-range shot", "Kepler coast", "thrust cut off", "±85.05°", "azimuthal equidistant",
                   "Natural Earth", "Not used in this report"):
        assert phrase in text, phrase


def test_rotating_model_report_judges_by_the_reach_toward_each_target():
    site, missile, target = CAT.site("Sohae"), CAT.missile("Hwasong-14"), CAT.target("Los Angeles")
    page = build_report(site, missile, [target, CAT.target("Guam")], model="rotating", generated=WHEN)
    rot, geo_ = check(site, missile, target, model="rotating"), check(site, missile, target)
    cells = Parsed(page).rows[0]
    assert float(cells[4]["attrs"]["data-value"]) == pytest.approx(rot.range_km, abs=5e-4)
    assert cells[6]["attrs"]["data-verdict"] == rot.verdict and cells[7]["attrs"]["data-verdict"] == geo_.verdict
    assert "Reach toward target (km, rotating Earth)" in page and "Verdict (geodesic)" in page
    assumptions = section(page, "assumptions")
    assert "Used here: the reach depends on the direction of fire" in assumptions
    assert "on a rotating Earth" in section(page, "summary")
    assert "reach on a rotating Earth" in html.unescape(srcdoc(page))                  # the dashed outline


def test_no_targets():
    page = build_report(CAT.site("Chagang"), "Hwasong-12", (), generated=WHEN)
    assert "no targets given" in section(page, "summary") and "No targets given." in page
    assert Parsed(page).rows == []


@pytest.mark.parametrize("args, kw, message", [
    (([], ["Hwasong-12"], []), {}, "at least one launch site and one missile"),
    ((["Chagang"], [], []), {}, "at least one launch site and one missile"),
    ((["Chagang"], ["Hwasong-12"], []), {"model": "flat"}, "unknown model 'flat'")])
def test_bad_input(args, kw, message):
    with pytest.raises(InputError, match=message):
        build_report(*args, **kw)


# --- self-contained: no network ---------------------------------------------------------

REMOTE = re.compile(r"""(?ix)
    <(script|img|iframe|source|video|audio|embed)\b[^>]*\bsrc\s*=\s*["']?\s*(https?:)?//
  | <link\b[^>]*\bhref\s*=\s*["']?\s*(https?:)?//
  | <object\b[^>]*\bdata\s*=\s*["']?\s*(https?:)?//
  | url\(\s*["']?\s*(https?:)?//
  | @import
  | srcset\s*=""")


def test_no_remote_resource_anywhere_in_the_report_or_its_map(scenario_report):
    inner = srcdoc(scenario_report)
    for doc in (scenario_report, inner):
        assert not REMOTE.search(doc)
    figure = unquote(re.search(r"<img src='data:image/svg\+xml;charset=utf-8,([^']*)'", scenario_report)[1])
    assert figure.startswith("<svg") and not re.search(r"(href|src)=\"(https?:)?//", figure)
    assert not re.search(r"<(script|link|img|iframe)\b[^>]*\b(src|href)=[\"']?(?!data:)[a-z]+:", scenario_report)
    tags = Parsed(scenario_report).tags
    assert [t for t, _ in tags].count("script") == 0                            # scripts only inside the frame
    assert [a.get("src", "")[:19] for t, a in tags if t == "img"] == ["data:image/svg+xml;"]
    frame = next(a for t, a in tags if t == "iframe")
    assert frame["sandbox"] == "allow-scripts" and "src" not in frame
    csp = next(a["content"] for t, a in tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy")
    assert "default-src 'none'" in csp and "img-src data: blob:" in csp
    assert "L.tileLayer(" not in inner and "{z}" not in inner and "rangemap.land(" in inner   # the offline map


def test_print_css_leaves_the_frame_out_and_prints_the_figure_full_width(scenario_report):
    css = re.search(r"<style>(.*?)</style>", scenario_report, flags=re.S)[1]
    printed = css[css.index("@media print"):]
    assert re.search(r"\.map-block, iframe \{ display: none !important; \}", printed)
    assert "figure img { max-width: none; width: 100%" in printed
    assert "tr, li, dt, dd { break-inside: avoid" in printed and "thead { display: table-header-group; }" in printed
    assert "@page { margin:" in css


def test_report_size_and_figure_are_reasonable(scenario_report):
    assert len(founding().encode()) < 1_500_000 and len(scenario_report.encode()) < 2_500_000
    figure = unquote(re.search(r"charset=utf-8,([^']*)'", scenario_report)[1])
    paths = re.findall(r' d="([^"]*)"', figure)
    assert "<metadata>" not in figure and len(paths) > 20 and not any(re.search(r"\d\.\d\d", d) for d in paths)


# --- escaping ------------------------------------------------------------------------------

def test_hostile_names_are_escaped_everywhere():
    page = hostile_report()
    for text in HOSTILE:
        assert text not in page or not set(text) & set("<>\"'&")                 # only ones with nothing to escape
    assert "<img src=x" not in page and "</script><script>" not in page and "${alert(1)}" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page and "&lt;/script&gt;&lt;script&gt;" in page
    assert "&quot;quotes&#x27; `ticks`" in page
    shown = "".join(Parsed(page).text)                                           # what a reader sees
    for text in HOSTILE:
        assert text in shown
    assert "{{ 7*7 }}" in shown and not re.search(r"(?<![\d,.])49(?![\d,])", shown)
    tags = Parsed(page).tags
    assert not [a for t, a in tags if t == "img" and a.get("src") == "x"]
    assert not any(k.startswith("on") for _, a in tags for k in a)             # no event handler attributes
    inner = srcdoc(page)                                                         # the map, as its frame parses it
    assert "<img src=x" not in inner and "</script><script>" not in inner
    import json

    from test_render import blob

    assert '"{{ 7*7 }} {% if 1 %}jinja{% endif %}"' in json.dumps(blob(inner))   # plain JSON text, never a template


def test_hostile_title_does_not_break_the_head():
    page = hostile_report()
    head = page[:page.index("</head>")]
    assert head.count("<title>") == 1 and head.count("</title>") == 1 and "<script" not in head


# --- writing -------------------------------------------------------------------------------

def test_write_report_atomically(tmp_path):
    out = tmp_path / "report.html"
    out.write_text("old", encoding="utf-8")
    page = founding()
    assert write_report(page, out) == out and out.read_text(encoding="utf-8") == page
    assert os.listdir(tmp_path) == ["report.html"]


@pytest.mark.parametrize("where", ["missing/report.html", "."])
def test_write_report_to_an_unwritable_path(tmp_path, where):
    with pytest.raises(InputError, match="cannot write"):
        write_report(founding(), tmp_path / where)
    assert os.listdir(tmp_path) == []


def test_write_report_failing_midway_leaves_no_file(tmp_path, monkeypatch):
    def refuse(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(InputError, match="No space left on device"):
        write_report(founding(), tmp_path / "report.html")
    assert os.listdir(tmp_path) == []


# --- catalog notes for readers (issue 13) -----------------------------------------------

def test_report_shows_notes_for_readers_not_about_the_catalogs_upkeep():
    from geo.outputs.report import reader_note

    upkeep = Place("Los Angeles (City Hall)", 34.0537, -118.2428, source="city-hall coordinates",
                   notes="No source in the project reference; commonly quoted city-centre point near City Hall")
    graded = Missile("Iskander-M", 500.0, source="Reuters, 2018",
                     notes="Rests on a single news report (the project reference grades it H)")
    page = build_report([CAT.site("Chagang")], [graded], [upkeep, CAT.target("Guam")], generated=WHEN)
    page = re.sub(r"(?s)<iframe.*?</iframe>", "", page)        # the embedded web map has its own popups
    assert "project reference" not in page
    assert "<td>Commonly quoted city-centre point near City Hall</td>" in page
    assert "<td>Rests on a single news report</td>" in page
    assert "<td>Andersen Air Force Base</td>" in page                # a reader's note stays as it is
    assert reader_note("Estimate. Nominal 690 km = longest observed flight (2019, ROK JCS)") == \
        "Estimate. Nominal 690 km = longest observed flight (2019, ROK JCS)"
    assert reader_note("") == "" and reader_note("See the catalog; verify") == "Verify"


def test_every_builtin_note_the_report_shows_is_free_of_upkeep_words():
    from geo.outputs.text import _UPKEEP, reader_note

    for row in (*CAT.sites, *CAT.missiles, *CAT.targets):
        assert not _UPKEEP.search(reader_note(row.notes)), row.name


def test_the_reports_map_shows_the_units_the_report_uses():
    import html as _html

    page = _html.unescape(build_report("Chagang", "Hwasong-12", "Guam", units="mi"))
    assert "Hwasong-12 · 2,796 mi" in page and "Hwasong-12 · 4,500 km" not in page


def test_the_report_writes_no_temporary_file_and_computes_its_comparison_from_the_assessment(monkeypatch):
    import tempfile

    import geo.analysis.assessment as assessment

    def refuse(*args, **kwargs):
        raise AssertionError("the report wrote a temporary file")

    for name in ("TemporaryDirectory", "NamedTemporaryFile", "TemporaryFile", "mkstemp", "mkdtemp",
                 "SpooledTemporaryFile"):
        monkeypatch.setattr(tempfile, name, refuse)
    a = assessment.assess(assessment.Scenario.resolve("Sohae", "Hwasong-14", "Los Angeles", model="rotating"))
    calls = []
    real = assessment.assess
    monkeypatch.setattr(assessment, "assess", lambda scenario: calls.append(scenario.model) or real(scenario))
    page = build_report(a, generated=WHEN)
    figure = unquote(re.search(r"<img src='data:image/svg\+xml;charset=utf-8,([^']*)'", page)[1])
    assert figure.startswith("<svg") and "Los Angeles" in figure
    assert calls == ["geodesic"]                   # the geodesic comparison, once, through the Assessment
    assert a.geodesic() is a.geodesic() and len(calls) == 1
    assert "Verdict (geodesic)" in page
