"""The report's charts as PNG images a phone shows full width (1080 px wide, large type).

matplotlib's object API on the Agg backend (no pyplot, no display, safe in a worker thread);
DejaVu Sans, which ships with matplotlib, has every Vietnamese letter. Each chart also returns
the series it drew, so tests (and readers of the code) can check what it shows.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from bot.domain.reports import YearReport, cumulative
from bot.texts import t

WIDTH_IN, DPI = 7.2, 150  # 1080 px: a phone's screen width
MAX_LABEL = 22  # longer cell names are cut: the bars need the width
MAX_CELLS = 20  # a bigger ward shows the cells most behind (then the rest, best last)
BEHIND, DONE, QUOTA, LAST = "#c62828", "#2e7d32", "#37474f", "#90a4ae"
FONT = {"font.family": "DejaVu Sans", "font.size": 12}


@dataclass(frozen=True)
class Chart:
    name: str  # file name, e.g. "1-chi-tieu.png"
    caption: str
    png: bytes
    data: dict[str, Any] = field(default_factory=dict)  # the series drawn


def _figure(height_in: float) -> Figure:
    from matplotlib import rcParams

    rcParams.update(FONT)
    return Figure(figsize=(WIDTH_IN, height_in), dpi=DPI, layout="constrained")


def _png(fig: Figure) -> bytes:
    out = io.BytesIO()
    FigureCanvasAgg(fig).print_png(out)
    return out.getvalue()


def _short(name: str) -> str:
    """ "Chi bộ tổ 16" → "Tổ 16": the word every label repeats adds nothing on a small screen."""
    for prefix in ("Chi bộ ", "chi bộ "):
        if name.startswith(prefix) and len(name) > len(prefix):
            rest = name[len(prefix):]
            name = rest[0].upper() + rest[1:]
            break
    return name if len(name) <= MAX_LABEL else name[:MAX_LABEL - 1].rstrip() + "…"


def quota_chart(r: YearReport, lang: str = "vi") -> Chart:
    """Admissions against quota per cell, the cells behind in red (for a big ward, those most
    behind first, up to MAX_CELLS)."""
    rows = list(r.cells[:MAX_CELLS])
    labels = [_short(c.name) for c in rows]
    admitted = [c.progress.admitted for c in rows]
    quotas = [c.progress.quota for c in rows]
    behind = [c.progress.behind for c in rows]
    fig = _figure(1.6 + 0.42 * max(len(rows), 3))
    ax = fig.add_subplot()
    y = list(range(len(rows)))[::-1]
    ax.barh(y, quotas, height=0.8, color="none", edgecolor=[BEHIND if b else QUOTA for b in behind],
            linewidth=1.4)
    ax.barh(y, admitted, height=0.55, color=[BEHIND if b else DONE for b in behind])
    for yi, a, q, b in zip(y, admitted, quotas, behind, strict=True):
        ax.text(max(a, q) + 0.08, yi, f"{a}/{q}", va="center", fontsize=11,
                color=BEHIND if b else "black", fontweight="bold" if b else "normal")
    ax.set_yticks(y, labels)
    for tick, b in zip(ax.get_yticklabels(), behind, strict=True):
        if b:
            tick.set_color(BEHIND)
            tick.set_fontweight("bold")
    ax.set_xlim(0, max([*admitted, *quotas, 1]) * 1.25)
    ax.xaxis.get_major_locator().set_params(integer=True)
    shown = (t("chart.quota_shown", lang, shown=len(rows), total=len(r.cells))
             if len(r.cells) > len(rows) else "")
    ax.set_title(t("chart.quota_title", lang, year=r.year) + shown, fontsize=13, loc="left")
    ax.legend(handles=[Patch(facecolor="none", edgecolor=QUOTA, label=t("chart.quota", lang)),
                       Patch(color=DONE, label=t("chart.reached", lang)),
                       Patch(color=BEHIND, label=t("chart.behind", lang))],
              loc="lower right", fontsize=10)
    ax.spines[["top", "right"]].set_visible(False)
    return Chart("1-chi-tieu.png", t("report.chart.caption.quota", lang, year=r.year), _png(fig),
                 {"labels": labels, "admitted": admitted, "quota": quotas, "behind": behind})


def months_chart(r: YearReport, lang: str = "vi") -> Chart:
    """This year and last year, cumulative by month, with the year's quota as a line."""
    months = 12 if r.same_period_until is None else r.same_period_until.month
    this = cumulative(r.monthly)[:months]
    last = cumulative(r.monthly_last_year)
    fig = _figure(5.0)
    ax = fig.add_subplot()
    x = list(range(1, 13))
    ax.plot(x, last, color=LAST, linewidth=2.5, marker="o", label=str(r.year - 1))
    ax.plot(x[:months], this, color=BEHIND if r.total.progress.behind else DONE, linewidth=3.5,
            marker="o", label=str(r.year))
    if r.total.progress.quota > 0:
        ax.axhline(r.total.progress.quota, color=QUOTA, linestyle="--", linewidth=1.5,
                   label=t("chart.quota_line", lang, quota=r.total.progress.quota))
    if this:
        ax.annotate(str(this[-1]), (months, this[-1]), textcoords="offset points", xytext=(0, 8),
                    ha="center", fontsize=12, fontweight="bold")
    ax.set_xticks(x, [t("chart.month", lang, n=n) for n in x], fontsize=10)
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.set_ylim(bottom=0)
    ax.set_title(t("chart.months_title", lang, year=r.year, last=r.year - 1), fontsize=13, loc="left")
    ax.legend(loc="upper left", fontsize=10)
    ax.grid(axis="y", alpha=0.3)
    ax.spines[["top", "right"]].set_visible(False)
    return Chart("2-theo-thang.png", t("report.chart.caption.months", lang, year=r.year, last=r.year - 1),
                 _png(fig), {"months": x, "this_year": this, "last_year": last})


def funnel_chart(r: YearReport, lang: str = "vi") -> Chart:
    """Candidates now at each stage, with the median days they have spent there."""
    stages = list(r.funnel)
    labels = [t(f"chart.stage.{s.stage.value}", lang) for s in stages]
    counts = [s.count for s in stages]
    medians = [s.median_days for s in stages]
    fig = _figure(1.6 + 0.55 * len(stages))
    ax = fig.add_subplot()
    y = list(range(len(stages)))[::-1]
    ax.barh(y, counts, height=0.65, color="#1565c0")
    top = max([*counts, 1])
    for yi, n, m in zip(y, counts, medians, strict=True):
        note = t("chart.funnel_note", lang, n=n, days=round(m)) if m is not None else str(n)
        ax.text(n + top * 0.02, yi, note, va="center", fontsize=11)
    ax.set_yticks(y, labels)
    ax.set_xlim(0, top * 1.6)
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.set_title(t("chart.funnel_title", lang), fontsize=13, loc="left")
    ax.spines[["top", "right"]].set_visible(False)
    return Chart("3-cac-buoc.png", t("report.chart.caption.funnel", lang), _png(fig),
                 {"labels": labels, "counts": counts, "median_days": medians})


def build_charts(r: YearReport, lang: str = "vi") -> list[Chart]:
    return [quota_chart(r, lang), months_chart(r, lang), funnel_chart(r, lang)]
