"""The ``rangemap`` command line: the parser and the dispatch, one module per command.

``main(argv)`` returns the exit status: 0 on success, 2 on bad input (one line on
stderr naming the problem and the fix, no traceback, no output file).

>>> main(["check", "--site", "Chagang", "--missile", "HS-12", "--target", "Guam"])
Hwasong-12 from Hoejung-ri missile operating base (Chagang) to Guam (Andersen AFB): in range
  distance 3,540 km, range 4,500 km (band 4,500-5,000 km), margin +960 km, bearing 145.2°
  flight time about 17 min (2.8 min boost + 14.1 min coast; maximum-range programme cut off to land there)
  overflight: North Korea 0-180 km, Japan 846-1,053 km, Guam 3,539-3,540 km
  (WGS84 geodesic (Karney); nominal range on a non-rotating Earth; range: CSIS Missile Threat; UCS (D. Wright); ROK JCS)
0
"""

from __future__ import annotations

import argparse
import importlib
import re
import sys

from ..core.cache import sweep
from ..errors import InputError, RangemapError
from ..validate import control_character, describe_character, quote, terminal
from .options import Parser, finish
from .progress import reporting

__all__ = ["main", "COMMANDS"]

#: Command name → module (in :mod:`geo.cli`) with ``add_parser(sub)`` and ``run(args, out)``.
COMMANDS = {"map": "map", "check": "check", "list": "listing", "export": "export", "coverage": "coverage",
            "report": "report", "loft": "loft", "find": "find", "threats": "threats"}


def _module(command: str):
    return importlib.import_module(f"{__package__}.{COMMANDS[command]}")


def _parser() -> argparse.ArgumentParser:
    from .. import __version__

    parser = Parser(prog="rangemap", description="Exact ballistic-missile range rings and in-range "
                    "checks on the WGS84 ellipsoid.")
    parser.add_argument("--version", action="version", version=f"rangemap {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    sub.required = True
    for command in COMMANDS:
        _module(command).add_parser(sub)
    return parser


_PLACE_OPTIONS = ("--site", "--target")
_SOUTH_OR_WEST = re.compile(r"-\d[\d.]*\s*,?\s*[-+]?[\d.]+")


def _join_negative_places(argv: list[str]) -> list[str]:
    """``--site -12.4,130.9`` as ``--site=-12.4,130.9``: argparse would take the value for an option."""
    out: list[str] = []
    for arg in argv:
        if out and out[-1] in _PLACE_OPTIONS and _SOUTH_OR_WEST.fullmatch(arg):
            out[-1] = f"{out[-1]}={arg}"
        else:
            out.append(arg)
    return out


#: Options whose text may hold line breaks and tabs (no other control character).
_FREE_TEXT_OPTIONS = ("--title",)


def _check_argv(argv: list[str]) -> None:
    """Text hygiene at the door: no argument may hold a control character or undecodable bytes."""
    for i, arg in enumerate(argv):
        if not isinstance(arg, str):
            raise InputError(f"argument {i + 1} {arg!r} is not text")
        option = arg.split("=", 1)[0] if arg.startswith("--") and "=" in arg else \
            argv[i - 1] if i and argv[i - 1].startswith("-") and argv[i - 1] != "-" else None
        bad = control_character(arg, allow_breaks=option in _FREE_TEXT_OPTIONS)
        if bad is None:
            continue
        what = f"the value of {option}" if option else f"argument {i + 1}"
        hint = " (bytes that are not UTF-8)" if 0xD800 <= ord(bad) <= 0xDFFF else ""
        raise InputError(f"{what} {quote(arg)} contains {describe_character(bad)}{hint}: remove it")


def main(argv: list[str] | None = None) -> int:
    """Run ``rangemap`` with `argv` (default: ``sys.argv[1:]``) and return the exit status.

    Every error a user can cause prints one line (user text in it escaped, so it cannot add a
    line or a terminal sequence) and returns 2.
    """
    ok = False
    try:
        argv = list(sys.argv[1:] if argv is None else argv)
        sweep()                                 # what killed runs left behind
        _check_argv(argv)
        args = _parser().parse_args(_join_negative_places(argv))
        with reporting():                      # slow first-run steps say so on stderr
            _module(args.command).run(args, sys.stdout)
        ok = True
    except RangemapError as e:
        print(f"rangemap: error: {terminal(str(e))}", file=sys.stderr)
        return 2
    except MemoryError:
        print("rangemap: error: not enough memory for this run: use fewer or smaller inputs", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("rangemap: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except SystemExit as e:   # --help and --version
        return e.code if isinstance(e.code, int) else 0
    finally:
        finish(ok, sys.stderr)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
