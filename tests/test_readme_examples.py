"""The README's console examples are what the tool prints (regenerate with scripts/readme_examples.py)."""

import importlib.util
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "readme_examples.py"
spec = importlib.util.spec_from_file_location("readme_examples", SCRIPT)
readme = importlib.util.module_from_spec(spec)
spec.loader.exec_module(readme)


def test_every_console_example_is_the_tools_output():
    text = readme.README.read_text(encoding="utf-8")
    blocks = readme.examples(text)
    assert sum(len(b) for b in blocks) >= 5            # the examples are found
    for block in blocks:
        for example in block:
            got = example.expected(readme.run(example.command))
            assert example.shown == got, (f"README example '$ {example.command}' differs from the tool's output: "
                                          "run python scripts/readme_examples.py")


def test_a_drifted_example_is_caught_and_rewritten():
    text = ("```console\n$ rangemap check --site Chagang --missile KN-17 --target Guam\n"
            "Hwasong-12 from Chagang to Guam: in range\n  flight time about 19 min (16.5 min + 2.9 min)\n  ...\n```\n")
    (example,), = readme.examples(text)
    assert example.truncated and example.shown != example.expected(readme.run(example.command))
    new = readme.regenerate(text)
    assert "2.9 min" not in new and new.count("\n  ...\n") == 1
    (fixed,), = readme.examples(new)
    assert fixed.shown == fixed.expected(readme.run(fixed.command))
