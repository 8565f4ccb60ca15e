"""Label placement: site, ring and target labels that overlap no other label, marker, scale bar or leader
line; a label that fits nowhere is left out (and counted).

Examples
--------
>>> _NEAR[:2], _LEADER_PT[0]
(((1, 0), (-1, 0)), 12)
"""

from __future__ import annotations

import numpy as np
from matplotlib.lines import Line2D

from ..formatting import length, number, to_units, verdict_text
from ..style import FIGURE_COLORS
from .drawing import anchors
from .metrics import TextMetrics

__all__ = ["Placer", "place_labels"]

# Labels sit on a soft white box (not a stroke effect, which would turn SVG/PDF text into paths).
_BOX_PAD = 0.12
_TEXT = dict(parse_math=False, annotation_clip=False, zorder=6, textcoords="offset points",
             bbox=dict(boxstyle=f"round,pad={_BOX_PAD}", facecolor="white", edgecolor="none", alpha=0.78))


class Placer:
    """Label placement on one axes, in display pixels: boxes and leader lines taken so far."""

    def __init__(self, fig, ax):
        self.fig, self.ax = fig, ax
        self.renderer = fig.canvas.get_renderer()
        f = ax.get_window_extent(self.renderer)
        self.frame = (f.x0, f.y0, f.x1, f.y1)
        self.px = fig.dpi / 72.0
        #: The sizes of the labels measured so far (one figure build).
        self.metrics = TextMetrics(self.renderer, fig.dpi)
        self.boxes = np.empty((0, 4))
        self.points = np.empty((0, 2))
        #: Where the markers crowd (their mean, pixels): leader lines point away from it.
        self.crowd = np.array([(f.x0 + f.x1) / 2, (f.y0 + f.y1) / 2])

    def to_px(self, xy):
        return np.asarray(self.ax.transData.transform(xy), dtype=float)

    def block(self, box) -> None:
        self.boxes = np.vstack([self.boxes, np.asarray(box, dtype=float).reshape(1, 4)])

    def block_marker(self, xy, size_pt: float) -> None:
        x, y = self.to_px(xy)
        r = (size_pt / 2 + 1.0) * self.px
        self.block((x - r, y - r, x + r, y + r))

    def free(self, boxes: np.ndarray) -> np.ndarray:
        """Which candidate boxes (K, 4) lie in the frame and clear of every box and leader line taken."""
        fx0, fy0, fx1, fy1 = self.frame
        ok = (boxes[:, 0] >= fx0) & (boxes[:, 1] >= fy0) & (boxes[:, 2] <= fx1) & (boxes[:, 3] <= fy1)
        if len(self.boxes):
            b = self.boxes
            hit = ((boxes[:, None, 0] < b[None, :, 2]) & (boxes[:, None, 2] > b[None, :, 0])
                   & (boxes[:, None, 1] < b[None, :, 3]) & (boxes[:, None, 3] > b[None, :, 1]))
            ok &= ~hit.any(axis=1)
        if len(self.points):
            p = self.points
            on = ((p[None, :, 0] > boxes[:, None, 0]) & (p[None, :, 0] < boxes[:, None, 2])
                  & (p[None, :, 1] > boxes[:, None, 1]) & (p[None, :, 1] < boxes[:, None, 3]))
            ok &= ~on.any(axis=1)
        return ok

    def leader_clear(self, start, end) -> tuple[bool, np.ndarray]:
        """Whether the segment from `start` to `end` (pixels) crosses no box taken; its sample points."""
        n = max(2, int(np.hypot(*(end - start)) / (2 * self.px)))
        pts = start + np.linspace(0.0, 1.0, n)[:, None] * (end - start)
        b = self.boxes
        inside = ((pts[:, None, 0] > b[None, :, 0]) & (pts[:, None, 0] < b[None, :, 2])
                  & (pts[:, None, 1] > b[None, :, 1]) & (pts[:, None, 1] < b[None, :, 3]))
        return not inside.any(), pts

    def label_size(self, label) -> tuple[float, float]:
        """Width and height (pixels) of an unrotated label with its white box."""
        width, height = self.metrics.size(label)
        pad = 2 * (_BOX_PAD * label.get_fontsize() + 1.0) * self.px
        return width + pad, height + pad


def place_labels(placer: Placer, ax, proj, a, best, ring_labels, units, labels, fs) -> int:
    """Place the site, ring and target labels, in that order; returns how many target labels fit nowhere.

    Target labels go from where the markers crowd outward, each beside its marker if it fits
    there, else along a leader line, nearest spot first, pointing away from the crowd.
    """
    sites, targets = a.sites, a.targets
    for s in sites:
        request = _PointLabel(placer, ax, proj.xy(s.lon, s.lat), s.name, dict(fontsize=fs["label"]), 8.0)
        if not (request.place(placer, ax, far=False) or request.place(placer, ax, far=True)):
            request.label.remove()               # rare: markers all around; the caption names the site
    for x, y, text, style in ring_labels:
        _place_on_ring(placer, ax, x, y, text, style)
    if labels == "none":
        return 0
    dot = 7.0 if len(targets) <= 30 else 5.5 if len(targets) <= 100 else 4.5
    size = fs["label"] - (1.0 if len(targets) > 30 else 0.0)
    requests = [_PointLabel(placer, ax, proj.xy(t.lon, t.lat), _target_label(a, ti, units), dict(fontsize=size), dot)
                for ti, t in enumerate(anchors(a)) if labels == "all" or best[ti] <= 1]
    # From where the markers crowd outward: inner labels lead out before outer ones wall them in.
    spread = [float(np.hypot(*(r.anchor - placer.crowd))) for r in requests]
    requests = [requests[i] for i in np.argsort(spread, kind="stable")]
    left_out = [r for r in requests if not (r.place(placer, ax, far=False) or r.place(placer, ax, far=True))]
    for r in left_out:
        r.label.remove()
    return len(left_out)


_NEAR = ((1, 0), (-1, 0), (0, 1), (0, -1), (1, 1), (1, -1), (-1, 1), (-1, -1))
# Beside the marker, slid along its side: (side x, side y, slide x, slide y) in half label sizes.
_SLIDES = ((1, 0, 0, 0.6), (1, 0, 0, -0.6), (-1, 0, 0, 0.6), (-1, 0, 0, -0.6), (0, 1, 0.6, 0), (0, 1, -0.6, 0),
           (0, -1, 0.6, 0), (0, -1, -0.6, 0))
_LEADER_PT = (12, 20, 30, 42, 56, 72, 90, 112, 138, 168, 200, 240, 290)


def _target_label(a, ti: int, units: str) -> str:
    """``Guam\n3,540 km``; a country: ``Japan: part in range (2.0% of its area)\n604-1,973 km`` (its
    nearest and farthest points from the first site; the verdict of the first missile)."""
    t = a.targets[ti]
    if a.target_kinds[ti] != "country":
        return f"{t.name}\n{length(float(a.distance_km[0, ti]), units)}"
    c = a.check(0, 0, ti)
    return (f"{t.name}: {verdict_text(c.verdict, c.share)}\n"
            f"{number(to_units(c.distance_km, units))}-{length(c.farthest_km, units)}")


class _PointLabel:
    """One marker's label and the spots it may take: beside the marker, or out along a leader line."""

    def __init__(self, placer: Placer, ax, xy, text, style, marker_pt: float):
        self.xy = tuple(float(v) for v in xy)
        self.label = ax.annotate(text, self.xy, xytext=(0, 0), ha="center", va="center", **_TEXT, **style)
        self.w, self.h = placer.label_size(self.label)
        self.anchor = placer.to_px(self.xy)
        self.gap = (marker_pt / 2 + 1.5) * placer.px

    def _boxes(self, centres):
        w, h = self.w, self.h
        return np.column_stack([centres[:, 0] - w / 2, centres[:, 1] - h / 2, centres[:, 0] + w / 2,
                                centres[:, 1] + h / 2])

    def place(self, placer: Placer, ax, *, far: bool) -> bool:
        """Take the first free spot beside the marker (or, with `far`, along a leader line)."""
        half = np.array([self.w / 2, self.h / 2])
        if not far:
            near = np.array(_NEAR, dtype=float)
            slides = np.array(_SLIDES, dtype=float)
            centres = np.concatenate([self.anchor + near * (self.gap + half),
                                      self.anchor + slides[:, :2] * (self.gap + half) + slides[:, 2:] * half])
        else:
            angles = np.radians(np.arange(0.0, 360.0, 10.0))
            away = np.arctan2(*(self.anchor - placer.crowd)[::-1])
            angles = angles[np.argsort(-np.cos(angles - away), kind="stable")]
            u = np.column_stack([np.cos(angles), np.sin(angles)])
            centres = np.concatenate([self.anchor + u * (self.gap + d * placer.px) + u * half for d in _LEADER_PT])
        boxes = self._boxes(centres)
        for k in np.flatnonzero(placer.free(boxes)):
            c = centres[k]
            offset = (c - self.anchor) / placer.px
            if far:
                toward = self.anchor - c
                # From the label's edge, where the leader leaves it, to the marker's edge.
                scale = min(self.w / 2 / abs(toward[0]) if toward[0] else np.inf,
                            self.h / 2 / abs(toward[1]) if toward[1] else np.inf)
                start, end = c + toward * scale, self.anchor - toward / np.hypot(*toward) * self.gap
                clear, points = placer.leader_clear(start, end)
                if not clear:
                    continue
                ax.add_line(Line2D(*_data_line(ax, end, start), color=FIGURE_COLORS["leader"], linewidth=0.5,
                                   zorder=4.5, gid="leader"))
                placer.points = np.vstack([placer.points, points])
                side = np.sign(offset[0]) if abs(c[0] - self.anchor[0]) > self.w / 2 else 0
            else:
                side = (_NEAR[k] if k < len(_NEAR) else _SLIDES[k - len(_NEAR)])[0]
            self.label.xyann = (float(offset[0]), float(offset[1]))
            self.label.set_multialignment("left" if side > 0 else "right" if side < 0 else "center")
            placer.block(boxes[k])
            return True
        return False


def _data_line(ax, a_px, b_px):
    inv = ax.transData.inverted()
    (ax_, ay), (bx, by) = inv.transform(a_px), inv.transform(b_px)
    return [ax_, bx], [ay, by]


def _place_on_ring(placer: Placer, ax, x, y, text, style) -> bool:
    """A ring label along its outline, rotated with it, at the first free spot from the upper left on."""
    if not np.isfinite(x).any():
        return False
    label = ax.annotate(text, (0.0, 0.0), xytext=(0, 0), ha="center", va="center", **_TEXT, **style)
    w, h = placer.label_size(label)
    centre = np.array([np.nanmean(x), np.nanmean(y)])
    spots = []
    for i in range(20, len(x) - 1, 20):
        if np.isfinite([x[i - 1], x[i], x[i + 1]]).all():
            angle = np.degrees(np.arctan2(y[i + 1] - y[i - 1], x[i + 1] - x[i - 1]))
            where = np.degrees(np.arctan2(y[i] - centre[1], x[i] - centre[0]))
            spots.append((abs((where - 135.0 + 180.0) % 360.0 - 180.0), i, (angle + 90.0) % 180.0 - 90.0))
    if not spots:
        label.remove()
        return False
    spots.sort()
    ids = np.array([s[1] for s in spots])
    rot = np.radians([s[2] for s in spots])
    px = placer.to_px(np.column_stack([x[ids], y[ids]]))
    # The angle on paper: data and display share one scale (equal aspect).
    ww = np.abs(w * np.cos(rot)) + np.abs(h * np.sin(rot))
    hh = np.abs(w * np.sin(rot)) + np.abs(h * np.cos(rot))
    boxes = np.column_stack([px[:, 0] - ww / 2, px[:, 1] - hh / 2, px[:, 0] + ww / 2, px[:, 1] + hh / 2])
    free = np.flatnonzero(placer.free(boxes))
    if not len(free):
        label.remove()
        return False
    k = free[0]
    label.xy = (float(x[ids[k]]), float(y[ids[k]]))
    label.set_rotation(float(np.degrees(rot[k])))
    label.set_rotation_mode("anchor")
    placer.block(boxes[k])
    return True
