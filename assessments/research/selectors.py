"""Results across partnerships for researchers (selectors: reads only).

:func:`cross_partnership` gathers the national picture for the researchers'
page and its downloads; :func:`research_tables` turns it into the tables the
page shows and the CSV/XLSX downloads hold (one builder, thin writers), and
:func:`anonymised_answers` builds the answer-level download.

Which answers count:

* Only **submitted** answers (``SubmittedAnswer`` of submissions with
  ``submitted_at`` set): drafts never reach results.
* A round **has results** when at least the framework's ``min_agencies``
  agencies have submitted (the one rule, in :mod:`assessments.access`). Each
  partnership is **counted once, at its latest round with results in the
  period** (latest by opening date), so "the share of partnerships at Level 1"
  means partnerships, not rounds.
* Filters: kind of collaboration; services involved (the partnership has an
  agency of *every* service ticked among its members); nation (the partnership
  has a member agency in that nation, so a cross-border partnership counts for
  both); period (the round opened between the two dates, inclusive).

All selected rounds are scored at once by ``scoring.score_rounds``, with each
round's own framework version. The queries are fixed in number whatever the
number of partnerships: the rounds, their submissions, their answers (one
query, fetched as plain tuples), the framework versions and their items.

Anonymity: agencies appear by service only, never by name, and comments are
never read. A figure computed over fewer partnerships than the minimum group
size (``settings.BLUELIGHT_MIN_GROUP_SIZE``, default 5) is **suppressed**: never
given, on the page (a dash, with the rule said once per table) or in the
downloads (an empty cell, with a flag column saying so). The answer-level
download needs at least that many partnerships in the selection.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from datetime import date
from itertools import chain

import numpy as np
import pandas as pd
from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Exists, F, OuterRef, Value
from django.db.models.functions import Coalesce
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assessments import scoring
from assessments.access import with_results
from assessments.frameworks import framework_specs
from assessments.models import (
    CollaborationKind,
    Membership,
    Round,
    Submission,
    SubmittedAnswer,
)
from assessments.scoring import BatchResult, FrameworkSpec
from bluelight.choices import Nation, Service
from survey.models import Framework

LEVELS = (1, 2, 3)
SERVICES = tuple(Service.values)
# Readiness histogram: [0, 20), [20, 40), [40, 60), [60, 80), [80, 100].
READINESS_EDGES = (0, 20, 40, 60, 80, 100)


def min_group_size() -> int:
    return max(1, int(getattr(settings, "BLUELIGHT_MIN_GROUP_SIZE", 5)))


def suppression_note(min_group: int) -> str:
    """Said once per table that has a suppressed figure (the cells show a dash)."""
    return ngettext(
        "A dash (—) marks a figure computed over fewer than %(n)d partnership: it is "
        "suppressed.",
        "A dash (—) marks a figure computed over fewer than %(n)d partnerships: it is "
        "suppressed.", min_group) % {"n": min_group}


@dataclass(frozen=True)
class ResearchFilters:
    kind: str = ""
    services: tuple[str, ...] = ()
    nation: str = ""
    opened_from: date | None = None
    opened_to: date | None = None

    @property
    def active(self) -> bool:
        return bool(self.kind or self.services or self.nation or self.opened_from
                    or self.opened_to)

    def describe(self) -> str:
        """The filters in words, for the page and the downloads."""
        kinds, services, nations = (dict(CollaborationKind.choices), dict(Service.choices),
                                    dict(Nation.choices))
        parts = []
        if self.kind:
            parts.append(_("kind of collaboration: %(kind)s") % {
                "kind": kinds.get(self.kind, self.kind)})
        if self.services:
            parts.append(_("involving: %(services)s") % {"services": ", ".join(
                str(services.get(s, s)) for s in self.services)})
        if self.nation:
            parts.append(_("with an agency in: %(nation)s") % {
                "nation": nations.get(self.nation, self.nation)})
        if self.opened_from:
            parts.append(_("rounds opened from %(date)s") % {
                "date": self.opened_from.isoformat()})
        if self.opened_to:
            parts.append(_("rounds opened up to %(date)s") % {"date": self.opened_to.isoformat()})
        return "; ".join(parts) if parts else _("all partnerships, all periods")


@dataclass
class CrossPartnership:
    """The selected rounds, their answers and their scores."""

    filters: ResearchFilters
    min_group: int
    rounds: pd.DataFrame  # round, partnership, kind, framework, opens_on (latest per partnership)
    rounds_with_results: int  # in the period and filters, before keeping the latest
    submitted: pd.DataFrame  # round, agency, service, nation
    answers: pd.DataFrame  # round, agency, service, item (code), value (NaN: Don't know)
    specs: dict[int, FrameworkSpec]
    items: pd.DataFrame  # index (round, item): enablers and barriers (score_rounds)
    options: pd.DataFrame  # index (round, option)
    readiness: pd.Series  # by round
    titles: dict[str, str] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)  # code -> enabler | barrier | option
    published: dict[str, int | None] = field(default_factory=dict)
    order: list[str] = field(default_factory=list)  # item codes in framework order

    @property
    def partnerships(self) -> int:
        return len(self.rounds)

    @property
    def enough(self) -> bool:
        return self.partnerships >= self.min_group


# --------------------------------------------------------------------------- reading


def _rounds(filters: ResearchFilters) -> pd.DataFrame:
    """Rounds with results within the filters, latest first within each partnership."""
    rounds = Round.objects.all()
    if filters.kind:
        rounds = rounds.filter(partnership__kind=filters.kind)
    for service in filters.services:
        rounds = rounds.filter(Exists(Membership.objects.filter(
            partnership=OuterRef("partnership"), agency__service=service)))
    if filters.nation:
        rounds = rounds.filter(Exists(Membership.objects.filter(
            partnership=OuterRef("partnership"), agency__nation=filters.nation)))
    if filters.opened_from:
        rounds = rounds.filter(opens_on__gte=filters.opened_from)
    if filters.opened_to:
        rounds = rounds.filter(opens_on__lte=filters.opened_to)
    rows = (with_results(rounds).filter(has_results=True)
            .order_by("partnership_id", "-opens_on", "-id")
            .values_list("id", "partnership_id", "partnership__kind", "framework_id",
                         "opens_on"))
    return pd.DataFrame.from_records(
        list(rows), columns=["round", "partnership", "kind", "framework", "opens_on"])


def _fetch(queryset) -> list[tuple]:
    """A ``values_list`` queryset's rows as plain tuples, in one query, skipping the ORM's
    per-row work (the answers of thousands of rounds)."""
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:  # e.g. no round selected: nothing to ask the database
        return []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


# Packing an answer into one integer: value (0 = "Don't know") in 3 bits, the item
# id in the next 20, the submission id above (fits a signed 64-bit integer).
_VALUE_BITS, _ITEM_BITS, _SUBMISSION_LIMIT = 3, 20, 2**39


def _answer_rows(round_ids: list[int], *, max_submission: int, max_item: int) -> np.ndarray:
    """Submitted answers of the rounds as an (n, 3) float array: submission id, item id,
    value (NaN for "Don't know"), in one query.

    Speed: the database hands over each answer packed into one integer, so the
    driver builds one Python int per answer instead of a tuple of three, and
    numpy unpacks them (a third faster on 300,000 answers); ids too large to
    pack fall back to plain columns.
    """
    answers = SubmittedAnswer.objects.filter(submission__round_id__in=round_ids,
                                             submission__submitted_at__isnull=False).order_by()
    if max_submission < _SUBMISSION_LIMIT and max_item < 2**_ITEM_BITS:
        packed = answers.annotate(key=(
            F("submission_id") * 2**(_ITEM_BITS + _VALUE_BITS)
            + F("item_id") * 2**_VALUE_BITS + Coalesce("value", Value(0))))
        rows = _fetch(packed.values_list("key"))
        keys = np.fromiter(chain.from_iterable(rows), dtype=np.int64, count=len(rows))
        value = (keys & (2**_VALUE_BITS - 1)).astype(np.float64)
        value[value == 0] = np.nan
        item = (keys >> _VALUE_BITS) & (2**_ITEM_BITS - 1)
        submission = keys >> (_ITEM_BITS + _VALUE_BITS)
        return np.column_stack([submission, item, value]).astype(np.float64)
    rows = _fetch(answers.values_list("submission_id", "item_id", "value"))
    return np.array(rows, dtype=np.float64).reshape(-1, 3)


def _empty_batch() -> BatchResult:
    return BatchResult(items=pd.DataFrame(), options=pd.DataFrame(),
                       readiness=pd.Series(dtype=float, name="readiness"))


def cross_partnership(*, filters: ResearchFilters, min_group: int | None = None
                      ) -> CrossPartnership:
    """Every partnership within the filters at its latest round with results, scored."""
    min_group = min_group_size() if min_group is None else min_group
    all_rounds = _rounds(filters)
    rounds = all_rounds.drop_duplicates("partnership", keep="first").reset_index(drop=True)
    ids = rounds["round"].tolist()
    submitted = pd.DataFrame.from_records(
        _fetch(Submission.objects.filter(round_id__in=ids, submitted_at__isnull=False)
               .order_by("id").values_list("id", "round_id", "agency_id", "agency__service",
                                           "agency__nation")),
        columns=["submission", "round", "agency", "service", "nation"])
    # The versions the rounds were scored with; with no round, the current one (so the
    # tables still list every item, unanswered).
    framework_ids = sorted(set(rounds["framework"].tolist())) or list(
        Framework.objects.published().order_by("-published_at", "-version")
        .values_list("pk", flat=True)[:1])
    frameworks = {f.pk: f for f in Framework.objects.filter(pk__in=framework_ids)}
    specs, items = framework_specs(frameworks=frameworks)
    raw = _answer_rows(ids, max_submission=int(submitted["submission"].max())
                       if len(submitted) else 0,
                       max_item=max((i.pk for i in items), default=0))

    newest_first = sorted(items, key=lambda i: (-i.framework_id, i.order, i.pk))
    titles: dict[str, str] = {}
    kinds: dict[str, str] = {}
    published: dict[str, int | None] = {}
    for item in newest_first:  # the newest version's wording wins
        titles.setdefault(item.code, item.title)
        kinds.setdefault(item.code, item.kind)
        published.setdefault(item.code, item.published_level)
    newest = max(specs) if specs else None
    order = list(specs[newest].item_codes) if newest else []
    order += [c for c in titles if c not in order]

    # Each answer's submission -> its round, agency and service; item id -> code.
    sub = pd.Index(submitted["submission"].to_numpy(dtype=np.int64)).get_indexer(
        raw[:, 0].astype(np.int64))
    item_ids = pd.Index([i.pk for i in items])
    item_code_pos = np.array([order.index(i.code) for i in items], dtype=np.int64)
    found = item_ids.get_indexer(raw[:, 1].astype(np.int64))
    known = (found >= 0) & (sub >= 0)
    if not known.all():  # an item of no framework in play: cannot score it
        raw, sub, found = raw[known], sub[known], found[known]
    item_pos = item_code_pos[found]
    answers = pd.DataFrame({
        "round": submitted["round"].to_numpy(dtype=np.int64)[sub],
        "agency": submitted["agency"].to_numpy(dtype=np.int64)[sub],
        "service": pd.Categorical.from_codes(
            pd.Index(SERVICES).get_indexer(submitted["service"].to_numpy())[sub],
            categories=list(SERVICES)),
        "item": pd.Categorical.from_codes(item_pos, categories=order),
        "value": raw[:, 2],
    })

    # Scoring counts each round's submitted agencies: number them within their round
    # (0, 1, 2...) so that its dense (round x agency) count stays small.
    rank = submitted.groupby("round", sort=False).cumcount().to_numpy(dtype=np.int64)
    counted = pd.DataFrame({"round": submitted["round"].to_numpy(dtype=np.int64),
                            "agency": rank})
    answer_rank = rank[sub]
    parts: list[BatchResult] = []
    framework_of = dict(zip(rounds["round"], rounds["framework"], strict=True))
    round_framework = answers["round"].map(framework_of).to_numpy()
    submitted_framework = submitted["round"].map(framework_of).to_numpy()
    for fid, spec in specs.items():
        mine = answers[round_framework == fid]
        # The framework's own codes, in its order (categorical: scoring's fast path).
        lookup = pd.Index(list(spec.item_codes)).get_indexer(order)
        own = lookup[mine["item"].cat.codes.to_numpy()]
        if (own < 0).any():  # an answer to another version's item: not this round's
            mine, own = mine[own >= 0], own[own >= 0]
        item = pd.Categorical.from_codes(own, categories=list(spec.item_codes))
        parts.append(scoring.score_rounds(
            pd.DataFrame({"round": mine["round"].to_numpy(), "agency": answer_rank[mine.index],
                          "item": item, "value": mine["value"].to_numpy()}),
            spec, submitted=counted[submitted_framework == fid]))
    batch = _concat(parts)
    return CrossPartnership(
        filters=filters, min_group=min_group, rounds=rounds,
        rounds_with_results=len(all_rounds), submitted=submitted, answers=answers, specs=specs,
        items=batch.items, options=batch.options, readiness=batch.readiness,
        titles=titles, kinds=kinds, published=published, order=order)


def _concat(parts: list[BatchResult]) -> BatchResult:
    if not parts:
        return _empty_batch()
    if len(parts) == 1:
        return parts[0]
    return BatchResult(items=pd.concat([p.items for p in parts]),
                       options=pd.concat([p.options for p in parts]),
                       readiness=pd.concat([p.readiness for p in parts]))


# --------------------------------------------------------------------------- tables


def _hidden(partnerships: int, min_group: int) -> bool:
    """Suppressed: computed over some partnerships, but fewer than the minimum. (Over
    none, there is nothing to hide: the figure is simply missing.)"""
    return bool(0 < partnerships < min_group)


def _share(count: float, base: float) -> float:
    return float(count) / float(base) if base else float("nan")


def _positions(labels: pd.Index | np.ndarray, codes: list[str]) -> np.ndarray:
    return pd.Index(codes).get_indexer(np.asarray(labels, dtype=object))


def levels_table(data: CrossPartnership) -> pd.DataFrame:
    """Per option: its published level, and the share of partnerships at each level.

    Columns: option, title, published_level, partnerships_rated, level_1 .. level_3
    (shares 0-1), level_1_n .. level_3_n, not_rated, most_common_level, suppressed.
    The base is the partnerships in which the option is rated.
    """
    options = [c for c in data.order if data.kinds.get(c) == "option"]
    counts = np.zeros((len(options), 4), dtype=np.int64)  # not rated, level 1, 2, 3
    if len(data.options):
        pos = _positions(data.options.index.get_level_values("option"), options)
        level = data.options["level"].to_numpy(dtype=np.int64, na_value=0)
        keep = pos >= 0
        np.add.at(counts, (pos[keep], level[keep]), 1)
    rows = []
    for k, code in enumerate(options):
        n = {lv: int(counts[k, lv]) for lv in LEVELS}
        rated = sum(n.values())
        most = max(LEVELS, key=lambda lv: (n[lv], -lv)) if rated else None
        rows.append({
            "option": code, "title": data.titles.get(code, code),
            "published_level": data.published.get(code),
            "partnerships_rated": rated,
            **{f"level_{lv}": _share(n[lv], rated) for lv in LEVELS},
            **{f"level_{lv}_n": n[lv] for lv in LEVELS},
            "not_rated": int(counts[k, 0]),
            "most_common_level": most,
            "suppressed": _hidden(rated, data.min_group),
        })
    return pd.DataFrame(rows, columns=[
        "option", "title", "published_level", "partnerships_rated", "level_1", "level_2",
        "level_3", "level_1_n", "level_2_n", "level_3_n", "not_rated", "most_common_level",
        "suppressed"])


def _factors(data: CrossPartnership) -> list[str]:
    return [c for c in data.order if data.kinds.get(c) in ("enabler", "barrier")]


def service_means_table(data: CrossPartnership) -> pd.DataFrame:
    """Enablers and barriers: mean answer by service.

    Long format: one row per (item, service), service ``all`` for every agency.
    Columns: item, title, kind, service, mean, answers, partnerships, suppressed.
    ``partnerships`` is the number of partnerships behind the cell (those with at
    least one answer from an agency of that service).
    """
    factors = _factors(data)
    a = data.answers
    item = _positions(np.array(data.order, dtype=object), factors)[
        a["item"].cat.codes.to_numpy()] if len(a) else np.array([], dtype=np.int64)
    value = a["value"].to_numpy(dtype=np.float64)
    keep = (item >= 0) & ~np.isnan(value)
    item, value = item[keep], value[keep]
    service = a["service"].cat.codes.to_numpy()[keep].astype(np.int64)  # -1: none
    rnd = pd.factorize(a["round"].to_numpy()[keep])[0].astype(np.int64)
    n_i, n_s = len(factors), len(SERVICES) + 1  # last: all services
    cell = np.concatenate([item * n_s + np.where(service >= 0, service, n_s - 1),
                           item * n_s + (n_s - 1)])
    cell_value = np.concatenate([value, value])
    both = np.concatenate([service >= 0, np.ones_like(service, dtype=bool)])
    cell, cell_value = cell[both], cell_value[both]
    size = n_i * n_s
    sums = np.bincount(cell, weights=cell_value, minlength=size)
    n = np.bincount(cell, minlength=size)
    pairs = pd.unique(np.concatenate([rnd, rnd])[both] * size + cell)
    partnerships = np.bincount(pairs % size, minlength=size)
    rows = []
    for i, code in enumerate(factors):
        for j, service_code in enumerate(("all", *SERVICES)):
            k = i * n_s + (n_s - 1 if j == 0 else j - 1)
            rows.append({"item": code, "title": data.titles.get(code, code),
                         "kind": data.kinds.get(code), "service": service_code,
                         "mean": sums[k] / n[k] if n[k] else float("nan"),
                         "answers": int(n[k]), "partnerships": int(partnerships[k]),
                         "suppressed": _hidden(partnerships[k], data.min_group)})
    return pd.DataFrame(rows, columns=["item", "title", "kind", "service", "mean", "answers",
                                       "partnerships", "suppressed"])


def divergence_table(data: CrossPartnership) -> pd.DataFrame:
    """How often each enabler and barrier diverges: the share of partnerships (of those
    where at least two agencies answered it) where the answers are divergent.

    Columns: item, title, kind, partnerships (the base), divergent, share, suppressed.
    """
    factors = _factors(data)
    base = np.zeros(len(factors), dtype=np.int64)
    divergent = np.zeros(len(factors), dtype=np.int64)
    if len(data.items):
        pos = _positions(data.items.index.get_level_values("item"), factors)
        eligible = (data.items["n"].to_numpy() >= 2) & (pos >= 0)
        base = np.bincount(pos[eligible], minlength=len(factors))
        divergent = np.bincount(pos[eligible], minlength=len(factors),
                                weights=data.items["divergent"].to_numpy()[eligible]
                                ).astype(np.int64)
    rows = [{"item": code, "title": data.titles.get(code, code), "kind": data.kinds.get(code),
             "partnerships": int(base[i]), "divergent": int(divergent[i]),
             "share": _share(divergent[i], base[i]),
             "suppressed": _hidden(base[i], data.min_group)}
            for i, code in enumerate(factors)]
    return pd.DataFrame(rows, columns=["item", "title", "kind", "partnerships", "divergent",
                                       "share", "suppressed"])


def readiness_table(data: CrossPartnership) -> tuple[pd.DataFrame, float | None, int]:
    """The readiness index in bands of 20: partnerships and share in each band.

    Returns (table with columns band, low, high, partnerships, share), the median,
    and the base (partnerships with a readiness index). Bands are half-open
    ([0, 20) ... [60, 80)) except the last, [80, 100].
    """
    values = data.readiness.dropna().to_numpy(dtype=np.float64)
    edges = np.array(READINESS_EDGES, dtype=np.float64)
    counts, _edges = np.histogram(values, bins=edges)
    base = int(values.size)
    bands = [f"{int(lo)}–{int(hi)}" for lo, hi in zip(edges[:-1], edges[1:], strict=True)]
    table = pd.DataFrame({"band": bands, "low": edges[:-1].astype(int),
                          "high": edges[1:].astype(int), "partnerships": counts.astype(int),
                          "share": counts / base if base else np.full(len(bands), np.nan)})
    median = float(np.median(values)) if base else None
    return table, median, base


def counts_table(data: CrossPartnership) -> pd.DataFrame:
    """Partnerships, rounds, submissions and agencies behind the figures (never suppressed:
    they are the bases). Columns: measure, value."""
    distinct = data.submitted.drop_duplicates("agency")
    services = dict(Service.choices)
    rows = [
        (_("Partnerships (each counted once, at its latest round in the period)"),
         data.partnerships),
        (_("Rounds with results in the period"), data.rounds_with_results),
        (_("Submissions counted"), len(data.submitted)),
        (_("Agencies (distinct)"), int(distinct["agency"].nunique())),
    ]
    by_service = distinct.groupby("service").size()
    for service in SERVICES:
        rows.append((_("Agencies: %(service)s") % {"service": services[service]},
                     int(by_service.get(service, 0))))
    return pd.DataFrame(rows, columns=["measure", "value"])


@dataclass(frozen=True)
class ResearchTables:
    """Everything the page shows, as numbers (suppression marked, not yet applied)."""

    data: CrossPartnership
    counts: pd.DataFrame
    levels: pd.DataFrame
    means: pd.DataFrame
    divergence: pd.DataFrame
    readiness: pd.DataFrame
    readiness_median: float | None
    readiness_base: int

    @property
    def readiness_suppressed(self) -> bool:
        return _hidden(self.readiness_base, self.data.min_group)


def research_tables(data: CrossPartnership) -> ResearchTables:
    readiness, median, base = readiness_table(data)
    return ResearchTables(data=data, counts=counts_table(data), levels=levels_table(data),
                          means=service_means_table(data), divergence=divergence_table(data),
                          readiness=readiness, readiness_median=median, readiness_base=base)


@dataclass(frozen=True)
class Cell:
    """One figure for the page: its value, the partnerships behind it, hidden or not."""

    value: float | None
    partnerships: int
    suppressed: bool


@dataclass(frozen=True)
class FactorRow:
    item: str
    title: str
    kind: str
    means: list[Cell]  # all services, then SERVICES in order
    divergence: Cell  # share of partnerships where it diverges
    divergent: int


def factor_rows(tables: ResearchTables) -> list[FactorRow]:
    """The means-by-service and divergence tables side by side, one row per factor."""
    means = {(r.item, r.service): r for r in tables.means.itertuples()}
    rows = []
    for r in tables.divergence.itertuples():
        cells = []
        for service in ("all", *SERVICES):
            m = means[(r.item, service)]
            cells.append(Cell(None if m.suppressed or m.mean != m.mean else float(m.mean),
                              int(m.partnerships), bool(m.suppressed)))
        rows.append(FactorRow(
            item=r.item, title=r.title, kind=r.kind, means=cells,
            divergence=Cell(None if r.suppressed or r.share != r.share else float(r.share),
                            int(r.partnerships), bool(r.suppressed)),
            divergent=int(r.divergent)))
    return rows


def level_rows(tables: ResearchTables) -> list[dict]:
    """The levels table for the page: each row also has ``at_published`` (the share of
    partnerships at the option's published level) and ``differs`` (the most common
    level here is not the published one)."""
    rows = []
    for row in tables.levels.to_dict("records"):
        published = row["published_level"]
        row["at_published"] = row.get(f"level_{published}") if published else None
        row["differs"] = bool(row["most_common_level"] and published
                              and row["most_common_level"] != published)
        row["levels"] = [(lv, row[f"level_{lv}"], row[f"level_{lv}_n"]) for lv in LEVELS]
        rows.append(row)
    return rows


def suppressed_tables(tables: ResearchTables) -> set[str]:
    """The page's tables that hide at least one figure (``levels``, ``enabler``,
    ``barrier``, ``readiness``): each says the suppression rule once."""
    hidden = set()
    if tables.levels["suppressed"].any():
        hidden.add("levels")
    for kind in ("enabler", "barrier"):
        if (tables.means.loc[tables.means["kind"] == kind, "suppressed"].any()
                or tables.divergence.loc[tables.divergence["kind"] == kind,
                                         "suppressed"].any()):
            hidden.add(kind)
    if tables.readiness_suppressed:
        hidden.add("readiness")
    return hidden


# --------------------------------------------------------------------------- downloads

EXPORTS = ("counts", "levels", "means", "divergence", "readiness")


def _masked(values: pd.Series, hidden, *, digits: int | None = None,
            whole: bool = False) -> pd.Series:
    """A column of figures with the suppressed ones empty (NaN / NA): still numbers."""
    if whole:
        out = pd.Series(pd.array(pd.to_numeric(values), dtype="Int64"), index=values.index)
    else:
        out = pd.to_numeric(values).astype(float)
        if digits is not None:
            out = out.round(digits)
    return out.mask(pd.Series(hidden, index=values.index).astype(bool))


def export_frame(tables: ResearchTables, name: str) -> pd.DataFrame:
    """One table as its CSV/XLSX download. A suppressed figure is an empty cell and a
    flag column says which (``suppressed``; in the means, ``<service>_suppressed``), so
    every figure column holds numbers only.

    Shares are proportions (0-1) rounded to 4 decimals, means to 2.
    """
    if name == "counts":
        return tables.counts.copy()
    if name == "levels":
        frame = tables.levels.copy()
        hidden = frame["suppressed"].to_numpy(dtype=bool)
        for c in ("level_1", "level_2", "level_3"):
            frame[c] = _masked(frame[c], hidden, digits=4)
        for c in ("level_1_n", "level_2_n", "level_3_n", "most_common_level"):
            frame[c] = _masked(frame[c], hidden, whole=True)
        frame["published_level"] = _masked(frame["published_level"], False, whole=True)
        frame["suppressed"] = hidden
        return frame
    if name == "means":
        cells = {(r.item, r.service): r for r in tables.means.itertuples()}
        rows = []
        for r in tables.divergence.itertuples():  # one row per factor, in order
            row = {"item": r.item, "title": r.title, "kind": r.kind}
            for service in ("all", *SERVICES):
                cell = cells[(r.item, service)]
                label = "all_services" if service == "all" else service
                row[f"{label}_mean"] = (float("nan") if cell.suppressed
                                        else round(float(cell.mean), 2))
                row[f"{label}_partnerships"] = int(cell.partnerships)
                row[f"{label}_suppressed"] = bool(cell.suppressed)
            rows.append(row)
        columns = ["item", "title", "kind"] + [
            f"{label}_{part}" for label in ("all_services", *SERVICES)
            for part in ("mean", "partnerships", "suppressed")]
        return pd.DataFrame(rows, columns=columns)
    if name == "divergence":
        frame = tables.divergence.copy()
        hidden = frame["suppressed"].to_numpy(dtype=bool)
        frame["divergent"] = _masked(frame["divergent"], hidden, whole=True)
        frame["share"] = _masked(frame["share"], hidden, digits=4)
        frame["suppressed"] = hidden
        return frame
    if name == "readiness":
        hidden = tables.readiness_suppressed
        out = tables.readiness.copy()
        out["partnerships"] = _masked(out["partnerships"], [hidden] * len(out), whole=True)
        out["share"] = _masked(out["share"], [hidden] * len(out), digits=4)
        out["median"] = np.nan
        median = tables.readiness_median
        total = pd.DataFrame([{
            "band": "all", "low": 0, "high": 100, "partnerships": tables.readiness_base,
            "share": np.nan if hidden or not tables.readiness_base else 1.0,
            "median": np.nan if hidden or median is None else round(median, 1)}])
        out = pd.concat([out, total], ignore_index=True)
        out["partnerships"] = out["partnerships"].astype("Int64")
        out["suppressed"] = hidden
        return out
    raise KeyError(name)


def _pseudonym(kind: str, pk: int) -> str:
    return salted_hmac(f"bluelight.research.{kind}", str(pk)).hexdigest()[:12]


ANSWER_COLUMNS = ["round", "partnership_kind", "round_opened", "agency", "service", "nation",
                  "item", "value"]


def anonymised_answers(data: CrossPartnership) -> pd.DataFrame:
    """The selected rounds' submitted answers with no names and no comments.

    Rounds and agencies are pseudonyms (stable keyed hashes: the same round has
    the same pseudonym in every download, and it cannot be turned back into the
    round); ``round_opened`` is the month (YYYY-MM); ``value`` is blank for
    "Don't know". Rows are in pseudonym order, so not in any order of creation.
    Built per round and per agency, then spread over the answers (no work per
    answer in Python).
    """
    answers = data.answers
    rounds = data.rounds
    round_ids = rounds["round"].to_numpy(dtype=np.int64)
    round_at = pd.Index(round_ids).get_indexer(answers["round"].to_numpy())
    round_name = np.array([_pseudonym("round", r) for r in round_ids.tolist()], dtype=object)
    opened = np.array([d.strftime("%Y-%m") for d in rounds["opens_on"]], dtype=object)
    subs = data.submitted
    sub_key = subs["round"].to_numpy(dtype=np.int64) * 2**32 + subs["agency"].to_numpy(
        dtype=np.int64)
    sub_at = pd.Index(sub_key).get_indexer(answers["round"].to_numpy(dtype=np.int64) * 2**32
                                           + answers["agency"].to_numpy(dtype=np.int64))
    agency_ids = np.unique(subs["agency"].to_numpy(dtype=np.int64))
    agency_name = np.array([_pseudonym("agency", a) for a in agency_ids.tolist()], dtype=object)
    agency_at = np.searchsorted(agency_ids, answers["agency"].to_numpy(dtype=np.int64))
    # Sort by pseudonyms: rank them once, then sort the answers by integer keys.
    round_rank = np.argsort(np.argsort(round_name, kind="stable"), kind="stable")
    agency_rank = np.argsort(np.argsort(agency_name, kind="stable"), kind="stable")
    order = np.lexsort((answers["item"].cat.codes.to_numpy(), agency_rank[agency_at],
                        round_rank[round_at]))
    value = answers["value"].to_numpy()
    frame = pd.DataFrame({
        "round": round_name[round_at],
        "partnership_kind": rounds["kind"].to_numpy(dtype=object)[round_at],
        "round_opened": opened[round_at],
        "agency": agency_name[agency_at],
        "service": answers["service"].astype(object).to_numpy(),
        "nation": subs["nation"].to_numpy(dtype=object)[sub_at],
        "item": answers["item"].astype(object).to_numpy(),
        "value": pd.array(np.where(np.isnan(value), 0, value).astype(np.int64),
                          dtype="Int64"),
    })
    frame.loc[np.isnan(value), "value"] = pd.NA
    return frame.iloc[order].reset_index(drop=True)[ANSWER_COLUMNS]


# --------------------------------------------------------------------------- computed once

RESEARCH_CACHE_SECONDS = 60 * 60 * 24  # a key names the state of the data it was made from


def data_stamp(*, also: tuple = ()) -> str:
    """One query that changes whenever anything the research tables are made of changes:
    a snapshot written or deleted (every submit, reopen, import and close writes one), a
    partnership, agency, round or submission changed or deleted (their history records),
    a membership added or removed; and any change to the models with history in ``also``
    (the follow-through page adds actions, KPIs and their values). Published framework
    versions never change."""
    from django.db import connection

    from assessments.models import Agency, Membership, Partnership, ResultSnapshot
    from assessments.models import Round as RoundModel
    from assessments.models import Submission as SubmissionModel

    # Table names come from the models' metadata, never from input (hence noqa S608).
    q = connection.ops.quote_name

    def hist(model):
        return f"(SELECT MAX(history_id) FROM {q(model.history.model._meta.db_table)})"  # noqa: S608

    snap, member = q(ResultSnapshot._meta.db_table), q(Membership._meta.db_table)
    parts = [hist(Partnership), hist(Agency), hist(RoundModel), hist(SubmissionModel),
             *(hist(model) for model in also),
             f"(SELECT COUNT(*) FROM {snap})", f"(SELECT MAX(id) FROM {snap})",  # noqa: S608
             f"(SELECT COUNT(*) FROM {member})", f"(SELECT MAX(id) FROM {member})"]  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts))
        return ".".join(str(v) for v in cursor.fetchone())


def research_tables_for(*, filters: ResearchFilters) -> ResearchTables:
    """The research tables of a selection, computed once per state of the data (see
    :func:`data_stamp`), filters, minimum group size and language, and kept in the cache
    (shared between hosts with Redis). The cached copy leaves out the answer rows (only
    the anonymised answers download needs them, and it reads them afresh)."""
    from django.core.cache import cache
    from django.utils import timezone
    from django.utils.translation import get_language

    min_group = min_group_size()
    digest = hashlib.sha256(repr((filters, min_group, get_language(),
                                  timezone.localdate())).encode()).hexdigest()[:32]
    key = f"bluelight:research:v1:{data_stamp()}:{digest}"
    tables = cache.get(key)
    if tables is None:
        data = cross_partnership(filters=filters, min_group=min_group)
        tables = research_tables(data)
        light = replace(data, answers=data.answers.iloc[0:0],
                        submitted=data.submitted.iloc[0:0])
        tables = replace(tables, data=light)
        cache.set(key, tables, RESEARCH_CACHE_SECONDS)
    return tables
