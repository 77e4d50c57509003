"""Charts: valid SVG with the expected shapes, never pyplot, rendered once per diary version;
legible at a phone's and a desktop's width with nothing drawn over anything; one SVG, recoloured
by CSS when the device is set to dark."""

import functools
import io
import random
import re
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import matplotlib.image
import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from matplotlib.text import Text

from diary.domain import stats, what_helps
from diary.domain.records import CrampRecord, NightRecord
from diary.output import charts
from diary.services import reports
from diary.services.nights import night_save

PROJECT = Path(__file__).resolve().parents[2]
MORNING = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
CALF = CrampRecord("calf", "left", 3, 6, True, frozenset({"massage"}), "some")


def _diary():
    # Weeks of Mon 2 Nov, 9 Nov (not logged at all), 16 Nov and 23 Nov.
    return [
        NightRecord(date(2026, 11, 2), cramps=(CALF, CALF)),
        NightRecord(date(2026, 11, 3)),
        NightRecord(date(2026, 11, 17), cramps=(CALF,)),
        NightRecord(date(2026, 11, 24)),
    ]


def _svg(chart: bytes) -> ET.Element:
    return ET.fromstring(chart)


def test_the_frequency_svg_parses_and_has_a_bar_for_each_logged_week():
    periods = stats.weekly_periods(_diary(), date(2026, 11, 2), date(2026, 11, 29))
    root = _svg(charts.frequency(periods))
    ids = {element.get("id") for element in root.iter() if element.get("id")}
    bars = sorted(i for i in ids if re.fullmatch(r"frequency-cramps-\d+", i))
    assert bars == ["frequency-cramps-0", "frequency-cramps-2", "frequency-cramps-3"]


def test_the_frequency_svg_keeps_its_text_and_carries_no_style_element():
    periods = stats.weekly_periods(_diary(), date(2026, 11, 2), date(2026, 11, 29))
    svg = charts.frequency(periods).decode()
    assert "Cramps per week" in svg and "3 a week" in svg and "not logged" in svg
    assert "<style" not in svg and not svg.startswith("<?xml")


def test_a_short_range_is_drawn_night_by_night():
    periods = stats.periods(_diary(), date(2026, 11, 1), date(2026, 11, 7))
    svg = charts.frequency(periods).decode()
    assert "Cramps each night" in svg
    ids = re.findall(r'id="(frequency-cramps-\d+)"', svg)
    assert ids == ["frequency-cramps-1", "frequency-cramps-2"]  # 2 and 3 Nov were logged


@pytest.mark.parametrize("name", reports.CHART_NAMES)
@pytest.mark.parametrize("fmt", charts.FORMATS)
def test_every_chart_renders_for_an_empty_diary_too(name, fmt):
    for nights in ([], _diary()):
        report = reports.Report(
            patient_id=1,
            version=1,
            first=date(2026, 11, 1),
            last=date(2026, 11, 29),
            stats=stats.range_stats(nights, date(2026, 11, 1), date(2026, 11, 29)),
            previous=stats.range_stats(nights, date(2026, 10, 3), date(2026, 10, 31)),
            change=stats.Change(None, None, None, None),
            periods=stats.periods(nights, date(2026, 11, 1), date(2026, 11, 29)),
            remedies=what_helps.remedy_effects(nights, date(2026, 11, 1), date(2026, 11, 29)),
            habits=what_helps.habit_effects(nights, date(2026, 11, 1), date(2026, 11, 29)),
            nights=nights,
        )
        drawn = reports._draw(report, name, fmt)
        if fmt == "png":
            assert drawn.startswith(b"\x89PNG")
        else:
            _svg(drawn)


def test_two_charts_on_one_page_share_no_ids():
    periods = stats.weekly_periods(_diary(), date(2026, 11, 2), date(2026, 11, 29))
    first = set(re.findall(r'id="([^"]+)"', charts.frequency(periods).decode()))
    second = set(re.findall(r'id="([^"]+)"', charts.severity_duration(periods).decode()))
    assert first and second and not first & second


def test_no_module_of_the_project_imports_pyplot():
    sources = [
        path
        for folder in ("config", "accounts", "diary")
        for path in (PROJECT / folder).rglob("*.py")
    ]
    assert sources
    imports_pyplot = re.compile(
        r"^\s*(import|from)\s+matplotlib[\w.]*(\.pyplot|\s+import\s+.*pyplot)", re.M
    )
    offenders = [str(path) for path in sources if imports_pyplot.search(path.read_text())]
    assert offenders == []


@pytest.fixture
def draws(monkeypatch):
    """Counts the charts actually drawn (not served from the cache)."""
    cache.clear()
    drawn = []
    real = reports._draw

    def counting(report, name, fmt):
        drawn.append(name)
        return real(report, name, fmt)

    monkeypatch.setattr(reports, "_draw", counting)
    return drawn


def test_a_second_request_draws_nothing_and_an_edit_draws_again(
    patient_client, patient, clock, draws
):
    clock(MORNING)
    night_save(patient=patient, record=NightRecord(date(2026, 11, 20), cramps=(CALF,)))
    patient_client.get("/trends/")
    assert sorted(draws) == sorted(reports.CHART_NAMES)
    patient_client.get("/trends/")
    assert len(draws) == len(reports.CHART_NAMES)

    night_save(patient=patient, record=NightRecord(date(2026, 11, 21), cramps=(CALF,)))
    response = patient_client.get("/trends/")
    assert len(draws) == 2 * len(reports.CHART_NAMES)
    assert response.context["report"].stats.cramps == 2


def test_the_cache_key_holds_the_range_and_the_format(patient_client, patient, clock, draws):
    clock(MORNING)
    night_save(patient=patient, record=NightRecord(date(2026, 1, 5)))  # a diary a year long
    patient_client.get("/trends/?range=30")
    patient_client.get("/trends/?range=90")
    patient_client.get("/trends/frequency.png?range=90")
    assert draws.count("frequency") == 3


def test_the_cache_key_holds_the_patient(patient, other_patient, other_client, clock, draws):
    """Two diaries at the same version and range never share a chart."""
    clock(MORNING)
    night_save(patient=patient, record=NightRecord(date(2026, 11, 20), cramps=(CALF,) * 5))
    night_save(patient=other_patient, record=NightRecord(date(2026, 11, 20)))
    patient_client = Client()
    patient_client.force_login(patient)
    mine = patient_client.get("/trends/frequency.svg?range=30")
    theirs = other_client.get("/trends/frequency.svg?range=30")
    assert draws.count("frequency") == 2
    assert mine.content != theirs.content


# --- What a user sees: legible at a phone's width and a desktop's, nothing over anything -------

PHONE_PX, DESKTOP_PX = 366, charts.SVG_WIDTH_PX  # a 390 px phone's column; the widest shown
# Widths (px) to lay the figure out at: as shown on a phone and on a desktop, and as written
# to SVG (72 dpi, its own units) and to PNG.
WIDTHS = {
    "phone": PHONE_PX,
    "desktop": DESKTOP_PX,
    "svg": 72 * charts.WIDTH,
    "png": charts.PNG_DPI * charts.WIDTH,
}
TYPICAL_LAST = date(2026, 11, 27)


def _typical_diary(nights: int, gaps: list[tuple[int, int]], seed: int = 7):
    """`nights` nights up to TYPICAL_LAST, none logged in the `gaps` (nights ago, from..to):
    0 to 4 cramps a night in several muscles, on every side, with every remedy."""
    rng = random.Random(seed)
    muscles = ["calf"] * 6 + ["foot", "foot", "toes", "thigh_back", "thigh_front", "shin"]
    records = []
    for ago in range(nights):
        if any(start <= ago <= end for start, end in gaps):
            continue
        cramps = tuple(
            CrampRecord(
                rng.choice(muscles),
                rng.choice(["left", "left", "right", "both"]),
                rng.choice([0.5, 1, 2, 3, 5, 8]),
                rng.randint(2, 9),
                True,
                frozenset(rng.sample(["flex_foot", "massage", "ice", "walk_or_jiggle"], k=1))
                | ({"hot_shower_or_bath"} if ago % 40 == 0 else set()),
                rng.choice(["none", "some", "full"]),
            )
            for _ in range(rng.choice([0, 0, 0, 1, 1, 2, 4] if ago % 50 > 8 else [3, 4, 5]))
        )
        records.append(NightRecord(TYPICAL_LAST - timedelta(days=ago), cramps=cramps))
    return records


def _data(name, nights, first, last):
    if name in ("frequency", "severity"):
        return stats.periods(nights, first, last, most=reports.PERIODS_UP_TO)
    if name == "muscles":
        return stats.range_stats(nights, first, last).by_muscle_side
    return what_helps.remedy_effects(nights, first, last)


@functools.cache
def _ranges():
    """(label, nights, first, last): typical months and years, and harder cases."""
    last = TYPICAL_LAST
    month = _typical_diary(30, gaps=[(9, 13)])
    year = _typical_diary(365, gaps=[(60, 80), (200, 240)])
    # A bad spell of 20 cramps a night squeezes the 1- and 3-a-week lines together.
    spell = [
        NightRecord(last - timedelta(days=ago), cramps=(CALF,) * (20 if ago < 7 else ago % 2))
        for ago in range(90)
    ]
    decades = [NightRecord(date(1990, 1, 1), cramps=(CALF,)), *_typical_diary(400, gaps=[])]
    # 40 calf cramps and a few more: the cramps axis's last label once went past the edge.
    counts = {
        ("calf", "left"): 19,
        ("calf", "right"): 10,
        ("calf", "both"): 11,
        ("foot", "left"): 10,
        ("foot", "right"): 2,
        ("toes", "left"): 4,
        ("toes", "right"): 3,
        ("toes", "both"): 1,
        ("thigh_back", "left"): 4,
        ("thigh_back", "both"): 2,
    }
    places = [place for place, count in counts.items() for _ in range(count)]
    forty = [
        NightRecord(last - timedelta(days=ago), cramps=(CrampRecord(*place, 1, 5),))
        for ago, place in enumerate(places)
    ]
    return [
        ("30 nights", month, last - timedelta(days=29), last),
        ("365 nights", year, last - timedelta(days=364), last),
        ("a bad spell", spell, last - timedelta(days=89), last),
        ("150 months", decades, date(1990, 1, 1), last),
        ("40 calf cramps", forty, last - timedelta(days=89), last),
        ("one night", month[-1:], last, last),
        ("empty", [], last - timedelta(days=29), last),
    ]


def _drawn(figure, width_px):
    """The figure laid out as if shown `width_px` wide, and a renderer to measure it with."""
    figure.set_dpi(width_px / charts.WIDTH)
    figure.draw_without_rendering()
    return figure.canvas.get_renderer()


def _texts(figure):
    """The texts drawn: every non-empty visible Text but the labels of ticks out of view."""
    hidden = set()
    for axes in figure.axes:
        for axis in (axes.xaxis, axes.yaxis):
            low, high = sorted(axis.get_view_interval())
            ticks = axis.get_major_ticks(len(axis.get_majorticklocs()))
            for tick, location in zip(ticks, axis.get_majorticklocs(), strict=True):
                if not low - 1e-9 <= location <= high + 1e-9:
                    hidden.update({id(tick.label1), id(tick.label2)})
    return [
        text
        for text in figure.findobj(Text)
        if text.get_visible() and text.get_text().strip() and id(text) not in hidden
    ]


def _overlap(a, b, slack=0.5) -> bool:
    """Whether two boxes overlap by more than `slack` px each way (touching is not overlap)."""
    return min(a.x1, b.x1) - max(a.x0, b.x0) > slack and min(a.y1, b.y1) - max(a.y0, b.y0) > slack


def _marks(axes):
    """The data drawn in an axes: bars (not empty ones), hatched runs, lines and dots."""
    patches = [p for p in axes.patches if p.get_width() != 0 and p.get_height() != 0]
    lines = [line for line in axes.lines if len(line.get_xdata())]
    return [*patches, *axes.collections, *lines]


CASES = [
    (name, label, where)
    for name in reports.CHART_NAMES
    for label, *_range in _ranges()
    for where in WIDTHS
]


@pytest.mark.parametrize(("name", "label", "where"), CASES)
def test_nothing_collides_and_text_is_page_sized(name, label, where):
    """Legends sit outside the plot, labels over no bar nor each other, everything inside the
    figure, whole-number counts; on a phone and a desktop, text of 12-16 px."""
    _label, nights, first, last = next(r for r in _ranges() if r[0] == label)
    figure = charts.figure_for(name, _data(name, nights, first, last))
    width = WIDTHS[where]
    renderer = _drawn(figure, width)
    page = figure.bbox
    legends = [legend for axes in figure.axes if (legend := axes.get_legend())]
    in_legends = {id(text) for legend in legends for text in legend.get_texts()}
    texts = _texts(figure)
    boxes = {id(text): text.get_window_extent(renderer) for text in texts}

    for text in texts:
        box = boxes[id(text)]
        said = f"{text.get_text()!r} {box}"
        if where in ("phone", "desktop"):
            assert 12 <= text.get_fontsize() * width / charts.WIDTH / 72 <= 16, said
        assert page.x0 - 1 <= box.x0 and box.x1 <= page.x1 + 1, f"clipped sideways: {said}"
        assert page.y0 - 1 <= box.y0 and box.y1 <= page.y1 + 1, f"clipped: {said}"
        for axes in figure.axes:
            for mark in _marks(axes):
                assert not _overlap(box, mark.get_window_extent(renderer)), f"on a mark: {said}"
    for i, text in enumerate(texts):
        for other in texts[i + 1 :]:
            assert not _overlap(boxes[id(text)], boxes[id(other)]), (
                f"{text.get_text()!r} over {other.get_text()!r}"
            )
    for legend in legends:
        box = legend.get_window_extent(renderer)
        assert page.x0 - 1 <= box.x0 and box.x1 <= page.x1 + 1 and box.y1 <= page.y1 + 1
        for axes in figure.axes:
            assert not _overlap(box, axes.bbox), "a legend inside the plot"
        for text in texts:
            if id(text) not in in_legends:
                assert not _overlap(box, boxes[id(text)]), f"legend over {text.get_text()!r}"
    for axes in figure.axes:  # count axes: whole numbers only
        if name == "remedies":
            continue
        axis = axes.xaxis if name == "muscles" else axes.yaxis
        low, high = sorted(axis.get_view_interval())
        shown = [v for v in axis.get_majorticklocs() if low <= v <= high]
        assert shown and all(float(v).is_integer() for v in shown), shown


@pytest.mark.parametrize("name", reports.CHART_NAMES)
def test_the_legend_of_a_typical_year_shows_every_entry(name):
    _label, nights, first, last = _ranges()[1]
    figure = charts.figure_for(name, _data(name, nights, first, last))
    expected = {
        "frequency": {"cramps", "nights with cramps", "not logged"},
        "severity": {"worst", "average"},
        "muscles": {"Left", "Right", "Both"},
        "remedies": set(),
    }[name]
    shown = {
        t.get_text()
        for axes in figure.axes
        if axes.get_legend()
        for t in axes.get_legend().get_texts()
    }
    assert shown == expected


def test_reference_line_labels_sit_in_the_margin_by_their_lines():
    _label, nights, first, last = _ranges()[1]
    figure = charts.figure_for("frequency", _data("frequency", nights, first, last))
    renderer = _drawn(figure, PHONE_PX)
    (axes,) = figure.axes
    labels = {t.get_text(): t.get_window_extent(renderer) for t in axes.texts}
    assert set(labels) == {"1 a week", "3 a week"}
    for level in (1, 3):
        box = labels[f"{level} a week"]
        assert box.x0 >= axes.bbox.x1  # right of the plot: over no bar
        # At its line, or lifted by less than its height when the lines are close.
        assert box.y0 - box.height <= axes.transData.transform((0, level))[1] <= box.y1


# --- One SVG for light and dark ---------------------------------------------------------------

CSS = PROJECT / "static" / "css" / "charts.css"


def _css_rules(dark: bool) -> dict[str, str]:
    """Selector -> declarations of charts.css, inside the dark media query or outside it."""
    text = re.sub(r"/\*.*?\*/", "", CSS.read_text(), flags=re.S)
    start = text.index("@media screen and (prefers-color-scheme: dark)")
    body = text[text.index("{", start) + 1 : text.rindex("}")] if dark else text[:start]
    return {s.strip(): d.strip() for s, d in re.findall(r"([^{}]+)\{([^{}]*)\}", body)}


@pytest.mark.parametrize("name", reports.CHART_NAMES)
def test_every_colour_of_the_svg_has_a_role_and_a_dark_rule(name):
    _label, nights, first, last = _ranges()[1]
    svg = charts._render(charts.figure_for(name, _data(name, nights, first, last)), "svg", name)
    text = svg.decode()
    assert "style=" not in text and "<style" not in text  # so CSS can recolour every shape
    ids = re.findall(r' id="([^"]+)"', text)
    assert len(ids) == len(set(ids))  # ids unique in the page
    dark = _css_rules(dark=True)
    for element in _svg(svg).iter():
        classes = set((element.get("class") or "").split())
        for paint in ("fill", "stroke"):
            colour = (element.get(paint) or "none").lower()
            if colour == "none" or colour.startswith("url("):
                continue
            role = {v: k for k, v in charts.PALETTE.items()}.get(colour)
            assert role, f"{colour} on <{element.tag}> is not in the palette"
            assert f"{paint}-{role}" in classes
            assert f"svg.chart .{paint}-{role}" in dark, f"no dark rule for {paint}-{role}"


def test_the_dark_rules_cover_the_palette_and_the_chart_width_matches():
    assert len(set(charts.PALETTE.values())) == len(charts.PALETTE)  # a role per colour
    dark = _css_rules(dark=True)
    for role in charts.PALETTE:
        assert f"svg.chart .fill-{role}" in dark and f"svg.chart .stroke-{role}" in dark
    light = _css_rules(dark=False)
    assert f"max-width: {charts.SVG_WIDTH_PX / 16:g}rem" in light["svg.chart"]


def test_the_svg_keeps_the_light_colours_and_ids_the_browser_test_reads():
    periods = stats.periods(_diary(), date(2026, 11, 1), date(2026, 11, 29))
    svg = charts.frequency(periods).decode()
    bar = re.search(r'<g id="frequency-cramps-1">\s*<path [^>]*>', svg).group(0)
    assert 'fill="#0072b2"' in bar and 'class="fill-blue"' in bar
    assert re.match(r'<svg aria-hidden="true" class="chart" [^>]*width="432" height="\d+"', svg)


def test_the_png_download_stays_light():
    periods = stats.periods(_diary(), date(2026, 11, 1), date(2026, 11, 29))
    png = charts.frequency(periods, "png")
    image = matplotlib.image.imread(io.BytesIO(png))
    assert tuple(image[2, 2][:3]) == (1.0, 1.0, 1.0)  # a white corner


# Text a user typed is drawn as typed, never read as a formula (issue 23)

FORMULA_NAMES = ("Mg $\\x$", "Magnesium $$", "$x^2$ drops")


def _band_names(svg: str) -> list[str]:
    """The text of the first treatment's strip, as the SVG writes it."""
    return re.findall(
        r'id="frequency-treatment-0-name">(?:\s*<g[^>]*>)?\s*<text[^>]*>([^<]*)<', svg
    )


@pytest.fixture
def formula_treatments(patient, clock):
    """A patient whose treatments have names matplotlib would read as (broken) mathtext."""
    from diary.models import Treatment

    clock(MORNING)
    for day in range(1, 28):
        cramps = (CALF,) if day % 3 else ()
        night_save(patient=patient, record=NightRecord(date(2026, 11, day), cramps=cramps))
    for offset, name in enumerate(FORMULA_NAMES):
        Treatment.objects.create(
            patient=patient, kind="other", name=name, start=date(2026, 11, 5 + offset)
        )
    return patient


@pytest.mark.parametrize("name", reports.CHART_NAMES)
@pytest.mark.parametrize("fmt", charts.FORMATS)
def test_every_chart_download_draws_dollar_signs_as_typed(
    formula_treatments, patient_client, name, fmt
):
    response = patient_client.get(f"/trends/{name}.{fmt}?range=30")
    assert response.status_code == 200
    if fmt == "svg" and name == "frequency":
        svg = response.content.decode()
        for typed in FORMULA_NAMES:
            assert f">{typed}<" in svg  # the very characters, as text, not a formula


@pytest.mark.parametrize("url", ["/", "/trends/?range=30", "/summary/?range=30"])
def test_pages_with_charts_show_dollar_signs_as_typed(formula_treatments, patient_client, url):
    response = patient_client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    # The chart itself is on the page (a template drops a chart that fails, silently).
    assert _band_names(page) == ["Mg $\\x$"]


@pytest.mark.parametrize("fmt", charts.FORMATS)
def test_every_chart_a_pdf_embeds_draws_names_literally(formula_treatments, fmt):
    """The summary PDF embeds reports.chart's drawing of each chart."""
    report = reports.report_for(
        patient=formula_treatments, first=date(2026, 11, 1), last=date(2026, 11, 27)
    )
    for name in reports.CHART_NAMES:
        drawn = reports.chart(report, name, fmt)
        assert drawn
    svg = reports.chart(report, "frequency", "svg").decode()
    assert "$x^2$ drops" in svg and "x²" not in svg


def test_a_valid_formula_is_drawn_as_its_characters_not_as_maths():
    periods = stats.periods(_diary(), date(2026, 11, 1), date(2026, 11, 29))
    band = charts.Band("$x^2$", date(2026, 11, 3), date(2026, 11, 20))
    figure = charts.figure_for("frequency", periods)
    assert figure  # the plain chart draws; now with the band:
    svg = charts.frequency(periods, "svg", [band]).decode()
    assert _band_names(svg) == ["$x^2$"]


def test_no_text_a_chart_draws_is_parsed_as_mathtext():
    """Tick labels, legends, titles and annotations alike: the switch is matplotlib's own."""
    periods = stats.periods(_diary(), date(2026, 11, 1), date(2026, 11, 29))
    figure = charts._frequency(periods, [charts.Band("$a$", date(2026, 11, 3), date(2026, 11, 9))])
    texts = figure.findobj(Text)
    assert texts and not [t.get_text() for t in texts if t._parse_math]


def test_a_treatment_name_drawn_is_not_kept_in_the_process():
    """The text measurements kept between charts (charts._MEASURED) hold our own labels only:
    the words a patient typed go when the chart is drawn, as the cache's do with the account."""
    periods = stats.periods(_diary(), date(2026, 11, 1), date(2026, 11, 29))
    band = charts.Band("Kept-nowhere tonic", date(2026, 11, 3), date(2026, 11, 20))
    assert "Kept-nowhere tonic" in charts.frequency(periods, "svg", [band]).decode()
    assert charts._MEASURED and not [key for key in charts._MEASURED if "Kept-nowhere" in key[0]]


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(one: str, other: str) -> float:
    light, dark = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_a_treatments_name_reads_at_4_5_to_1_on_its_strip_light_and_dark(
    formula_treatments, patient_client
):
    svg = patient_client.get("/trends/frequency.svg?range=30").content.decode()
    name = re.search(r'id="frequency-treatment-0-name">(?:\s*<g[^>]*>)?\s*<text[^>]*>', svg)
    role = re.search(r'class="fill-([\w]+)"', name.group(0)).group(1)
    strip = re.search(r'<g id="frequency-treatment-0">\s*<path [^>]*>', svg).group(0)
    strip_role = re.search(r'class="fill-([\w]+)"', strip).group(1)
    assert _contrast(charts.PALETTE[role], charts.PALETTE[strip_role]) >= 4.5
    css = (Path(settings.BASE_DIR) / "static/css/charts.css").read_text()
    dark = dict(re.findall(r"svg\.chart \.fill-(\w+) \{ fill: (#[0-9a-f]{6}); \}", css))
    assert _contrast(dark[role], dark[strip_role]) >= 4.5
