"""``rangemap report``: one self-contained HTML report (map, figure, table, sources)."""

from __future__ import annotations

from ..analysis.assessment import assess
from ..errors import InputError
from . import options

__all__ = ["add_parser", "run"]


def add_parser(sub) -> None:
    r = sub.add_parser("report", help="write one self-contained HTML report: map, figure, table, sources",
                       description="Write an HTML report that works offline and prints well: the interactive "
                       "map, the print figure, every site x missile x target with distance, margin, verdict "
                       "and flight time, the assumptions and the source of every figure.")
    options.add_scenario(r)
    r.add_argument("-o", "--output", metavar="PATH", help="output file (default: maps/<scenario>-report.html); "
                   "'-' for standard output")


def run(args, out) -> None:
    scenario = options.scenario(args)
    path = options.output_path(args, scenario, "html", "-report")
    if not options.to_stdout(args) and path.suffix.lower() not in (".html", ".htm"):
        raise InputError(f"output {path} must end in .html: the report is one HTML document")
    from ..outputs.report import build_report, write_report

    write_report(build_report(assess(scenario), title=args.title, units=args.units), path)
    if not options.to_stdout(args):
        out.write(f"{path}\n")
