"""Benchmark: how fast the live map redraws a 13,000 km ring (aim: under 50 ms), in headless Chromium.

Loads a live map (``geo.outputs.live.build_live_map``, the founding scenario) in Debian's
Chromium through Playwright and times, inside the page with ``performance.now()``,
median and max over ``--repeat`` runs after a warm-up:

* ``geometry``: ``rangemapRings.ring(lat, lon, 13000)`` alone (adaptive sampling with
  GeographicLib, pole cap, clipping to the display box);
* ``redraw``: ``window.rangemap.setSite(...)`` with the 13,000 km range, each time a site a
  little further east so that nothing is cached: the ring geometry, the Leaflet layers, the
  target checks and paths, the panel and the URL fragment;
* ``redraw + frame``: the same until the browser has painted the next frame;

and, for scale, ``geo.core.rings.display_ring`` for the same rings in this Python process
(the ratio is Python's time over the page's geometry time).

    python benchmarks/live.py               # 30 runs of each
    python benchmarks/live.py --repeat 3    # smoke run (the test runs run() in its own browser, 1 run)
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

RANGE_KM = 13_000.0
AIM_MS = 50.0
SITE = (41.369883, 126.913631)          # Hoejung-ri (Chagang)
CHROMIUM = "/usr/bin/chromium"

TIMING_JS = """async ([lat, lon, km, n]) => {
    const ring = [], redraw = [], frame = [];
    const nextFrame = () => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
    window.rangemap.setRange(km);
    for (let i = 0; i < 5; i++) window.rangemapRings.ring(lat, lon + 0.01 * i, km);       // warm-up
    for (let i = 0; i < n; i++) {
        let t = performance.now();
        window.rangemapRings.ring(lat, lon + 0.013 * (i + 1), km);
        ring.push(performance.now() - t);
        t = performance.now();
        window.rangemap.setSite(lat, lon + 0.017 * (i + 1));
        redraw.push(performance.now() - t);
        await nextFrame();
        t = performance.now();
        window.rangemap.setSite(lat - 0.011 * (i + 1), lon);
        await nextFrame();
        frame.push(performance.now() - t);
    }
    return {ring, redraw, frame, vertices: window.rangemapRings.ring(lat, lon, km).curve.length};
}"""


def stats(values) -> str:
    return f"median {statistics.median(values):7.2f} ms   max {max(values):7.2f} ms"


def run(browser, repeat: int) -> list[str]:
    """The report's lines: the live map timed in a new page of `browser` (a Playwright Chromium)."""
    from geo.core.rings import display_ring
    from geo.outputs.live import build_live_map, write_live_map

    with tempfile.TemporaryDirectory() as tmp:
        path = write_live_map(build_live_map("Chagang", "Hwasong-12", ["Guam"]), Path(tmp) / "live.html")
        page = browser.new_page(viewport={"width": 1200, "height": 800})
        try:
            page.goto(path.as_uri())
            page.wait_for_function("window.rangemap && window.rangemap.ready === true", timeout=30_000)
            result = page.evaluate(TIMING_JS, [SITE[0], SITE[1], RANGE_KM, repeat])
        finally:
            page.close()

    python = []
    for i in range(max(3, min(repeat, 10))):
        t = time.perf_counter()
        display_ring(SITE[0], SITE[1] + 0.013 * (i + 1), RANGE_KM)
        python.append((time.perf_counter() - t) * 1000.0)

    ratio = statistics.median(python) / statistics.median(result["ring"])
    verdict = "yes" if statistics.median(result["redraw"]) < AIM_MS else "NO"
    return [f"live map: {RANGE_KM:,.0f} km ring from {SITE[0]}, {SITE[1]} ({result['vertices']} vertices); "
            f"Chromium {browser.version}; {platform.machine()}, {os.cpu_count()} cores; {repeat} runs",
            f"geometry (rings.js)          {stats(result['ring'])}",
            f"redraw (setSite)             {stats(result['redraw'])}",
            f"redraw + next frame painted  {stats(result['frame'])}",
            f"python display_ring          {stats(python)}",
            f"python / page geometry: {ratio:.1f}x",
            f"redraw under {AIM_MS:.0f} ms (median): {verdict}"]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--repeat", type=int, default=30, help="timed runs of each (default 30)")
    args = parser.parse_args(argv)
    if not os.access(CHROMIUM, os.X_OK):
        sys.exit(f"benchmarks/live.py needs {CHROMIUM}: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        try:
            lines = run(browser, args.repeat)
        finally:
            browser.close()
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
