"""The case manager's dashboard: cases by state, due this week, overdue (by how many days),
by official and by agency, search, monthly intake and on-time resolution, CSV export."""

from __future__ import annotations

from markupsafe import Markup
from quart import Blueprint, render_template, request

from reception.domain.cases.case_file import CaseFilter
from reception.web.context import services
from reception.web.i18n import gettext
from reception.web.rendering.charts import bar_chart
from reception.web.security.access import current_staff, staff_required

blueprint = Blueprint("dashboard", __name__, url_prefix="/dashboard")


@blueprint.get("/")
@staff_required()
async def index() -> str:
    args = request.args
    f = CaseFilter(text=args.get("q", "")[:64], overdue_only=args.get("overdue") == "1")
    board = await services().cases.reports.dashboard(
        current_staff(), f)
    months = [m.strftime("%m/%y") for m, _ in board.intake]
    intake_svg = bar_chart(gettext("Cases received per month"),
                           gettext("Number of case files opened in each of the last twelve months."),
                           months, [("intake", [n for _, n in board.intake], "bar-a")])
    res_months = [m.strftime("%m/%y") for m, _, _ in board.resolution]
    resolution_svg = bar_chart(
        gettext("Resolved per month, and resolved on time"),
        gettext("For each month, cases resolved and how many of them within the statutory time."),
        res_months, [("resolved", [t for _, _, t in board.resolution], "bar-a"),
                     ("on_time", [g for _, g, _ in board.resolution], "bar-b")])
    return await render_template("cases/dashboard.html", board=board, f=f,
                                 intake_svg=Markup(intake_svg),  # noqa: S704 - escaped in charts.py
                                 resolution_svg=Markup(resolution_svg))  # noqa: S704


