"""The diary's charts, drawn with matplotlib's object API (never pyplot: it is not thread-safe).

Each function takes plain statistics (diary.stats) and returns the chart as SVG or PNG bytes,
building a new Figure per call. SVG is for the page: its text stays text (selectable, read by
screen readers next to the data table) and it carries no <style> element, so the page's
Content-Security-Policy holds. This is the only module that imports matplotlib.
"""

import io
import re

import matplotlib
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from diary.stats import unit_of
from diary.vocabulary import Muscle, Remedy, Side

matplotlib.rcParams.update(
    {
        "svg.fonttype": "none",  # real text in SVG, not glyph outlines
        "font.family": "DejaVu Sans",
        "font.size": 10,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "svg.hashsalt": "night-cramp-diary",  # the same chart gives the same bytes
    }
)

# Okabe–Ito: told apart with any colour vision.
BLUE, ORANGE, GREEN, VERMILLION, SKY, GREY = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#D55E00",
    "#56B4E9",
    "#6b6b6b",
)
SIDE_COLOURS = {Side.LEFT: BLUE, Side.RIGHT: ORANGE, Side.BOTH: GREEN}
FORMATS = ("svg", "png")
DRAWING_VERSION = 3  # part of every cached chart's key: raise it when the drawing changes
BARS_UP_TO = 60  # more periods than this are drawn as thin lines (vlines), far cheaper than bars
SIZE = (4.2, 2.6)  # inches: legible when shown 360 px wide on a phone, crisp on a desktop


def _figure(height: float = SIZE[1]) -> Figure:
    figure = Figure(figsize=(SIZE[0], height), dpi=100, layout="constrained")
    FigureCanvasAgg(figure)
    return figure


def _render(figure: Figure, fmt: str, prefix: str) -> bytes:
    if fmt not in FORMATS:
        raise ValueError(f"unknown chart format {fmt!r}")
    buffer = io.BytesIO()
    metadata = {"Date": None} if fmt == "svg" else {}
    figure.savefig(buffer, format=fmt, metadata=metadata, dpi=150 if fmt == "png" else 100)
    return _inline_svg(buffer.getvalue(), prefix) if fmt == "svg" else buffer.getvalue()


def _inline_svg(svg: bytes, prefix: str) -> bytes:
    """Makes an SVG fit inside a page: no XML prolog or <style>, ids unique to the chart."""
    text = svg.decode()
    text = text[text.index("<svg") :]
    text = re.sub(r"<defs>\s*<style[^>]*>.*?</style>\s*</defs>", "", text, flags=re.S)
    text = re.sub(r'\bid="', f'id="{prefix}-', text)
    text = text.replace("url(#", f"url(#{prefix}-").replace('href="#', f'href="#{prefix}-')
    text = re.sub(r'<svg ([^>]*?)width="[^"]*" height="[^"]*"', r"<svg \1", text, count=1)
    # The figure caption and the data table beside the chart are its text alternative.
    return text.replace("<svg ", '<svg aria-hidden="true" class="chart" ', 1).encode()


def _period_ticks(axes, periods) -> None:
    """At most five ticks ("4 Nov"), or three for months ("Jun 2019": longer)."""
    monthly = unit_of(periods) == "month"
    labels = [date_format(period.start, "M Y" if monthly else "j M") for period in periods]
    _thin_ticks(axes, list(range(len(periods))), labels, most=3 if monthly else 5)


def _x_label(periods) -> str:
    unit = unit_of(periods)
    if unit == "month":
        return _("month")
    return _("night") if unit == "night" else _("week beginning")


def _line_width(periods) -> float:
    """Points: about 0.8 of a period's slot across the chart's width."""
    return max(0.5, 200 / max(len(periods), 1))


def _runs(positions: list[int]) -> list[tuple[float, float]]:
    """Runs of consecutive positions (ascending) as (left, width) spans for broken_barh."""
    runs: list[list[int]] = []
    for position in positions:
        if runs and runs[-1][1] == position - 1:
            runs[-1][1] = position
        else:
            runs.append([position, position])
    return [(start - 0.4, end - start + 0.8) for start, end in runs]


def _thin_ticks(axes, positions, labels, most: int = 5) -> None:
    step = max(1, -(-len(positions) // most))
    axes.set_xticks(positions[::step], labels[::step], rotation=0)


def frequency(periods, fmt: str = "svg") -> bytes:
    """How often: cramps (bars) and cramp nights (dots) per week, week by week or month by
    month, or per night for short ranges; periods not logged are hatched grey, unlike a logged
    period with no cramps. Weekly and monthly charts carry reference lines at 1 and 3 cramps a
    week. Beyond BARS_UP_TO periods the bars are thin lines."""
    figure = _figure()
    axes = figure.add_subplot()
    nightly = bool(periods) and all(period.nights == 1 for period in periods)
    if nightly:
        cramps = [period.cramps for period in periods]
        axes.set_ylabel(_("cramps that night"))
        axes.set_title(_("Cramps each night"), loc="left")
    else:
        cramps = [period.cramps_per_week or 0 for period in periods]
        nights = [period.cramp_nights_per_week for period in periods]
        axes.set_ylabel(_("per week"))
        axes.set_title(_("Cramps per week"), loc="left")
    logged = [i for i, period in enumerate(periods) if period.logged]
    unlogged = [i for i, period in enumerate(periods) if not period.logged]
    top = max([*cramps, 3.5 if not nightly else 1]) * 1.15
    many = len(periods) > BARS_UP_TO
    if many:  # one collection of lines and one of hatched runs, however long the range
        axes.vlines(
            logged,
            0,
            [cramps[i] for i in logged],
            color=BLUE,
            linewidth=_line_width(periods),
            label=_("cramps"),
        )
    else:
        bars = axes.bar(
            logged, [cramps[i] for i in logged], color=BLUE, width=0.8, label=_("cramps")
        )
        for index, bar in zip(logged, bars, strict=True):
            bar.set_gid(f"cramps-{index}")  # an id per logged period: the drawing can be checked
    if unlogged and many:
        axes.broken_barh(
            _runs(unlogged),
            (0, top),
            facecolor="#f0f0f0",
            edgecolor=GREY,
            hatch="///",
            linewidth=0,
            label=_("not logged"),
        )
    elif unlogged:
        axes.bar(
            unlogged,
            [top] * len(unlogged),
            color="#f0f0f0",
            edgecolor=GREY,
            hatch="///",
            linewidth=0,
            width=0.8,
            label=_("not logged"),
        )
    if not nightly:
        axes.plot(
            logged,
            [nights[i] for i in logged],
            linestyle="none",
            marker="o",
            markersize=2.5 if many else 4,
            color=ORANGE,
            label=_("nights with cramps"),
        )
        for level in (1, 3):
            axes.axhline(level, color=GREY, linestyle="--", linewidth=0.8)
            axes.annotate(
                _("%(n)d a week") % {"n": level},
                (1.0, level),
                xycoords=("axes fraction", "data"),
                ha="right",
                va="bottom",
                fontsize=9,
                color=GREY,
            )
    axes.set_ylim(0, top)
    axes.set_xlabel(_x_label(periods))
    _period_ticks(axes, periods)
    if periods:
        axes.legend(loc="upper left", fontsize=9, frameon=False, ncols=3)
    return _render(figure, fmt, "frequency")


def severity_duration(periods, fmt: str = "svg") -> bytes:
    """How bad and how long: worst and mean severity (0–10), and minutes of cramps, per period."""
    figure = _figure(height=3.6)
    severity_axes, minutes_axes = figure.subplots(2, 1, sharex=True)
    positions = list(range(len(periods)))
    with_cramps = [i for i, period in enumerate(periods) if period.cramps]
    size = 3 if len(periods) > BARS_UP_TO else 6
    severity_axes.plot(
        with_cramps,
        [periods[i].severity_worst for i in with_cramps],
        marker="^",
        markersize=size,
        linestyle="none",
        color=VERMILLION,
        label=_("worst"),
    )
    severity_axes.plot(
        with_cramps,
        [periods[i].severity_mean for i in with_cramps],
        marker="o",
        markersize=size,
        linestyle="none",
        color=BLUE,
        label=_("average"),
    )
    severity_axes.set_ylim(0, 10.5)
    severity_axes.set_ylabel(_("severity (0–10)"))
    severity_axes.set_title(_("How bad, and how long"), loc="left")
    if with_cramps:
        severity_axes.legend(loc="lower left", fontsize=9, frameon=False, ncols=2)
    minutes = [period.duration_total for period in periods]
    if len(periods) > BARS_UP_TO:
        minutes_axes.vlines(positions, 0, minutes, color=SKY, linewidth=_line_width(periods))
    else:
        minutes_axes.bar(positions, minutes, color=SKY, width=0.8)
    minutes_axes.set_ylabel(_("minutes of cramps"))
    minutes_axes.set_ylim(bottom=0)
    minutes_axes.set_xlabel(_x_label(periods))
    _period_ticks(minutes_axes, periods)
    return _render(figure, fmt, "severity")


def muscles(by_muscle_side: dict, fmt: str = "svg") -> bytes:
    """Which muscles, on which side: cramps per muscle, stacked left / right / both."""
    figure = _figure()
    axes = figure.add_subplot()
    names = [muscle for muscle in Muscle if any(m == muscle for m, _side in by_muscle_side)]
    positions = list(range(len(names)))
    left = [0] * len(names)
    for side in Side:
        counts = [by_muscle_side.get((muscle.value, side.value), 0) for muscle in names]
        axes.barh(positions, counts, left=left, color=SIDE_COLOURS[side], label=str(side.label))
        left = [a + b for a, b in zip(left, counts, strict=True)]
    axes.set_yticks(positions, [str(muscle.label) for muscle in names])
    axes.invert_yaxis()
    axes.set_xlabel(_("cramps"))
    axes.set_title(_("Muscles"), loc="left")
    if names:
        axes.legend(loc="lower right", fontsize=9, frameon=False)
    return _render(figure, fmt, "muscles")


def remedies(effects, fmt: str = "svg") -> bytes:
    """What helps: for each remedy tried, the share of tries that brought some or full relief;
    remedies tried fewer than the minimum show their count and "not enough tries yet"."""
    figure = _figure()
    axes = figure.add_subplot()
    tried = [effect for effect in effects if effect.tries]
    positions = list(range(len(tried)))
    shares = [(effect.share or 0) * 100 for effect in tried]
    axes.barh(
        positions,
        shares,
        color=[GREEN if effect.share is not None else "#f0f0f0" for effect in tried],
        edgecolor=[GREEN if effect.share is not None else GREY for effect in tried],
    )
    for position, effect in zip(positions, tried, strict=True):
        if effect.share is None:
            label = _("not enough tries yet (%(n)d)") % {"n": effect.tries}
            place = {"xy": (2, position), "ha": "left", "color": "black"}
        else:
            label = _("%(share)d%% of %(n)d") % {
                "share": round(effect.share * 100),
                "n": effect.tries,
            }
            inside = effect.share >= 0.5  # long bars carry their label inside, in white
            x = effect.share * 100 + (-2 if inside else 2)
            place = {"xy": (x, position), "ha": "right" if inside else "left"}
            place["color"] = "white" if inside else "black"
        axes.annotate(label, va="center", fontsize=9, **place)
    axes.set_yticks(positions, [str(Remedy(effect.remedy).label) for effect in tried])
    axes.invert_yaxis()
    axes.set_xlim(0, 100)
    axes.set_xlabel(_("% of tries with some or full relief"))
    axes.set_title(_("What helped"), loc="left")
    return _render(figure, fmt, "remedies")
