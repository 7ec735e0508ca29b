"""A one-page brief (bản tin) of a unit and period as PDF, for a meeting: the headline indicators
against their targets with their lights, a chart of plan completion, what needs attention and
what changed. Drawn with ReportLab (BSD, pure Python; charts with reportlab.graphics).

Vietnamese needs a Unicode font: Roboto (Apache-2.0) from the ``font-roboto`` package; failing
that, DejaVu Sans from the system (``fonts-dejavu-core``); failing both, ReportLab's Helvetica,
which drops the Vietnamese marks (``FONT_NOTE`` says which one was used)."""

from __future__ import annotations

import io
from pathlib import Path

from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from toancanh.web.leader import Glance

LIGHTS = {"green": "#2e7d32", "amber": "#ef6c00", "red": "#c62828", "none": "#9e9e9e"}
_FONTS: tuple[str, str] | None = None
FONT_NOTE = ""


def _font_files() -> tuple[Path, Path] | None:
    try:
        import font_roboto

        folder = Path(font_roboto.font_directory)
        regular, bold = folder / "Roboto-Regular.ttf", folder / "Roboto-Bold.ttf"
        if regular.exists() and bold.exists():
            return regular, bold
    except ImportError:
        pass
    system = Path("/usr/share/fonts/truetype/dejavu")
    regular, bold = system / "DejaVuSans.ttf", system / "DejaVuSans-Bold.ttf"
    if regular.exists() and bold.exists():
        return regular, bold
    return None


def fonts() -> tuple[str, str]:
    """The regular and bold font names, registered with ReportLab once."""
    global _FONTS, FONT_NOTE
    if _FONTS is None:
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont

        files = _font_files()
        if files is None:
            _FONTS, FONT_NOTE = ("Helvetica", "Helvetica-Bold"), "Helvetica (no Unicode font found)"
        else:
            pdfmetrics.registerFont(TTFont("Brief", str(files[0])))
            pdfmetrics.registerFont(TTFont("Brief-Bold", str(files[1])))
            _FONTS, FONT_NOTE = ("Brief", "Brief-Bold"), files[0].name
    return _FONTS


def _num(value: float | None, decimals: int = 1) -> str:
    if value is None:
        return "—"
    return number_format(round(value, decimals), decimal_pos=decimals, use_l10n=True, force_grouping=True)


def _chart(g: Glance, width: float, regular: str):
    """Plan completion (% of the year's target) of each headline indicator that has one, as bars
    coloured by the light, with the 100 % line."""
    from reportlab.graphics.charts.barcharts import HorizontalBarChart
    from reportlab.graphics.shapes import Drawing, Line, String
    from reportlab.lib import colors

    judged = [f for f in g.figures if f.completion_pct is not None][:10]
    if not judged:
        return None
    height = 24 + 16 * len(judged)
    d = Drawing(width, height)
    chart = HorizontalBarChart()
    chart.x, chart.y, chart.width, chart.height = 170, 14, width - 200, height - 22
    values = [min(max(f.completion_pct or 0, 0), 200) for f in judged][::-1]
    chart.data = [values]
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, 150, 25
    chart.valueAxis.labels.fontName, chart.valueAxis.labels.fontSize = regular, 7
    chart.valueAxis.labelTextFormat = lambda v: f"{v:.0f} %"
    chart.categoryAxis.categoryNames = [_short(f.indicator.localized, 34) for f in judged][::-1]
    chart.categoryAxis.labels.fontName, chart.categoryAxis.labels.fontSize = regular, 7
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.bars.strokeColor = None
    for i, f in enumerate(judged[::-1]):
        chart.bars[(0, i)].fillColor = colors.HexColor(LIGHTS[f.status])
    d.add(chart)
    x100 = chart.x + chart.width * 100 / 150
    d.add(Line(x100, chart.y - 2, x100, chart.y + chart.height + 2, strokeColor=colors.black, strokeDashArray=[2, 2]))
    d.add(String(x100 + 2, chart.y + chart.height - 1, _("target"), fontName=regular, fontSize=6))
    return d


def _short(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def render(g: Glance) -> bytes:
    """The brief of ``g`` as a one-page A4 PDF."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    regular, bold = fonts()
    base = ParagraphStyle("base", fontName=regular, fontSize=8.5, leading=11)
    small = ParagraphStyle("small", parent=base, fontSize=7.5, leading=9.5, textColor=colors.HexColor("#555555"))
    h1 = ParagraphStyle("h1", parent=base, fontName=bold, fontSize=15, leading=19)
    h2 = ParagraphStyle("h2", parent=base, fontName=bold, fontSize=10.5, leading=14, spaceBefore=6, spaceAfter=3)
    cell = ParagraphStyle("cell", parent=base, fontSize=8, leading=10)
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=14 * mm, rightMargin=14 * mm, topMargin=12 * mm,
                            bottomMargin=12 * mm, title=f"{_('Brief')} · {g.unit.name} · {g.period.label}",
                            author="Toàn Cảnh")  # fmt: skip
    now = timezone.localtime()
    story: list = [
        Paragraph(_("Socio-economic brief"), small),
        Paragraph(_escape(f"{g.unit.name} · {g.period.label}"), h1),
        Paragraph(
            _(
                "Prepared %(when)s from the figures filed so far; lights judge the year to date against "
                "the year's target."
            )
            % {"when": date_format(now, "SHORT_DATETIME_FORMAT")},
            small,
        ),  # fmt: skip
        Spacer(1, 4),
    ]
    c = g.counts
    story.append(Paragraph(
        _("%(green)s on track · %(amber)s to watch · %(red)s behind · %(att)s items need attention")
        % {"green": c["green"], "amber": c["amber"], "red": c["red"], "att": g.attention}, base))  # fmt: skip
    story.append(Paragraph(_("Headline indicators"), h2))
    rows = [[_("Indicator"), _("Figure"), _("Period"), _("On last year"), _("Target"), _("Completion"), ""]]
    for f in g.figures:
        ind = f.indicator
        target = "—"
        if f.target is not None:
            target = _num(f.target, ind.decimals) + (f"–{_num(f.target_upper, ind.decimals)}" if f.target_upper else "")
        rows.append([
            Paragraph(_escape(ind.localized), cell),
            Paragraph(f"{_num(f.value, ind.decimals)} {ind.measure}" if f.period else _("no figure yet"), cell),
            f.period_label or "—",
            f.change_text or "—",
            target,
            "—" if f.completion_pct is None else _num(f.completion_pct) + " %",
            "",
        ])  # fmt: skip
    table = Table(rows, colWidths=[62 * mm, 30 * mm, 22 * mm, 20 * mm, 20 * mm, 18 * mm, 6 * mm], repeatRows=1)
    style = [
        ("FONTNAME", (0, 0), (-1, -1), regular), ("FONTSIZE", (0, 0), (-1, -1), 8),
        ("FONTNAME", (0, 0), (-1, 0), bold), ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#cccccc")),
        ("ALIGN", (3, 1), (5, -1), "RIGHT"),
    ]  # fmt: skip
    for i, f in enumerate(g.figures, start=1):
        style.append(("BACKGROUND", (6, i), (6, i), colors.HexColor(LIGHTS[f.status])))
    table.setStyle(TableStyle(style))
    story.append(table)
    chart = _chart(g, doc.width, regular)
    if chart is not None:
        story += [Paragraph(_("Plan completion"), h2), chart]
    story.append(Paragraph(_("Needs attention"), h2))
    items = [_("%(name)s: behind its target (%(verdict)s)") % {"name": f.indicator.localized, "verdict": f.verdict}
             for f in g.off_track]  # fmt: skip
    items += [_("Severe situation: %(title)s (%(unit)s), open since %(when)s")
              % {"title": s.title, "unit": s.unit.name, "when": date_format(timezone.localtime(s.opened_at), "SHORT_DATETIME_FORMAT")}
              for s in g.severe]  # fmt: skip
    items += [_("Overdue step: %(step)s — %(situation)s") % {"step": s.title, "situation": s.situation.title}
              for s in g.overdue]  # fmt: skip
    story += [Paragraph("• " + _escape(t), base) for t in items[:12]] or [
        Paragraph(_("Nothing needs attention."), base)
    ]
    story.append(Paragraph(_("Changed since yesterday"), h2))
    if g.changed:
        story += [Paragraph("• " + _escape(f"{v.indicator.localized} · {v.unit.name} · {_period(v.period)}: "
                                           f"{_num(float(v.value), v.indicator.decimals)} {v.indicator.measure}"), base)
                  for v in g.changed[:6]]  # fmt: skip
        if g.changed_total > 6:
            story.append(Paragraph(_("and %(n)s more figures") % {"n": _num(g.changed_total - 6, 0)}, small))
    else:
        story.append(Paragraph(_("No figure was filed or corrected in the last 24 hours."), base))
    doc.build(story)
    return buf.getvalue()


def _period(code: str) -> str:
    from toancanh.core.periods import Period

    try:
        return Period.parse(code).label
    except ValueError:
        return code


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
