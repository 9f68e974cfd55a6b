"""Value labels on every bar and every point of a figure, kept readable.

The plotting scripts register labels while they draw and call `finish(fig)` once before saving:

    labels = plot_labels.Labels()
    bars = ax.bar(xs, means)
    labels.bars(ax, bars, means, tops=[m + e for m, e in zip(means, err_above)])  # above the error bars
    labels.points(ax, xs, ys, ys, color="C0")
    labels.finish(fig)            # measures the drawn figure, then rotates, shrinks, places, makes room

Bars: a label sits above its bar (or its error bar); when one label of a set is wider than its bar, the
whole set turns vertical, and a vertical label thicker than the bar shrinks to the bar's width (down to
MIN_FONT). The y axis grows until every bar label fits inside the axes. Points: each label tries a ring of
places around its point and takes the first that overlaps no other label (lines that meet at one point
with one value share one dark grey label); a label with no free place is left out, and `finish` returns
how many were, so the figure can say so ("k of n point labels left out
where they would overlap"). Nothing here computes a statistic: the values are the ones drawn.
"""

from __future__ import annotations

import math

MIN_FONT = 4.5
BAR_FONT = 7.0
POINT_FONT = 6.5
# Places tried around a point, in points: above, below, right, left, then the diagonals.
POINT_OFFSETS = [(0, 4, "center", "bottom"), (0, -4, "center", "top"), (5, 0, "left", "center"),
                 (-5, 0, "right", "center"), (4, 4, "left", "bottom"), (-4, 4, "right", "bottom"),
                 (4, -4, "left", "top"), (-4, -4, "right", "top"), (0, 11, "center", "bottom"),
                 (0, -11, "center", "top")]


def fmt_value(v):
    """Three significant digits, without exponents in the usual ranges: 0.0123, 1.23, 12.3, 123, 1,234, 12.3k."""
    if v is None or not math.isfinite(v):
        return "n/a"
    a = abs(v)
    if a >= 1e5:
        for unit, k in (("G", 1e9), ("M", 1e6), ("k", 1e3)):
            if a >= k:
                x = v / k
                return (f"{x:.3g}" if abs(x) < 100 else f"{x:.0f}") + unit
    if a >= 100:
        return f"{v:,.0f}"
    if a >= 0.001 or a == 0:
        return f"{v:.3g}"
    return f"{v:.2g}"


def fmt_percent(v):
    """A fraction as a percentage with one decimal: 0.4567 -> 45.7%."""
    return "n/a" if v is None or not math.isfinite(v) else f"{v:.1%}"


def _outline():
    from matplotlib import patheffects
    return [patheffects.withStroke(linewidth=1.8, foreground="white")]


def _overlaps(a, b, pad=0.5):
    return not (a.x1 + pad <= b.x0 or b.x1 + pad <= a.x0 or a.y1 + pad <= b.y0 or b.y1 + pad <= a.y0)


class Labels:
    def __init__(self):
        self._bar_sets = []    # (ax, [(bar, text)], fontsize)
        self._points = []      # (ax, text)
        self._reserved = {}    # ax -> pixels kept free below its top edge (a caption drawn there)
        self.placed = 0
        self.omitted = 0

    def reserve_top(self, ax, pixels):
        """Keeps bar labels `pixels` below the top edge of `ax` (something else is written there)."""
        self._reserved[ax] = max(self._reserved.get(ax, 0), pixels)

    def bars(self, ax, bars, values, tops=None, fmt=fmt_value, fontsize=BAR_FONT, inside=False):
        """One label per bar, at `tops[i]` (default the bar's top); `inside` puts it in the bar's top end."""
        items = []
        for i, (bar, v) in enumerate(zip(bars, values)):
            if v is None or not (isinstance(v, str) or math.isfinite(v)):
                continue
            top = tops[i] if tops is not None and tops[i] is not None and math.isfinite(tops[i]) else \
                bar.get_y() + bar.get_height()
            x = bar.get_x() + bar.get_width() / 2
            text = ax.annotate(v if isinstance(v, str) else fmt(v), (x, top), xytext=(0, -2 if inside else 2),
                               textcoords="offset points", ha="center", va="top" if inside else "bottom",
                               fontsize=fontsize, rotation=0, annotation_clip=False, zorder=5,
                               path_effects=_outline())
            text.set_in_layout(False)  # kept inside its axes here, so the layout need not make room for it
            items.append((bar, text))
        if items:
            self._bar_sets.append((ax, items, fontsize))

    def points(self, ax, xs, ys, values, color="black", fmt=fmt_value, fontsize=POINT_FONT):
        for x, y, v in zip(xs, ys, values):
            if x is None or y is None or not (math.isfinite(x) and math.isfinite(y)):
                continue
            text = ax.annotate(v if isinstance(v, str) else fmt(v), (x, y), xytext=(0, 4),
                               textcoords="offset points", ha="center", va="bottom", fontsize=fontsize,
                               color=color, annotation_clip=False, zorder=5, path_effects=_outline())
            text.set_in_layout(False)
            self._points.append((ax, text))

    # -----------------------------------------------------------------------------------------------
    def finish(self, fig):
        """Fits every label (see the module text); returns the number of point labels left out."""
        if not self._bar_sets and not self._points:
            return 0
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        for _, items, fontsize in self._bar_sets:
            self._fit_bar_set(items, fontsize, renderer)
        for _ in range(4):  # new limits change the tick labels and so the layout: measure again
            if not self._make_room(renderer):
                break
            fig.canvas.draw()
            renderer = fig.canvas.get_renderer()
        self._place_points(renderer)
        return self.omitted

    @staticmethod
    def _fit_bar_set(items, fontsize, renderer):
        widths = [bar.get_window_extent(renderer).width for bar, _ in items]
        exts = [text.get_window_extent(renderer) for _, text in items]
        if all(e.width <= w * 1.05 + 0.5 for e, w in zip(exts, widths)):
            return
        thinnest = min(widths)
        for (bar, text), e in zip(items, exts):
            text.set_rotation(90)
            # A vertical label is as thick as its line height: shrink it to the bar's width.
            if e.height > thinnest * 1.05:
                text.set_fontsize(max(MIN_FONT, fontsize * thinnest / e.height))

    def _make_room(self, renderer):
        """Raises the top of every axes whose bar labels stick out above it; True when a limit changed."""
        need = {}
        for ax, items, _ in self._bar_sets:
            box = ax.get_window_extent(renderer)
            for _, text in items:
                if not text.get_visible():
                    continue
                e = text.get_window_extent(renderer)
                if e.y1 > box.y1 - 2 - self._reserved.get(ax, 0):
                    need.setdefault(ax, []).append((text, e))
        for ax, texts in need.items():
            box = ax.get_window_extent(renderer)
            lo, hi = ax.get_ylim()
            log = ax.get_yscale() == "log"
            f = (lambda v: math.log10(v)) if log else (lambda v: v)
            g = (lambda v: 10 ** v) if log else (lambda v: v)
            top = f(hi)
            for text, e in texts:
                anchor = text.xy[1]
                if log and anchor <= 0:
                    continue
                height = e.y1 - ax.transData.transform((text.xy[0], anchor))[1]  # label px above its anchor
                room = box.height - height - 3 - self._reserved.get(ax, 0)
                if room <= box.height * 0.25:
                    room = box.height * 0.25  # a label taller than the axes: give it the top quarter
                top = max(top, f(lo) + (f(anchor) - f(lo)) * box.height / room)
            ax.set_ylim(lo, g(top))
        return bool(need)

    def _shared(self):
        """Point labels of several lines that meet at one point with one value: one label (dark grey) says it
        for all of them; returns the (ax, text) left to place."""
        first, out = {}, []
        for ax, text in self._points:
            x, y = ax.transData.transform(text.xy)
            key = (id(ax), round(x), text.get_text())
            other = first.get(key)
            if other is not None and abs(ax.transData.transform(other.xy)[1] - y) < 4:
                other.set_color("#333333")
                text.set_visible(False)
                continue
            first[key] = text
            out.append((ax, text))
        return out

    def _place_points(self, renderer):
        taken = {}
        for ax, items, _ in self._bar_sets:
            taken.setdefault(ax, []).extend(t.get_window_extent(renderer) for _, t in items)
        for ax, text in self._shared():
            box = ax.get_window_extent(renderer)
            boxes = taken.setdefault(ax, [])
            spot = self._free_spot(text, box, boxes, renderer)
            if spot is None:
                text.set_visible(False)
                self.omitted += 1
                continue
            boxes.append(spot)
            self.placed += 1

    @staticmethod
    def _free_spot(text, box, boxes, renderer):
        for dx, dy, ha, va in POINT_OFFSETS:
            text.set_position((dx, dy))
            text.set_ha(ha)
            text.set_va(va)
            e = text.get_window_extent(renderer)
            inside = e.x0 >= box.x0 and e.x1 <= box.x1 and e.y0 >= box.y0 and e.y1 <= box.y1
            if inside and not any(_overlaps(e, b) for b in boxes):
                return e
        return None

    def note(self):
        """The sentence a figure shows when point labels were left out ("" when none were)."""
        if not self.omitted:
            return ""
        total = self.omitted + self.placed
        return (f"{self.omitted} of {total} point labels left out where they would overlap another; "
                f"every value is in the summary file")
