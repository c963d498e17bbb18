"""What the board paper (the PDF evidence pack) holds for one round and one reader.

:func:`paper_content` gathers it: the round's results as the dashboard reads them
(:func:`assessments.results.selectors.round_results`, from the results snapshot), the
partnership's agencies, the hash of the answers the results were made from, the
partnership's actions, KPIs and decisions, the comparison with partnerships like it,
the charts (SVG, :mod:`assessments.boardpaper.svg`, from the same figures as the
dashboard's tables) and every agency's answers for the annex (comments only for a
reader who may see them: the ``audience``).

Queries: those of ``round_results`` (ten; seven with the framework spec cached), one
for the agencies' nations, and those of the actions, KPIs, decisions and comparison
selectors (the comparison: one with a warm cache).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
from django.utils.translation import gettext as _

from assessments.actions.selectors import actions_for_pack
from assessments.boardpaper import svg
from assessments.boardpaper.comparison import Comparison, comparison_for
from assessments.boardpaper.decisions import decisions_for
from assessments.kpis.selectors import kpis_for_pack
from assessments.models import Membership, Round
from assessments.results.charts import factors_table, trend_table
from assessments.results.selectors import Audience, RoundResults, round_results
from assessments.results.snapshots import answers_hash
from assessments.results.wording import level_text
from bluelight.charts import Table
from bluelight.choices import Service
from bluelight.formatting import format_date, number

LEVEL_COLOURS = {1: svg.GREEN, 2: svg.BLUE, 3: svg.ORANGE, None: svg.GREY}


@dataclass(frozen=True)
class Figure:
    """A chart as an image (``uri``: SVG data URI), its alternative text, and its table."""

    id: str
    title: str
    uri: str
    alt: str
    table: Table


@dataclass(frozen=True)
class Member:
    name: str
    service: str  # in words
    nation: str
    state: str  # submitted, draft... in words


@dataclass(frozen=True)
class AnnexSection:
    """Every agency's answer to the items of one kind, as figures (the scale's words in
    ``key``), one row an item, one column an agency (by its letter)."""

    heading: str
    key: str  # "1 Not in place · 2 Early signs · ... · ? Don't know"
    rows: list[tuple[str, str, list[str]]]  # (code, title, [answer per agency])


@dataclass(frozen=True)
class Annex:
    agencies: list[tuple[str, str]]  # (letter, name), in the table's column order
    sections: list[AnnexSection]
    comments: list[tuple[str, str, list[tuple[str, str, str]]]]  # item, title, [(agency,..)]
    cells: dict[str, list[str]] = field(default_factory=dict)  # item code -> its row


@dataclass(frozen=True)
class PaperContent:
    round: Round
    results: RoundResults
    members: list[Member]
    answers_hash: str
    actions: list
    kpis: list
    decisions: dict  # option code -> the decision in force (decisions.DecisionRow)
    figures: dict[str, Figure]
    tables: dict[str, Table]
    annex: Annex
    comparison: Comparison | None = None  # partnerships like yours
    decided: list = field(default_factory=list)  # (OptionResult, DecisionRow) in option order

    @property
    def audience(self) -> Audience:
        return self.results.audience

    @property
    def tiers(self):
        """The dashboard's option cards by level, each with its decision in force (or None)."""
        return [(level, [(card, self.decisions.get(card.option.code)) for card in cards])
                for level, cards in self.results.tiers]

    @property
    def divergent(self):
        """Each divergent item with its answers as figures (the annex's columns) and the
        comments beside them: (divergence, figures, [(agency, answer, comment)])."""
        agencies = list(self.results.answers.columns)
        return [(d, self.annex.cells[d.row.code],
                 [(a, answer, comment) for a, answer, comment in zip(
                     agencies, d.answers, d.comments or [""] * len(agencies), strict=True)
                  if comment])
                for d in self.results.divergent]

    @property
    def top_actions(self):
        return self.results.action_plan[:3]


def paper_content(*, round: Round, audience: Audience, basis: str = "kind"
                  ) -> PaperContent | None:
    """Everything the board paper shows of ``round`` to ``audience``; None when the round
    has no results yet (fewer than the framework's ``min_agencies`` have submitted).

    ``round`` should come with ``partnership`` and ``framework`` selected; ``basis``: what
    makes a partnership comparable (``kind``, ``services`` or ``nation``, as picked on the
    dashboard)."""
    results = round_results(round=round, audience=audience)
    if not results.ready:
        return None
    scored = results.scored
    digest = answers_hash(answers=scored.answers, agencies=scored.agencies,
                          framework_id=round.framework_id, spec=scored.spec)
    decisions = decisions_for(partnership=round.partnership)
    options = results.result.options
    return PaperContent(
        round=round, results=results, members=_members(round, results),
        answers_hash=digest,
        actions=actions_for_pack(partnership=round.partnership, round=round),
        kpis=kpis_for_pack(partnership=round.partnership),
        decisions=decisions,
        comparison=comparison_for(round=round, basis=basis, result=results.result),
        decided=[(options[code], decisions[code]) for code in options if code in decisions],
        figures=paper_figures(results), tables=_tables(results), annex=_annex(results))


def _members(round: Round, results: RoundResults) -> list[Member]:
    services = dict(Service.choices)
    found = {m.agency.name: m.agency for m in Membership.objects
             .filter(partnership_id=round.partnership_id).select_related("agency")}
    out = []
    for state in results.agencies:
        agency = found.get(state.name)
        out.append(Member(
            name=state.name,
            service=str(services.get(agency.service, agency.service)) if agency else "",
            nation=(agency.get_nation_display() if agency and agency.nation else ""),
            state=state.state_text))
    return out


def _tables(results: RoundResults) -> dict[str, Table]:
    tables = {"factors": factors_table(results)}
    if results.trend is not None:
        tables["trend_levels"] = trend_table(results.trend)
    return tables


# --------------------------------------------------------------------------- charts


def paper_figures(results: RoundResults) -> dict[str, Figure]:
    """The paper's charts, each with its table: options at each level, the enablers' and
    barriers' average answers, and (from two rounds with results) readiness across rounds."""
    figures = {"levels": _levels_figure(results), "factors": _factors_figure(results)}
    if results.trend is not None:
        figures["trend"] = _trend_figure(results)
    return figures


def _levels_figure(results: RoundResults) -> Figure:
    counts = results.level_counts
    total = sum(n for _level, n in counts) or 1
    title = _("Options by level")
    bars = [svg.Bar(label=level_text(level), value=n,
                    text=_("%(n)s of %(total)s") % {"n": n, "total": total},
                    colour=LEVEL_COLOURS[level]) for level, n in counts]
    alt = _("Bar chart of how many of the %(total)s options are at each level: %(levels)s.") % {
        "total": total,
        "levels": "; ".join(f"{level_text(level)}: {n}" for level, n in counts)}
    image = svg.bar_chart(bars, title=title, low=0, high=total, label_width=130,
                          ticks=[0, total])
    table = Table(caption=title, columns=[_("Level"), _("Options")],
                  rows=[[level_text(level), " ".join(c.option.code for c in cards) or "—"]
                        for level, cards in results.tiers])
    return Figure(id="figure-levels", title=title, uri=svg.data_uri(image), alt=alt,
                  table=table)


def _factors_figure(results: RoundResults) -> Figure:
    title = _("Enablers and barriers: average answer")
    bars = []
    for item in results.result.items.values():
        name = f"{item.code} {results.titles.get(item.code, item.title)}"
        bars.append(svg.Bar(label=name, value=item.mean,
                            text=number(item.mean, 2, trim=True) if item.mean is not None
                            else _("No answers"),
                            colour=svg.GREEN if item.kind == "enabler" else svg.ORANGE))
    alt = _("Bar chart of the average answer, from 1 to 5, to each enabler (how far it is "
            "in place: higher is better) and each barrier (how much it holds the "
            "collaboration back: higher is worse): %(items)s. The same figures, with the "
            "status of each, are in the table that follows.") % {
        "items": "; ".join(f"{b.label.split(' ')[0]} {b.text}" for b in bars)}
    image = svg.bar_chart(bars, title=title, low=0, high=5, ticks=[0, 1, 2, 3, 4, 5])
    return Figure(id="figure-factors", title=title, uri=svg.data_uri(image), alt=alt,
                  table=factors_table(results))


def _trend_figure(results: RoundResults) -> Figure:
    readiness = results.trend.readiness
    title = _("Readiness across rounds")
    points = [svg.Point(label=f"{r.title} ({format_date(r.opens_on, 'M Y')})",
                        value=None if pd.isna(r.readiness) else float(r.readiness),
                        text=number(r.readiness, 1) if not pd.isna(r.readiness)
                        else _("Not available"))
              for r in readiness.itertuples()]
    alt = _("Line chart of the readiness index, from 0 to 100, in each round of the "
            "partnership, oldest first: %(rounds)s.") % {
        "rounds": "; ".join(f"{p.label}: {p.text}" for p in points)}
    image = svg.line_chart(points, title=title, low=0, high=100, ticks=[0, 25, 50, 75, 100])
    table = Table(caption=title,
                  columns=[_("Round"), _("Opened"), _("Agencies submitted"),
                           _("Readiness (0 to 100)")],
                  rows=[[r.title, format_date(r.opens_on, "j M Y"), str(r.agencies), p.text]
                        for r, p in zip(readiness.itertuples(), points, strict=True)])
    return Figure(id="figure-trend", title=title, uri=svg.data_uri(image), alt=alt,
                  table=table)


# --------------------------------------------------------------------------- annex


def _letters(n: int) -> list[str]:
    """A, B, ..., Z, AA, AB, ...: short column headings for the agencies."""
    out = []
    for i in range(n):
        label, k = "", i
        while True:
            label = chr(ord("A") + k % 26) + label
            k = k // 26 - 1
            if k < 0:
                break
        out.append(label)
    return out


def _annex(results: RoundResults) -> Annex:
    """Every agency's answer to every item, by section, as figures with the scale's words
    as a key (a table of words would run to several pages an agency and take most of the
    paper's printing time); the comments follow, by item, for an audience that may read
    them (``results.evidence`` is empty otherwise)."""
    spec = results.scored.spec
    answers = results.scored.answers
    agencies = list(results.answers.columns)
    value = dict(zip(zip(answers["item"], answers["agency"], strict=True),
                     answers["value"], strict=True))

    def cell(code: str, agency: str) -> str:
        if (code, agency) not in value:
            return "—"
        v = value[(code, agency)]
        return "?" if pd.isna(v) else number(v, 0)

    def key(kind: str) -> str:
        labels = results.scales.get(kind, {})
        words = [f"{v} {labels[v]}" for v in sorted(labels)]
        return " · ".join([*words, _("? Don't know"), _("— no answer")])

    sections = []
    for heading, kind, codes in [
            (_("Enablers"), "enabler", [f.code for f in spec.enablers]),
            (_("Barriers"), "barrier", [f.code for f in spec.barriers]),
            (_("Collaboration options"), "option", [o.code for o in spec.options])]:
        sections.append(AnnexSection(heading=heading, key=key(kind), rows=[
            (code, results.titles.get(code, code), [cell(code, a) for a in agencies])
            for code in codes]))
    return Annex(agencies=list(zip(_letters(len(agencies)), agencies, strict=True)),
                 sections=sections, comments=results.evidence,
                 cells={code: cells for section in sections for code, _t, cells in section.rows})
