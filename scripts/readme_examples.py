"""Regenerate the README's console examples by running them: the docs cannot drift from the tool.

Every ```` ```console ```` block of README.md holds commands (``$ rangemap ARGS``), each followed by
what it prints: the notes on stderr first, then stdout. This script runs each command through
:func:`geo.cli.main` and writes its real output back in place. An example may show only the head
of a long output: a last line ``  ...`` keeps that many lines and the marker.

Usage::

    python scripts/readme_examples.py           # rewrite README.md in place
    python scripts/readme_examples.py --check   # exit 1, listing the differences, when README and tool differ

``tests/test_readme_examples.py`` runs :func:`examples` and :func:`run` and fails on any difference.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shlex
import sys
import tempfile
from pathlib import Path
from typing import NamedTuple

README = Path(__file__).resolve().parents[1] / "README.md"
ELLIPSIS = "  ..."
_BLOCK = re.compile(r"^```console\n(.*?)^```$", re.S | re.M)

__all__ = ["Example", "examples", "run", "render", "regenerate", "README", "ELLIPSIS"]


class Example(NamedTuple):
    """One command of a console block and the lines the README shows for it."""

    command: str
    shown: list[str]

    @property
    def truncated(self) -> bool:
        return bool(self.shown) and self.shown[-1] == ELLIPSIS

    def expected(self, output: list[str]) -> list[str]:
        """What the README should show for `output`: all of it, or as many head lines as it shows now."""
        if not self.truncated:
            return output
        head = output[:len(self.shown) - 1]
        return head + [ELLIPSIS] if len(output) > len(head) else head


def _parse(block: str) -> list[Example]:
    out: list[Example] = []
    for line in block.splitlines():
        if line.startswith("$ "):
            out.append(Example(line[2:], []))
        elif out:
            out[-1].shown.append(line)
    return out


def examples(text: str) -> list[list[Example]]:
    """The examples of each console block of README text `text`."""
    return [_parse(m[1]) for m in _BLOCK.finditer(text)]


def run(command: str) -> list[str]:
    """The lines `command` (``rangemap ARGS``) prints: stderr first, then stdout."""
    from geo.cli.main import main

    argv = shlex.split(command)
    if not argv or argv[0] != "rangemap":
        raise ValueError(f"a README console example must run rangemap: {command!r}")
    out, err = io.StringIO(), io.StringIO()
    here = os.getcwd()
    with tempfile.TemporaryDirectory(prefix="rangemap-readme-") as tmp:
        os.chdir(tmp)                              # files an example writes (-o x.csv) go to a scratch folder
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                main(argv[1:])
        finally:
            os.chdir(here)
    return err.getvalue().splitlines() + out.getvalue().splitlines()


def render(block: list[Example], outputs: list[list[str]]) -> str:
    """A console block's body from its examples and their outputs."""
    lines = []
    for example, output in zip(block, outputs):
        lines += [f"$ {example.command}", *example.expected(output)]
    return "\n".join(lines) + "\n"


def regenerate(text: str) -> str:
    """README text `text` with every console example's output replaced by the tool's."""
    def one(match) -> str:
        block = _parse(match[1])
        return f"```console\n{render(block, [run(e.command) for e in block])}```"

    return _BLOCK.sub(one, text)


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    text = README.read_text(encoding="utf-8")
    new = regenerate(text)
    if "--check" in argv:
        if new != text:
            import difflib

            sys.stdout.writelines(difflib.unified_diff(text.splitlines(True), new.splitlines(True), "README.md",
                                                       "tool output"))
            return 1
        return 0
    if new != text:
        README.write_text(new, encoding="utf-8")
        print(f"{README}: console examples regenerated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
