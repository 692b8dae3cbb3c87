"""The portfolio as tables and charts in the staff's language: one table per figure, the same rows on the page and
in its CSV file (the page formats the cells with Babel, the file writes them raw), and a chart beside each."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from gettext import NullTranslations

from babel.dates import format_date
from babel.numbers import format_decimal
from markupsafe import Markup
from sqlalchemy.ext.asyncio import AsyncSession

from api.console.labels import label
from api.console.portfolio import certificates, hardship, reach, reminders, response, satisfaction
from api.console.portfolio.charts import Series, bar_chart, line_chart
from api.console.portfolio.csv_export import Cell
from api.console.portfolio.period import Period
from api.console.portfolio.reminders import Outcome

MINUTE = Decimal("0.1")


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    header: list[str]
    rows: list[list[Cell]]
    chart: Markup | None


def minutes(value: timedelta | None) -> Decimal | None:
    """A duration in minutes to a tenth, as the tables give response times."""
    return None if value is None else (Decimal(value.total_seconds()) / 60).quantize(MINUTE)


def display(cell: Cell, language: str) -> str:
    """A cell as the page shows it: numbers and dates the language's way, a missing value as a dash."""
    if cell is None:
        return "—"
    if isinstance(cell, int | Decimal):
        return format_decimal(cell, locale=language)
    if isinstance(cell, date):
        return format_date(cell, format="medium", locale=language)
    return cell


class _Builder:
    def __init__(self, period: Period, translations: NullTranslations, language: str) -> None:
        self.period, self._, self.ngettext = period, translations.gettext, translations.ngettext
        self.language = language
        self.weeks = [format_date(monday, format="d MMM", locale=language) for monday in period.weeks]

    def number(self, value: float) -> str:
        return format_decimal(round(value, 1), locale=self.language)

    def percent(self, value: float) -> str:
        return f"{format_decimal(round(value), locale=self.language)} %"

    def csat_table(self, weeks: list[satisfaction.CsatWeek]) -> Table:
        _ = self._
        chart = line_chart(
            _("CSAT by week: the share of ratings that were 4 or 5"),
            self.weeks,
            [Series(_("CSAT"), [None if w.share is None else float(w.share) for w in weeks])],
            number=self.percent,
            top_value=100,
        )
        return Table(
            "csat",
            _("Satisfaction by week"),
            [_("Week from"), _("Ratings"), _("Rated 4–5"), _("CSAT, %")],
            [[w.week, w.ratings, w.satisfied, w.share] for w in weeks],
            chart,
        )

    def reminders_table(self, weeks: list[reminders.ReminderWeek]) -> Table:
        _ = self._
        names = {
            Outcome.SENT: _("Sent"),
            Outcome.WAITING: _("Waiting"),
            Outcome.FAILED: _("Failed"),
            Outcome.UNDELIVERABLE: _("Undeliverable"),
            Outcome.NOT_SENT: _("Not sent"),
        }
        shown = (Outcome.SENT, Outcome.FAILED, Outcome.UNDELIVERABLE)
        chart = bar_chart(
            _("Reminders by the week they were due"),
            self.weeks,
            [Series(names[o], [w.outcomes[o] for w in weeks]) for o in shown],
            number=self.number,
        )
        return Table(
            "reminders",
            _("Reminders planned and what became of them"),
            [_("Week from"), _("Planned"), *(names[o] for o in Outcome)],
            [[w.week, w.planned, *(w.outcomes[o] for o in Outcome)] for w in weeks],
            chart,
        )

    def reach_table(self, found: reach.Reach) -> Table:
        _ = self._
        return Table(
            "reach",
            _("Borrowers the assistant reaches"),
            [_("Borrowers"), _("Linked to a chat"), _("Reachable"), _("Unreachable (blocked the bot)")],
            [[found.borrowers, found.linked, found.reachable, found.unreachable]],
            None,
        )

    def band_name(self, band: hardship.AgeBand) -> str:
        ngettext = self.ngettext
        if band.younger_than is None:
            days = band.older_than.days
            return ngettext("over {days} day", "over {days} days", days).format(days=days)
        if not band.older_than:
            days = band.younger_than.days
            return ngettext("under {days} day", "under {days} days", days).format(days=days)
        low, high = band.older_than.days, band.younger_than.days
        return ngettext("{low}–{high} day", "{low}–{high} days", high).format(low=low, high=high)

    def hardship_table(self, bands: list[hardship.AgeBand]) -> Table:
        _ = self._
        names = [self.band_name(band) for band in bands]
        chart = bar_chart(
            _("Open hardship cases by age"),
            names,
            [Series(_("Open cases"), [band.cases for band in bands])],
            number=self.number,
        )
        return Table(
            "hardship",
            _("Open hardship cases by how long they have waited"),
            [_("Waiting"), _("Open cases")],
            [[name, band.cases] for name, band in zip(names, bands, strict=True)],
            chart,
        )

    def certificates_table(self, kinds: list[certificates.KindIssued]) -> Table:
        _ = self._
        names = [label(k.kind, _) for k in kinds]
        chart = bar_chart(
            _("Certificates issued by kind"),
            names,
            [Series(_("At once"), [k.instant for k in kinds]), Series(_("Signed by staff"), [k.signed for k in kinds])],
            number=self.number,
        )
        return Table(
            "certificates",
            _("Certificates issued in the period"),
            [_("Kind"), _("At once"), _("Signed by staff"), _("Total")],
            [[name, k.instant, k.signed, k.total] for name, k in zip(names, kinds, strict=True)],
            chart,
        )

    def response_table(self, weeks: list[response.ResponseWeek]) -> Table:
        _ = self._
        chart = line_chart(
            _("First staff reply after escalation, minutes"),
            self.weeks,
            [
                Series(_("Median"), [_minutes_value(w.waits.median) for w in weeks]),
                Series(_("90th percentile"), [_minutes_value(w.waits.p90) for w in weeks]),
            ],
            number=self.number,
        )
        return Table(
            "response",
            _("Staff first-response time"),
            [_("Week from"), _("Cases opened"), _("Answered"), _("Median, min"), _("90th percentile, min")],
            [[w.week, *self.waits(w.waits)] for w in weeks],
            chart,
        )

    def response_by_staff_table(self, rows: list[response.ResponseByStaff]) -> Table:
        _ = self._
        return Table(
            "response_by_staff",
            _("First response by the member of staff who answered"),
            [_("Member of staff"), _("Cases answered first"), _("Median, min"), _("90th percentile, min")],
            [[row.name or _("(account deleted)"), *self.waits(row.waits)[1:]] for row in rows],
            None,
        )

    @staticmethod
    def waits(waits: response.Waits) -> list[Cell]:
        return [waits.cases, waits.answered, minutes(waits.median), minutes(waits.p90)]


def _minutes_value(value: timedelta | None) -> float | None:
    return None if value is None else float(minutes(value))


async def portfolio(
    session: AsyncSession, *, period: Period, now: datetime, translations: NullTranslations, language: str
) -> list[Table]:
    """Every table of the portfolio, in the order the page shows them, in `translations`' language."""
    build = _Builder(period, translations, language)
    return [
        build.csat_table(await satisfaction.weekly_csat(session, period)),
        build.reminders_table(await reminders.weekly_reminders(session, period)),
        build.reach_table(await reach.reach(session)),
        build.hardship_table(await hardship.open_hardship_by_age(session, now=now)),
        build.certificates_table(await certificates.issued_by_kind(session, period)),
        build.response_table(await response.weekly_first_response(session, period)),
        build.response_by_staff_table(await response.first_response_by_staff(session, period)),
    ]
