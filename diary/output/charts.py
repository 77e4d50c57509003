"""The diary's charts, drawn with matplotlib's object API (never pyplot: it is not thread-safe).

`figure_for(name, data)` builds a chart as a Figure from plain statistics (diary.domain.stats);
`frequency()`, `severity_duration()`, `muscles()` and `remedies()` return it as SVG or PNG
bytes, building a new Figure per call. This is the only module that imports matplotlib.

Size: every chart is WIDTH inches wide with text of FONT_PT points. The page scales the SVG to
its container, at most SVG_WIDTH_PX (static/css/charts.css), so its text is 12-13 px on a
phone (350-370 px wide) and 15 px on a desktop: the size of the page's own small text.

SVG is for the page: its text stays text (selectable, read by screen readers next to the
data table) and it carries no <style> element and no style attributes, so the page's
Content-Security-Policy holds. Every colour is a presentation attribute (which any CSS rule
overrides) plus a class naming its role ("fill-ink", "stroke-blue"): static/css/charts.css
recolours the roles when the phone is set to dark, so one SVG serves both. PNG (downloads)
and PDF (through the SVG, without that stylesheet) stay light.

Layout: constrained layout keeps everything inside the figure; legends sit above the plot
(never over bars), reference-line labels in the right margin (never over bars, nor over each
other), count axes have whole-number ticks. tests/diary/test_charts.py checks this with
matplotlib's own extents for typical diaries.
"""

import io
import re
import threading
from dataclasses import dataclass
from datetime import date

import matplotlib
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.textpath import TextToPath
from matplotlib.ticker import MaxNLocator
from matplotlib.transforms import Affine2D

from diary.domain.stats import unit_of
from diary.domain.vocabulary import Muscle, Remedy, Side
from diary.domain.what_helps import NO_REMEDY

# The colours of the light scheme by role; charts.css gives each role its dark colour.
# Hex values are lower case (as matplotlib writes them) and unique: the role is found by value.
PALETTE = {
    "paper": "#ffffff",  # the background
    "ink": "#212529",  # text, axes and ticks: the page's own text colour
    "muted": "#6b6b6b",  # reference lines and their labels, hatching, "not enough tries"
    "grid": "#e3e3e3",
    "blank": "#f0f0f0",  # behind the hatching of periods not logged
    # Okabe–Ito: told apart with any colour vision.
    "blue": "#0072b2",
    "orange": "#e69f00",
    "green": "#009e73",
    "vermillion": "#d55e00",
    "sky": "#56b4e9",
    # A treatment's name on its sky strip: near black in both schemes (8:1 on the sky).
    "on_sky": "#111111",
}
PAPER, INK, MUTED, GRID, BLANK = (
    PALETTE[role] for role in ("paper", "ink", "muted", "grid", "blank")
)
BLUE, ORANGE, GREEN, VERMILLION, SKY = (
    PALETTE[role] for role in ("blue", "orange", "green", "vermillion", "sky")
)
SIDE_COLOURS = {Side.LEFT: BLUE, Side.RIGHT: ORANGE, Side.BOTH: GREEN}

FORMATS = ("svg", "png")
DRAWING_VERSION = 6  # part of every cached chart's key: raise it when the drawing changes
BARS_UP_TO = 60  # more periods than this are drawn as thin lines (vlines), far cheaper than bars

WIDTH = 4.0  # inches: 288 pt, the SVG's width in its own units
FONT_PT = 10  # every text but the title
TITLE_PT = 10.5
# The SVG's natural width, and the widest the page shows it (charts.css): 1.5 px a point, so
# 10 pt text is 15 px there, and 12.7 px at a phone's 366 px.
SVG_WIDTH_PX = 432
PNG_DPI = 150

matplotlib.rcParams.update(
    {
        "svg.fonttype": "none",  # real text in SVG, not glyph outlines
        # Every text is drawn as written: "$" never starts a formula. Treatment names are typed
        # by patients, clinicians and imported files, and "Mg $\x$" is broken mathtext that
        # fails the whole drawing. This reaches every Text: titles, ticks, legends, annotations.
        "text.parse_math": False,
        "svg.hashsalt": "night-cramp-diary",  # the same chart gives the same bytes
        "font.family": "DejaVu Sans",
        "font.size": FONT_PT,
        "axes.titlesize": TITLE_PT,
        "axes.titleweight": "bold",
        "axes.labelsize": FONT_PT,
        "xtick.labelsize": FONT_PT,
        "ytick.labelsize": FONT_PT,
        "legend.fontsize": FONT_PT,
        "axes.spines.top": False,
        "axes.spines.right": False,
        # Every colour explicit, so that each one carries a role in the SVG.
        "text.color": INK,
        "axes.labelcolor": INK,
        "axes.edgecolor": INK,
        "axes.facecolor": PAPER,
        "figure.facecolor": PAPER,
        "savefig.facecolor": PAPER,
        "xtick.color": INK,
        "ytick.color": INK,
        "grid.color": GRID,
        "grid.linewidth": 0.6,
        "hatch.color": MUTED,
        "hatch.linewidth": 0.8,
        "legend.frameon": False,
    }
)


# --- The figure and its parts ---------------------------------------------------------------


def _figure(height: float) -> Figure:
    figure = Figure(figsize=(WIDTH, height), dpi=100, layout="constrained")
    FigureCanvasAgg(figure)
    return figure


def _head(axes, title: str, handles=()) -> None:
    """The title above the plot, and the legend of `handles` (labelled artists) between them,
    never over the data: in as many columns as fit the figure's width, the title lifted by the
    legend's height."""
    labels = [handle.get_label() for handle in handles]
    pad = 4.0
    if handles:
        figure = axes.get_figure()
        renderer = figure.canvas.get_renderer()
        room = figure.bbox.width - renderer.points_to_pixels(60)  # less the y axis's labels
        for ncols in range(len(handles), 0, -1):
            # Matplotlib fills a legend's columns first: this order reads row by row.
            rows = -(-len(handles) // ncols)
            order = [r * ncols + c for c in range(ncols) for r in range(rows)]
            order = [i for i in order if i < len(handles)]
            box = axes.legend(
                [handles[i] for i in order],
                [labels[i] for i in order],
                loc="lower left",
                bbox_to_anchor=(0, 1),
                borderaxespad=0.2,
                borderpad=0,
                ncols=ncols,
                handlelength=1.4,
                handletextpad=0.5,
                columnspacing=1.2,
            )
            extent = box.get_window_extent(renderer)
            if extent.width <= room:
                break
        box.set_gid("legend")
        pad += extent.height * 72 / figure.dpi + 2
    axes.set_title(title, loc="left", pad=pad).set_gid("title")


def _whole_numbers(axis, top: float | None = None) -> None:
    """Count axes: whole-number ticks only (never "0.5 cramps"), as many whatever the plot's
    size (so the layout, which measures the tick labels, stays right). With `top`, the axis
    runs from 0 to the first tick at or above it."""
    locator = MaxNLocator(nbins=5, steps=[1, 2, 5, 10], integer=True, min_n_ticks=2)
    axis.set_major_locator(locator)
    if top is not None:
        limits = getattr(axis.axes, f"set_{axis.axis_name}lim")
        limits(0, max(locator.tick_values(0, max(top, 1))))


def _period_ticks(axes, periods) -> None:
    """At most four ticks ("4 Nov"), or three for months ("Jun 2019": longer)."""
    monthly = unit_of(periods) == "month"
    labels = [date_format(period.start, "M Y" if monthly else "j M") for period in periods]
    positions = list(range(len(periods)))
    step = max(1, -(-len(positions) // (3 if monthly else 4)))
    axes.set_xticks(positions[::step], labels[::step])
    axes.set_xlim(-0.6, max(len(periods), 1) - 0.4)


def _x_label(periods) -> str:
    unit = unit_of(periods)
    if unit == "month":
        return _("month")
    return _("night") if unit == "night" else _("week beginning")


def _line_width(periods) -> float:
    """Points: about 0.8 of a period's slot across the plot's width (about 210 pt)."""
    return max(0.5, 170 / max(len(periods), 1))


def _runs(positions: list[int]) -> list[tuple[float, float]]:
    """Runs of consecutive positions (ascending) as (left, width) spans for broken_barh."""
    runs: list[list[int]] = []
    for position in positions:
        if runs and runs[-1][1] == position - 1:
            runs[-1][1] = position
        else:
            runs.append([position, position])
    return [(start - 0.4, end - start + 0.8) for start, end in runs]


def _in_margin(axes, level: float, below=None):
    """Where a reference line's label goes, as Annotation coordinates computed when drawn: in
    the right margin at the line's height, but never below the x axis, nor lower than
    just above the label of the line below (`below`), however close the lines are drawn."""

    def place(renderer):
        half = renderer.points_to_pixels(FONT_PT * 0.6)
        y = axes.transData.transform((0, level))[1]
        floor = axes.bbox.y0  # the lowest label centred on the x axis at the lowest
        if below is not None:
            floor = max(floor, below.get_window_extent(renderer).y1 + half + 1)
        return Affine2D().translate(axes.bbox.x1, max(y, floor))

    return place


# --- The charts -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Band:
    """A treatment over the frequency chart: its name, first night and last night shown."""

    name: str
    start: date
    stop: date


BAND_HEIGHT = 0.075  # of the plot's height: one strip per treatment along its top
BAND_LABEL_UP_TO = 28  # characters of a name written in its strip (the table has it whole)


def _band_label(band: Band) -> str:
    """The treatment's name as its strip shows it: cut short, the table has it whole."""
    if len(band.name) <= BAND_LABEL_UP_TO:
        return band.name
    return band.name[: BAND_LABEL_UP_TO - 1] + "…"


def _band_positions(periods, band: Band) -> tuple[int, int] | None:
    """The first and last period the band covers, or None when the chart does not show it."""
    covered = [i for i, p in enumerate(periods) if p.start <= band.stop and band.start <= p.end]
    return (covered[0], covered[-1]) if covered else None


def _bands(axes, periods, shown) -> None:
    """Each treatment shown, (band, (first, last period)), as a strip along the top of the plot,
    named inside, with a line down the plot where it starts; strips stack one below another."""
    for row, (band, (first, last)) in enumerate(shown):
        top = 1 - row * BAND_HEIGHT
        axes.axvspan(
            first - 0.5,
            last + 0.5,
            ymin=top - BAND_HEIGHT * 0.9,
            ymax=top,
            color=SKY,
            linewidth=0,
            gid=f"treatment-{row}",
        )
        if periods[first].start <= band.start:  # it starts on the chart
            axes.axvline(first - 0.5, color=SKY, linewidth=1.2, gid=f"treatment-{row}-start")
        axes.text(
            first - 0.4,
            top - BAND_HEIGHT * 0.45,
            _band_label(band),
            transform=axes.get_xaxis_transform(),
            va="center",
            ha="left",
            color=PALETTE["on_sky"],
            fontsize=FONT_PT * 0.8,
            clip_on=True,
            parse_math=False,  # typed by a person (the rcParams above say so for all text)
            gid=f"treatment-{row}-name",
        )


def _frequency(periods, bands=()) -> Figure:
    """How often: cramps (bars) and cramp nights (dots) per week, week by week or month by
    month, or per night for short ranges; periods not logged are hatched grey, unlike a logged
    period with no cramps. Weekly and monthly charts carry reference lines at 1 and 3 cramps a
    week. Beyond BARS_UP_TO periods the bars are thin lines."""
    figure = _figure(3.0)
    axes = figure.add_subplot()
    nightly = bool(periods) and all(period.nights == 1 for period in periods)
    if nightly:
        cramps = [period.cramps for period in periods]
        axes.set_ylabel(_("cramps that night"))
        title = _("Cramps each night")
    else:
        cramps = [period.cramps_per_week or 0 for period in periods]
        nights = [period.cramp_nights_per_week for period in periods]
        axes.set_ylabel(_("per week"))
        title = _("Cramps per week")
    logged = [i for i, period in enumerate(periods) if period.logged]
    unlogged = [i for i, period in enumerate(periods) if not period.logged]
    top = max([*cramps, 3.5 if not nightly else 1]) * 1.15
    strips = [(band, at) for band in bands if (at := _band_positions(periods, band))]
    top /= 1 - BAND_HEIGHT * len(strips)  # room for the treatments' strips above the bars
    many = len(periods) > BARS_UP_TO
    if many:  # one collection of lines and one of hatched runs, however long the range
        shown = axes.vlines(
            logged,
            0,
            [cramps[i] for i in logged],
            color=BLUE,
            linewidth=_line_width(periods),
            label=_("cramps"),
            gid="cramps",
        )
    else:
        shown = axes.bar(
            logged, [cramps[i] for i in logged], color=BLUE, width=0.8, label=_("cramps")
        )
        for index, bar in zip(logged, shown, strict=True):
            bar.set_gid(f"cramps-{index}")  # an id per logged period: the drawing can be checked
    handles = [shown] if periods else []
    if unlogged:
        style = {"facecolor": BLANK, "edgecolor": MUTED, "hatch": "///", "linewidth": 0}
        if many:
            axes.broken_barh(_runs(unlogged), (0, top), gid="not-logged", **style)
        else:
            hatched = axes.bar(unlogged, [top] * len(unlogged), width=0.8, **style)
            for index, bar in zip(unlogged, hatched, strict=True):
                bar.set_gid(f"not-logged-{index}")
        handles.append(Patch(label=_("not logged"), **style))  # one for all the hatched bars
    if not nightly:
        (dots,) = axes.plot(
            logged,
            [nights[i] for i in logged],
            linestyle="none",
            marker="o",
            markersize=3 if many else 4.5,
            markeredgecolor=INK,  # the orange dots stand out on the bars and the background
            markeredgewidth=0.6,
            color=ORANGE,
            label=_("nights with cramps"),
            gid="cramp-nights",
        )
        handles.insert(1, dots)
        below = None
        for level in (1, 3):
            axes.axhline(level, color=MUTED, linestyle="--", linewidth=0.9, gid=f"line-{level}")
            below = axes.annotate(
                _("%(n)d a week") % {"n": level},
                (0, 0),
                xycoords=_in_margin(axes, level, below),
                xytext=(3, 0),
                textcoords="offset points",
                ha="left",
                va="center",
                color=MUTED,
                annotation_clip=False,
                gid=f"line-{level}-label",
            )
    axes.set_ylim(0, top)
    _whole_numbers(axes.yaxis)
    axes.grid(axis="y")
    axes.set_axisbelow(True)
    axes.set_xlabel(_x_label(periods))
    _period_ticks(axes, periods)
    _bands(axes, periods, strips)
    _head(axes, title, handles)
    return figure


def _severity_duration(periods) -> Figure:
    """How bad and how long: worst and mean severity (0–10), and minutes of cramps, per period."""
    figure = _figure(4.2)
    severity_axes, minutes_axes = figure.subplots(2, 1, sharex=True)
    positions = list(range(len(periods)))
    with_cramps = [i for i, period in enumerate(periods) if period.cramps]
    size = 3.5 if len(periods) > BARS_UP_TO else 5.5
    (worst,) = severity_axes.plot(
        with_cramps,
        [periods[i].severity_worst for i in with_cramps],
        marker="^",
        markersize=size,
        linestyle="none",
        color=VERMILLION,
        label=_("worst"),
        gid="worst",
        zorder=3,  # over the average's dot when they are the same (one cramp)
    )
    (average,) = severity_axes.plot(
        with_cramps,
        [periods[i].severity_mean for i in with_cramps],
        marker="o",
        markersize=size,
        linestyle="none",
        color=BLUE,
        label=_("average"),
        gid="average",
    )
    severity_axes.set_ylim(0, 10.5)
    severity_axes.set_yticks([0, 5, 10])
    severity_axes.set_ylabel(_("severity (0–10)"))
    severity_axes.grid(axis="y")
    severity_axes.set_axisbelow(True)
    minutes = [period.duration_total for period in periods]
    if len(periods) > BARS_UP_TO:
        minutes_axes.vlines(
            positions, 0, minutes, color=SKY, linewidth=_line_width(periods), gid="minutes"
        )
    else:
        for index, bar in enumerate(minutes_axes.bar(positions, minutes, color=SKY, width=0.8)):
            bar.set_gid(f"minutes-{index}")
    minutes_axes.set_ylabel(_("minutes of cramps"))
    _whole_numbers(minutes_axes.yaxis, top=max(minutes, default=0))
    minutes_axes.grid(axis="y")
    minutes_axes.set_axisbelow(True)
    minutes_axes.set_xlabel(_x_label(periods))
    _period_ticks(minutes_axes, periods)
    figure.align_ylabels([severity_axes, minutes_axes])
    _head(severity_axes, _("How bad, and how long"), [worst, average] if with_cramps else [])
    return figure


def _muscles(by_muscle_side: dict) -> Figure:
    """Which muscles, on which side: cramps per muscle, stacked left / right / both."""
    names = [muscle for muscle in Muscle if any(m == muscle for m, _side in by_muscle_side)]
    figure = _figure(1.5 + 0.34 * max(len(names), 1))
    axes = figure.add_subplot()
    positions = list(range(len(names)))
    left = [0] * len(names)
    handles = []
    for side in Side:
        counts = [by_muscle_side.get((muscle.value, side.value), 0) for muscle in names]
        bars = axes.barh(
            positions,
            counts,
            left=left,
            height=0.7,
            color=SIDE_COLOURS[side],
            edgecolor=PAPER,  # a thin gap between the sides of one bar
            linewidth=0.8,
            label=str(side.label),
        )
        for muscle, bar in zip(names, bars, strict=True):
            bar.set_gid(f"{muscle.value}-{side.value}")
        handles.append(bars)
        left = [a + b for a, b in zip(left, counts, strict=True)]
    axes.set_yticks(positions, [str(muscle.label) for muscle in names])
    axes.set_ylim(max(len(names), 1) - 0.5, -0.5)  # the commonest first, at the top
    _whole_numbers(axes.xaxis, top=max(left, default=0))
    axes.grid(axis="x")
    axes.set_axisbelow(True)
    axes.tick_params(axis="y", length=0)
    axes.set_xlabel(_("cramps"))
    _head(axes, _("Muscles"), handles if names else [])
    return figure


def _remedy_label(remedy: str) -> str:
    return _("No remedy (for comparison)") if remedy == NO_REMEDY else str(Remedy(remedy).label)


def _remedies(remedies) -> Figure:
    """What helps (a what_helps.Remedies): for each remedy tried, and last for the cramps with
    no remedy, the share of cramps that eased fully; fewer tries than the minimum show their
    count and "not enough tries yet". Each name and share stand above its bar, so the bars have
    the whole width, even on a phone, and no text is drawn over a bar."""
    tried = [effect for effect in (*remedies.effects, remedies.no_remedy) if effect.tries]
    figure = _figure(1.15 + 0.5 * max(len(tried), 1))
    axes = figure.add_subplot()
    for row, effect in enumerate(tried):
        # A row is one unit tall (y grows downwards): the words above, the bar below them.
        words, bar = row - 0.08, row + 0.2
        axes.annotate(
            _remedy_label(effect.remedy),
            (0, words),
            ha="left",
            va="bottom",
            annotation_clip=False,
            gid=f"remedy-{effect.remedy}",
        )
        if effect.share is None:
            axes.annotate(
                _("not enough tries yet (%(n)d)") % {"n": effect.tries},
                (0, bar),
                ha="left",
                va="center",
                color=MUTED,
                gid=f"share-{effect.remedy}",
            )
            continue
        share = effect.share * 100
        axes.barh([bar], [100], height=0.42, color=BLANK).patches[0].set_gid(
            f"track-{effect.remedy}"
        )
        colour = MUTED if effect.remedy == NO_REMEDY else GREEN
        axes.barh([bar], [share], height=0.42, color=colour).patches[0].set_gid(
            f"helped-{effect.remedy}"
        )
        axes.annotate(
            _("%(share)d%% of %(n)d") % {"share": round(share), "n": effect.tries},
            (100, words),
            ha="right",
            va="bottom",
            annotation_clip=False,
            gid=f"share-{effect.remedy}",
        )
    axes.set_ylim(max(len(tried), 1) - 0.5, -0.5)
    axes.set_yticks([])
    axes.spines["left"].set_visible(False)
    axes.set_xlim(0, 100)
    axes.set_xticks([0, 25, 50, 75, 100])
    axes.set_xlabel(_("% of cramps that eased fully"))
    _head(axes, _("What helped"))
    return figure


_DRAWERS = {
    "frequency": _frequency,
    "severity": _severity_duration,
    "muscles": _muscles,
    "remedies": _remedies,
}


def figure_for(name: str, data) -> Figure:
    """The chart `name` (a key of _DRAWERS) as a Figure, not yet serialised: `data` is the
    periods for "frequency" and "severity", the counts by (muscle, side) for "muscles", the
    what_helps.Remedies for "remedies"."""
    if name not in _DRAWERS:
        raise ValueError(f"unknown chart {name!r}")
    return _DRAWERS[name](data)


def frequency(periods, fmt: str = "svg", bands=()) -> bytes:
    """`bands`: the treatments (Band) drawn along the top."""
    typed = [_band_label(band) for band in bands]
    return _render(_frequency(periods, bands), fmt, "frequency", typed)


def severity_duration(periods, fmt: str = "svg") -> bytes:
    return _render(figure_for("severity", periods), fmt, "severity")


def muscles(by_muscle_side: dict, fmt: str = "svg") -> bytes:
    return _render(figure_for("muscles", by_muscle_side), fmt, "muscles")


def remedies(remedies, fmt: str = "svg") -> bytes:
    return _render(figure_for("remedies", remedies), fmt, "remedies")


# --- Serialising ----------------------------------------------------------------------------


def _render(figure: Figure, fmt: str, prefix: str, typed=()) -> bytes:
    """`typed`: the text a person typed that the figure shows (treatment names), which the
    process must not keep once drawn (see _measure)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown chart format {fmt!r}")
    buffer = io.BytesIO()
    metadata = {"Date": None} if fmt == "svg" else {}
    _measuring.on = True
    _measuring.typed = frozenset(typed)
    try:
        # The layout, run here once: left to savefig, it draws the whole figure (with drawing
        # switched off) only to run the layout, then draws it again for real.
        if (engine := figure.get_layout_engine()) is not None:
            engine.execute(figure)
            figure.set_layout_engine(None)
        figure.savefig(buffer, format=fmt, metadata=metadata, dpi=PNG_DPI if fmt == "png" else 72)
    finally:
        _measuring.on = False
        _measuring.typed = frozenset()
    return _inline_svg(buffer.getvalue(), prefix) if fmt == "svg" else buffer.getvalue()


# Text measured once. Writing SVG with real text, matplotlib measures each string by setting it
# in the font at 100 pt (TextToPath), about 1.5 ms a string, on both of savefig's passes (the
# layout, then the drawing), for every figure: a third of a chart's time. Our charts' strings
# recur in every chart and request (tick labels, titles, legends), so while _render draws one,
# on its own thread, the measurements are kept by string, font and size: exactly what the
# result depends on. Anything else drawing in the process measures as matplotlib does, and so
# does text a person typed (treatment names): a patient's words are not kept in the process.
_measuring = threading.local()
_measure_plain = TextToPath.get_text_width_height_descent
_MEASURED: dict[tuple, tuple] = {}
_MEASURED_UP_TO = 20_000


def _measure(self, s, prop, ismath):
    if not getattr(_measuring, "on", False) or s in _measuring.typed:
        return _measure_plain(self, s, prop, ismath)
    key = (
        s,
        str(ismath),
        tuple(prop.get_family()),
        prop.get_style(),
        prop.get_variant(),
        prop.get_weight(),
        prop.get_stretch(),
        prop.get_size_in_points(),
        prop.get_file(),
        prop.get_math_fontfamily(),
    )
    measured = _MEASURED.get(key)
    if measured is None:
        if len(_MEASURED) >= _MEASURED_UP_TO:
            _MEASURED.clear()
        measured = _MEASURED[key] = _measure_plain(self, s, prop, ismath)
    return measured


TextToPath.get_text_width_height_descent = _measure


# Style properties that SVG also takes as presentation attributes (which CSS overrides).
_PRESENTATION = frozenset(
    {
        "clip-path",
        "display",
        "dominant-baseline",
        "fill",
        "fill-opacity",
        "fill-rule",
        "font-family",
        "font-size",
        "font-stretch",
        "font-style",
        "font-variant",
        "font-weight",
        "letter-spacing",
        "opacity",
        "stroke",
        "stroke-dasharray",
        "stroke-dashoffset",
        "stroke-linecap",
        "stroke-linejoin",
        "stroke-miterlimit",
        "stroke-opacity",
        "stroke-width",
        "text-anchor",
        "visibility",
    }
)
_ROLES = {colour: role for role, colour in PALETTE.items()}
_TAG = re.compile(r'<([A-Za-z]+)((?:\s+[\w:.-]+="[^"]*")*)\s*(/?)>')
_ATTRIBUTE = re.compile(r'([\w:.-]+)="([^"]*)"')
# Where DejaVu Sans (what the layout was measured with) is missing, a sans-serif, not Times.
_FONTS = "'DejaVu Sans', Verdana, sans-serif"


def _restyled(match: re.Match) -> str:
    """One tag with its style attribute turned into presentation attributes, and a class for
    the role of each colour it paints with ("fill-ink stroke-muted")."""
    name, attributes, empty = match.groups()
    attrs = dict(_ATTRIBUTE.findall(attributes))
    rest = []
    for declaration in attrs.pop("style", "").split(";"):
        prop, _colon, value = (part.strip() for part in declaration.partition(":"))
        if prop in _PRESENTATION:
            attrs[prop] = value
        elif prop:
            rest.append(f"{prop}: {value}")
    if rest:
        attrs["style"] = "; ".join(rest)
    if "font-family" in attrs:
        attrs["font-family"] = _FONTS
    classes = [
        f"{paint}-{_ROLES[attrs[paint].lower()]}"
        for paint in ("fill", "stroke")
        if attrs.get(paint, "").lower() in _ROLES
    ]
    if classes:
        attrs["class"] = " ".join([*attrs.get("class", "").split(), *classes])
    text = "".join(f' {key}="{value}"' for key, value in attrs.items())
    return f"<{name}{text}{' /' if empty else ''}>"


def _bare_markers(match: re.Match) -> str:
    """A marker's shape (a <path> in <defs>, drawn by <use> elements) without colours of its
    own: it takes them from each <use>, whose classes CSS can reach (browsers do not restyle
    the copy of the shape inside a <use>). Patterns (hatching) and clip paths are kept."""
    block = match.group(0)
    if "<pattern" in block or "<clipPath" in block:
        return block
    return re.sub(r' (?:fill|stroke|class)="[^"]*"(?=[^<>]*/?>)', "", block)


def _inline_svg(svg: bytes, prefix: str) -> bytes:
    """Makes an SVG fit inside a page: no XML prolog, metadata, <style> or style attributes;
    colours as classed presentation attributes (see the module's docstring); ids unique to the
    chart; SVG_WIDTH_PX wide, scaled by its viewBox."""
    text = svg.decode()
    text = text[text.index("<svg") :]
    text = re.sub(r"\s*<metadata>.*?</metadata>", "", text, flags=re.S)
    text = re.sub(r"<defs>\s*<style[^>]*>.*?</style>\s*</defs>", "", text, flags=re.S)
    text = re.sub(r'\bid="', f'id="{prefix}-', text)
    text = text.replace("url(#", f"url(#{prefix}-").replace('href="#', f'href="#{prefix}-')
    text = _TAG.sub(_restyled, text)
    text = re.sub(r"<defs>.*?</defs>", _bare_markers, text, flags=re.S)
    width, height = (float(n) for n in re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', text).groups())
    size = f'width="{SVG_WIDTH_PX}" height="{round(SVG_WIDTH_PX * height / width)}"'
    text = re.sub(r'<svg ([^>]*?)width="[^"]*" height="[^"]*"', rf"<svg \1{size}", text, count=1)
    # The figure caption and the data table beside the chart are its text alternative.
    return text.replace("<svg ", '<svg aria-hidden="true" class="chart" ', 1).encode()
