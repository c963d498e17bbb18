"""Follow-through across partnerships, for researchers (selectors: reads only).

What partnerships do with their results: the actions they adopt
(:class:`~assessments.actions.models.Action`) and the KPIs they track
(:class:`~assessments.kpis.models.Kpi`). :func:`follow_through` reads everything in
a fixed number of queries whatever the number of partnerships; each table is built
by one function as a DataFrame (:func:`acting_table`, :func:`timeliness_table`,
:func:`movement_table`, :func:`kpis_table`, :func:`counts_table`), and
:func:`export_frame` turns one into its CSV/XLSX download (thin writers: the page,
:mod:`assessments.research.exports`).

The selection: partnerships of a kind of collaboration, with an agency of every
service ticked, with an agency in a nation (the research page's filters, without
its period: actions and KPIs are not tied to a round).

The rules (said on the page and in ``docs/follow-through.md``):

* An action is **on** a factor when its ``factor_code`` is that enabler or barrier.
* **On time**: done with a done date on or before its due date; **late**: done after
  it; **done, undated**: done without a due date or a done date; **overdue**: planned
  or in progress with a due date before today; **open**: planned or in progress, not
  yet due. The **on-time share** is on time / (on time + late + overdue).
* **Movement between rounds**: each pair of consecutive rounds with results of the
  same partnership (by opening date). A round's date is its closing date (its
  opening date when it has none). For each factor the change is the later round's
  mean answer minus the earlier one's (both must have answers to it). A pair is
  **with a completed action** on the factor when the partnership marked an action on
  it done after the earlier round's date and on or before the later round's date,
  or marked done by the later round's date an action adopted from the earlier
  round's results; **without action** when the partnership had no action on it
  then (none recorded by the later round's date, other than actions done by the
  earlier round's date). Other pairs (an action open, dropped, or done later) are
  in neither group. This is association, not proof.
* **KPIs per option**: a KPI evidences each option in its ``option_codes``; it has
  **values in the last year** when it has a value for a period that ended in the
  last 12 months or is still running.

Suppression is the research page's (:func:`~assessments.research.selectors.min_group_size`):
a figure computed over fewer partnerships than the minimum is never given (a dash
on the page, an empty cell flagged in the downloads). Counts of partnerships (the
bases) are given, as on the research page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from itertools import chain

import numpy as np
import pandas as pd
from django.db.models import Exists, F, Max, OuterRef, Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments import scoring
from assessments.access import with_results
from assessments.actions.models import Action
from assessments.frameworks import framework_specs
from assessments.kpis.models import Kpi, ReportingPeriod
from assessments.models import Membership, Partnership, Round, Submission, SubmittedAnswer
from assessments.research.selectors import (
    ResearchFilters,
    _fetch,
    _hidden,
    _masked,
    _share,
    min_group_size,
)
from survey.models import Framework, Item

__all__ = ["EXPORTS", "FollowThrough", "FollowThroughTables", "acting_table", "counts_table",
           "export_frame", "follow_through", "followthrough_tables", "kpis_table",
           "movement_table", "timeliness_table"]

EXPORTS = ("counts", "acting", "timeliness", "movement", "kpis")
STATUSES = tuple(Action.Status.values)  # planned, in_progress, done, dropped
OPEN = (Action.Status.PLANNED, Action.Status.IN_PROGRESS)
# How long a reporting period runs, in months.
PERIOD_MONTHS = {ReportingPeriod.MONTHLY: 1, ReportingPeriod.QUARTERLY: 3,
                 ReportingPeriod.YEARLY: 12}
ALL = "all"  # the row of every action


@dataclass
class FollowThrough:
    """The selection's partnerships, actions, KPIs and factor means by round."""

    filters: ResearchFilters
    min_group: int
    today: date
    partnerships: int  # in the selection
    actions: pd.DataFrame  # partnership, factor, status, due_on, done_on, from_round, created_on
    kpis: pd.DataFrame  # kpi, partnership, options (list), period, last (latest period_start)
    rounds: pd.DataFrame  # round, partnership, date (closing, else opening); with results
    means: pd.DataFrame  # rows: rounds (as in ``rounds``); columns: factor codes; NaN: none
    factors: list[str] = field(default_factory=list)  # enablers then barriers, in order
    options: list[str] = field(default_factory=list)
    titles: dict[str, str] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)

    @property
    def enough(self) -> bool:
        return self.partnerships >= self.min_group


# --------------------------------------------------------------------------- reading


def _partnerships(filters: ResearchFilters):
    partnerships = Partnership.objects.all()
    if filters.kind:
        partnerships = partnerships.filter(kind=filters.kind)
    for service in filters.services:
        partnerships = partnerships.filter(Exists(Membership.objects.filter(
            partnership=OuterRef("pk"), agency__service=service)))
    if filters.nation:
        partnerships = partnerships.filter(Exists(Membership.objects.filter(
            partnership=OuterRef("pk"), agency__nation=filters.nation)))
    return partnerships.order_by()


def _days(values) -> np.ndarray:
    """Dates (or None) as numpy days (NaT for None)."""
    return pd.to_datetime(pd.Series(list(values), dtype=object)).to_numpy(
        dtype="datetime64[D]")


def _actions(selection) -> pd.DataFrame:
    rows = list(Action.objects.filter(partnership__in=selection.values("pk")).order_by()
                .values_list("partnership_id", "factor_code", "status", "due_on", "done_on",
                             "from_round_id", "created_at"))
    partnership, factor, status, due, done, from_round, created = (
        zip(*rows, strict=True) if rows else ((),) * 7)
    return pd.DataFrame({
        "partnership": np.array(partnership, dtype=np.int64),
        "factor": np.array(factor, dtype=object),
        "status": np.array(status, dtype=object),
        "due_on": _days(due), "done_on": _days(done),
        "from_round": np.array([r or 0 for r in from_round], dtype=np.int64),
        "created_on": _local_days(created),  # the day it was recorded, local time
    })


def _local_days(moments) -> np.ndarray:
    """Aware datetimes as numpy days in the local time zone."""
    stamps = pd.to_datetime(pd.Series(list(moments), dtype=object), utc=True)
    return (stamps.dt.tz_convert(timezone.get_current_timezone()).dt.tz_localize(None)
            .to_numpy(dtype="datetime64[D]"))


def _kpis(selection) -> pd.DataFrame:
    rows = (Kpi.objects.filter(partnership__in=selection.values("pk")).order_by()
            .annotate(last=Max("values__period_start"))
            .values_list("id", "partnership_id", "option_codes", "period", "last"))
    return pd.DataFrame.from_records(list(rows),
                                     columns=["kpi", "partnership", "options", "period", "last"])


def _with_results(selection):
    """The selection's rounds with results."""
    return (with_results(Round.objects.filter(partnership__in=selection.values("pk")))
            .filter(has_results=True))


def _rounds(selection) -> pd.DataFrame:
    rows = (_with_results(selection).order_by("partnership_id", "opens_on", "id")
            .values_list("id", "partnership_id", "framework_id", "opens_on", "closes_on"))
    frame = pd.DataFrame.from_records(
        list(rows), columns=["round", "partnership", "framework", "opens_on", "closes_on"])
    frame["date"] = _days([c or o for o, c in zip(frame["opens_on"], frame["closes_on"],
                                                  strict=True)])
    return frame


# An answer packed into one integer, as the research page does
# (:func:`assessments.research.selectors._answer_rows`): value (0 = "Don't know") in 3
# bits, the item id in the next 20, the submission id above.
_VALUE_BITS, _ITEM_BITS, _SUBMISSION_LIMIT = 3, 20, 2**39


def _answers(rounds, item_ids: list[int], *, max_submission: int) -> np.ndarray:
    """Submitted answers to ``item_ids`` in ``rounds`` (a queryset of round ids), as
    (submission, item, value) floats (NaN: "Don't know"), in one query."""
    # "submission in (the rounds' submissions)": the database then walks each submission's
    # answers by its (submission, item) index, a third faster than joining.
    submissions = Submission.objects.filter(round__in=rounds,
                                            submitted_at__isnull=False).values("pk")
    answers = SubmittedAnswer.objects.filter(submission__in=submissions,
                                             item_id__in=item_ids).order_by()
    if max_submission < _SUBMISSION_LIMIT and max(item_ids, default=0) < 2**_ITEM_BITS:
        rows = _fetch(answers.annotate(key=(
            F("submission_id") * 2**(_ITEM_BITS + _VALUE_BITS)
            + F("item_id") * 2**_VALUE_BITS + Coalesce("value", Value(0)))).values_list("key"))
        keys = np.fromiter(chain.from_iterable(rows), dtype=np.int64, count=len(rows))
        value = (keys & (2**_VALUE_BITS - 1)).astype(np.float64)
        value[value == 0] = np.nan
        return np.column_stack([keys >> (_ITEM_BITS + _VALUE_BITS),
                                (keys >> _VALUE_BITS) & (2**_ITEM_BITS - 1),
                                value]).astype(np.float64)
    rows = _fetch(answers.values_list("submission_id", "item_id", "value"))
    return np.array([(s, i, np.nan if v is None else v) for s, i, v in rows],
                    dtype=np.float64).reshape(-1, 3)


def _means(selection, rounds: pd.DataFrame, items: list[Item], specs, factors: list[str]
           ) -> pd.DataFrame:
    """Each round's mean answer to each factor (scoring's ``score_rounds``, each round with
    its own framework version): rows in the order of ``rounds``, columns ``factors``.

    The rounds are named by a subquery, not a list of ids: with 10,000 rounds, building
    a list that long costs more than the database's work.
    """
    ids = _with_results(selection).values("pk")
    submitted = pd.DataFrame.from_records(
        _fetch(Submission.objects.filter(round__in=ids, submitted_at__isnull=False)
               .order_by("id").values_list("id", "round_id")), columns=["submission", "round"])
    factor_items = [i for i in items if i.is_factor]
    raw = _answers(ids, [i.pk for i in factor_items],
                   max_submission=int(submitted["submission"].max()) if len(submitted) else 0)
    means = np.full((len(rounds), len(factors)), np.nan)
    if not len(submitted):
        return pd.DataFrame(means, columns=factors)
    sub = pd.Index(submitted["submission"].to_numpy(dtype=np.int64)).get_indexer(
        raw[:, 0].astype(np.int64))
    item_at = pd.Index([i.pk for i in factor_items]).get_indexer(raw[:, 1].astype(np.int64))
    keep = (sub >= 0) & (item_at >= 0)
    raw, sub, item_at = raw[keep], sub[keep], item_at[keep]
    # Agencies numbered within their round (0, 1, 2...): scoring counts them per round.
    rank = submitted.groupby("round", sort=False).cumcount().to_numpy(dtype=np.int64)
    sub_round = submitted["round"].to_numpy(dtype=np.int64)
    round_at = pd.Index(rounds["round"].to_numpy(dtype=np.int64))
    sub_framework = rounds["framework"].to_numpy(dtype=np.int64)[round_at.get_indexer(sub_round)]
    item_framework = np.array([i.framework_id for i in factor_items], dtype=np.int64)
    for fid, spec in specs.items():
        mine = (sub_framework[sub] == fid) & (item_framework[item_at] == fid)
        # each factor item's place among its framework's item codes
        place = pd.Index(list(spec.item_codes)).get_indexer([i.code for i in factor_items])
        own = place[item_at[mine]]
        answers = pd.DataFrame({
            "round": sub_round[sub[mine]], "agency": rank[sub[mine]],
            "item": pd.Categorical.from_codes(own, categories=list(spec.item_codes)),
            "value": raw[mine, 2]})
        counted = sub_framework == fid
        batch = scoring.score_rounds(answers, spec, submitted=pd.DataFrame(
            {"round": sub_round[counted], "agency": rank[counted]}))
        if not len(batch.items):
            continue
        rows = round_at.get_indexer(batch.items.index.get_level_values("round"))
        cols = pd.Index(factors).get_indexer(batch.items.index.get_level_values("item"))
        ok = (rows >= 0) & (cols >= 0)
        means[rows[ok], cols[ok]] = batch.items["mean"].to_numpy(dtype=np.float64)[ok]
    return pd.DataFrame(means, columns=factors)


def follow_through(*, filters: ResearchFilters, min_group: int | None = None,
                   today: date | None = None) -> FollowThrough:
    """Everything the follow-through tables need, for the partnerships within ``filters``.

    Queries, whatever the number of partnerships: the partnerships counted, their
    actions, their KPIs (with each one's latest period), their rounds with results,
    the framework versions, their items (three: items and their links), the
    rounds' submissions and their answers to the enablers and barriers.
    """
    min_group = min_group_size() if min_group is None else min_group
    today = today or timezone.localdate()
    selection = _partnerships(filters)
    partnerships = selection.count()
    actions = _actions(selection)
    kpis = _kpis(selection)
    rounds = _rounds(selection)
    current = (Framework.objects.published().order_by("-published_at", "-version")
               .values("pk")[:1])
    frameworks = {f.pk: f for f in Framework.objects.filter(
        Q(pk__in=sorted(set(rounds["framework"].tolist()))) | Q(pk__in=current))}
    specs, items = framework_specs(frameworks=frameworks)
    items = list(items)
    newest = max(frameworks.values(), default=None, key=lambda f: (
        f.published_at is not None, f.published_at.timestamp() if f.published_at else 0.0,
        f.version, f.pk))
    titles: dict[str, str] = {}
    kinds: dict[str, str] = {}
    order: list[str] = list(specs[newest.pk].item_codes) if newest else []
    for item in sorted(items, key=lambda i: (i.framework_id != getattr(newest, "pk", None),
                                             -i.framework_id, i.order, i.pk)):
        titles.setdefault(item.code, item.title)  # the newest version's wording wins
        kinds.setdefault(item.code, item.kind)
        if item.code not in order:
            order.append(item.code)
    factors = [c for c in order if kinds.get(c) == Item.Kind.ENABLER] + [
        c for c in order if kinds.get(c) == Item.Kind.BARRIER]
    options = [c for c in order if kinds.get(c) == Item.Kind.OPTION]
    round_specs = {fid: spec for fid, spec in specs.items() if fid in set(rounds["framework"])}
    means = _means(selection, rounds, items, round_specs, factors) if len(rounds) else (
        pd.DataFrame(np.full((0, len(factors)), np.nan), columns=factors))
    return FollowThrough(filters=filters, min_group=min_group, today=today,
                         partnerships=partnerships, actions=actions, kpis=kpis, rounds=rounds,
                         means=means, factors=factors, options=options, titles=titles,
                         kinds=kinds)


# --------------------------------------------------------------------------- tables


def _factor_rows(data: FollowThrough) -> list[tuple[str, str, str]]:
    """(code, title, kind) of every enabler and barrier, in order."""
    return [(c, data.titles.get(c, c), data.kinds.get(c, "")) for c in data.factors]


def acting_table(data: FollowThrough) -> pd.DataFrame:
    """How many partnerships act on each enabler and barrier, and their actions by status.

    Columns: item, title, kind, partnerships (acting on it: at least one action, any
    status), share (of the selection's partnerships), actions, planned, in_progress,
    done, dropped, share_suppressed (the selection is under the minimum), suppressed
    (the actions by status: fewer partnerships act on it than the minimum).
    """
    a = data.actions
    rows = []
    for code, title, kind in _factor_rows(data):
        mine = a[a["factor"] == code]
        acting = int(mine["partnership"].nunique())
        by_status = mine["status"].value_counts()
        rows.append({"item": code, "title": title, "kind": kind, "partnerships": acting,
                     "share": _share(acting, data.partnerships), "actions": len(mine),
                     **{s: int(by_status.get(s, 0)) for s in STATUSES},
                     "share_suppressed": _hidden(data.partnerships, data.min_group),
                     "suppressed": _hidden(acting, data.min_group)})
    return pd.DataFrame(rows, columns=["item", "title", "kind", "partnerships", "share",
                                       "actions", *STATUSES, "share_suppressed",
                                       "suppressed"])


TIMELINESS = ("on_time", "late", "done_undated", "overdue", "open", "dropped")


def _timeliness(actions: pd.DataFrame, today: date) -> np.ndarray:
    """Each action's place in :data:`TIMELINESS` (its index)."""
    status = actions["status"].to_numpy(dtype=object)
    due, done = actions["due_on"].to_numpy(), actions["done_on"].to_numpy()
    is_done = status == Action.Status.DONE
    dated = is_done & ~np.isnat(due) & ~np.isnat(done)
    is_open = np.isin(status, list(OPEN))
    overdue = is_open & ~np.isnat(due) & (due < np.datetime64(today, "D"))
    return np.select(
        [dated & (done <= due), dated & (done > due), is_done, overdue, is_open],
        [0, 1, 2, 3, 4], default=5)


def timeliness_table(data: FollowThrough) -> pd.DataFrame:
    """How often actions are done on time: every action (item ``all``, including actions
    on options only), then each enabler and barrier.

    Columns: item, title, kind, partnerships (with actions in the row), actions,
    on_time, late, done_undated, overdue, open, dropped, on_time_share (on time of on
    time + late + overdue), suppressed.
    """
    a = data.actions
    place = _timeliness(a, data.today)
    groups = [(ALL, "", "", np.ones(len(a), dtype=bool))] + [
        (code, title, kind, (a["factor"] == code).to_numpy()) for code, title, kind
        in _factor_rows(data)]
    rows = []
    for code, title, kind, mask in groups:
        counts = np.bincount(place[mask], minlength=len(TIMELINESS))
        partnerships = int(a.loc[mask, "partnership"].nunique())
        rows.append({"item": code, "title": title, "kind": kind,
                     "partnerships": partnerships, "actions": int(mask.sum()),
                     **{name: int(counts[k]) for k, name in enumerate(TIMELINESS)},
                     "on_time_share": _share(counts[0], counts[0] + counts[1] + counts[3]),
                     "suppressed": _hidden(partnerships, data.min_group)})
    return pd.DataFrame(rows, columns=["item", "title", "kind", "partnerships", "actions",
                                       *TIMELINESS, "on_time_share", "suppressed"])


def _pairs(rounds: pd.DataFrame) -> pd.DataFrame:
    """Consecutive rounds with results of each partnership: positions ``a`` (earlier) and
    ``b`` (later) in ``rounds``, with the partnership, both rounds and their dates."""
    same = (rounds["partnership"].to_numpy()[1:] == rounds["partnership"].to_numpy()[:-1]
            if len(rounds) else np.array([], dtype=bool))
    a = np.flatnonzero(same)
    b = a + 1
    return pd.DataFrame({"pair": np.arange(len(a)), "a": a, "b": b,
                         "partnership": rounds["partnership"].to_numpy(dtype=np.int64)[a],
                         "round_a": rounds["round"].to_numpy(dtype=np.int64)[a],
                         "date_a": rounds["date"].to_numpy()[a],
                         "date_b": rounds["date"].to_numpy()[b]})


def pair_groups(data: FollowThrough) -> tuple[pd.DataFrame, np.ndarray, np.ndarray,
                                               np.ndarray]:
    """The pairs of consecutive rounds, each one's change in each factor's mean
    (pairs x factors, NaN where a round has no answer to it), and which pairs are
    *with a completed action* and *without action* on each factor (the module's rule)."""
    pairs = _pairs(data.rounds)
    means = data.means.to_numpy(dtype=np.float64)
    n_f = len(data.factors)
    change = (means[pairs["b"].to_numpy()] - means[pairs["a"].to_numpy()]
              if len(pairs) else np.zeros((0, n_f)))
    acted = np.zeros((len(pairs), n_f), dtype=bool)
    touched = np.zeros((len(pairs), n_f), dtype=bool)
    a = data.actions.assign(factor_at=pd.Index(data.factors).get_indexer(
        data.actions["factor"].to_numpy(dtype=object)))
    a = a[a["factor_at"] >= 0]
    if len(pairs) and len(a):
        both = a.merge(pairs, on="partnership")
        done = (both["status"] == Action.Status.DONE).to_numpy()
        done_on, created = both["done_on"].to_numpy(), both["created_on"].to_numpy()
        date_a, date_b = both["date_a"].to_numpy(), both["date_b"].to_numpy()
        dated = done & ~np.isnat(done_on)
        in_window = dated & (done_on <= date_b) & (
            (done_on > date_a) | (both["from_round"].to_numpy() == both["round_a"].to_numpy()))
        done_before = dated & (done_on <= date_a)
        touches = in_window | ((created <= date_b) & ~done_before)
        at = (both["pair"].to_numpy(), both["factor_at"].to_numpy())
        np.logical_or.at(acted, at, in_window)
        np.logical_or.at(touched, at, touches)
    return pairs, change, acted, ~touched


def movement_table(data: FollowThrough) -> pd.DataFrame:
    """How each factor moved between consecutive rounds with a completed action on it
    against without action (the module's rule). Association, not proof.

    Columns: item, title, kind, then for each group (``with``, ``without``): pairs,
    partnerships, change (mean change in the factor's mean answer), suppressed; and
    difference (with - without; only when neither is suppressed).
    """
    pairs, change, acted, without = pair_groups(data)
    partnership = pairs["partnership"].to_numpy(dtype=np.int64)
    rows = []
    for k, (code, title, kind) in enumerate(_factor_rows(data)):
        row = {"item": code, "title": title, "kind": kind}
        known = ~np.isnan(change[:, k]) if len(pairs) else np.zeros(0, dtype=bool)
        for group, mask in (("with", acted[:, k]), ("without", without[:, k])):
            chosen = mask & known
            n = int(np.unique(partnership[chosen]).size)
            row[f"{group}_pairs"] = int(chosen.sum())
            row[f"{group}_partnerships"] = n
            row[f"{group}_change"] = (float(change[chosen, k].mean()) if chosen.any()
                                      else float("nan"))
            row[f"{group}_suppressed"] = _hidden(n, data.min_group)
        row["difference"] = (float("nan") if row["with_suppressed"] or row["without_suppressed"]
                             else row["with_change"] - row["without_change"])
        rows.append(row)
    groups = [f"{g}_{c}" for g in ("with", "without")
              for c in ("pairs", "partnerships", "change", "suppressed")]
    return pd.DataFrame(rows, columns=["item", "title", "kind", *groups, "difference"])


def _recent(kpis: pd.DataFrame, today: date) -> np.ndarray:
    """KPIs with a value for a period that ended in the last 12 months or is running."""
    if not len(kpis):
        return np.zeros(0, dtype=bool)
    year_ago = np.datetime64((pd.Timestamp(today) - pd.DateOffset(years=1)).date(), "D")
    start = _days(list(kpis["last"])).astype("datetime64[M]")  # periods start on the 1st
    months = kpis["period"].map(PERIOD_MONTHS).fillna(3).to_numpy(dtype=np.int64)
    ends = (start + months.astype("timedelta64[M]")).astype("datetime64[D]")
    return ~np.isnat(ends) & (ends > year_ago)


def kpis_table(data: FollowThrough) -> pd.DataFrame:
    """The KPIs tracked per option: partnerships tracking at least one KPI evidencing it,
    the number of such KPIs and the share of them with values in the last year.

    Columns: option, title, partnerships, share (of the selection's partnerships), kpis,
    with_recent_values, recent_share, share_suppressed (the selection is under the
    minimum), suppressed (fewer partnerships track it than the minimum).
    """
    k = data.kpis
    recent = _recent(k, data.today)
    flat = pd.DataFrame({
        "partnership": np.repeat(k["partnership"].to_numpy(),
                                 [len(o or []) for o in k["options"]]),
        "recent": np.repeat(recent, [len(o or []) for o in k["options"]]),
        "option": list(chain.from_iterable(o or [] for o in k["options"])),
    }) if len(k) else pd.DataFrame({"partnership": [], "recent": [], "option": []})
    grouped = flat.groupby("option").agg(partnerships=("partnership", "nunique"),
                                         kpis=("recent", "size"), recent=("recent", "sum"))
    rows = []
    for code in data.options:
        found = grouped.loc[code] if code in grouped.index else None
        n = int(found["partnerships"]) if found is not None else 0
        kpis = int(found["kpis"]) if found is not None else 0
        with_recent = int(found["recent"]) if found is not None else 0
        rows.append({"option": code, "title": data.titles.get(code, code), "partnerships": n,
                     "share": _share(n, data.partnerships), "kpis": kpis,
                     "with_recent_values": with_recent,
                     "recent_share": _share(with_recent, kpis),
                     "share_suppressed": _hidden(data.partnerships, data.min_group),
                     "suppressed": _hidden(n, data.min_group)})
    return pd.DataFrame(rows, columns=["option", "title", "partnerships", "share", "kpis",
                                       "with_recent_values", "recent_share",
                                       "share_suppressed", "suppressed"])


def counts_table(data: FollowThrough, pairs: int) -> pd.DataFrame:
    """The bases (never suppressed). Columns: measure, value."""
    acting = data.actions.loc[data.actions["factor"] != "", "partnership"].nunique()
    rows = [
        (_("Partnerships in the selection"), data.partnerships),
        (_("Partnerships with at least one action"),
         int(data.actions["partnership"].nunique())),
        (_("Partnerships acting on at least one enabler or barrier"), int(acting)),
        (_("Actions"), len(data.actions)),
        (_("Partnerships tracking at least one KPI"), int(data.kpis["partnership"].nunique())),
        (_("KPIs"), len(data.kpis)),
        (_("Rounds with results"), len(data.rounds)),
        (_("Pairs of consecutive rounds with results"), pairs),
    ]
    return pd.DataFrame(rows, columns=["measure", "value"])


@dataclass(frozen=True)
class FollowThroughTables:
    """Every table of the page, as numbers (suppression marked, not yet applied)."""

    data: FollowThrough
    counts: pd.DataFrame
    acting: pd.DataFrame
    timeliness: pd.DataFrame
    movement: pd.DataFrame
    kpis: pd.DataFrame

    def suppressed_in(self) -> set[str]:
        """The tables that hide at least one figure (each says the rule once)."""
        hidden = set()
        for name, columns in (("acting", ("suppressed", "share_suppressed")),
                              ("timeliness", ("suppressed",)),
                              ("movement", ("with_suppressed", "without_suppressed")),
                              ("kpis", ("suppressed", "share_suppressed"))):
            frame = getattr(self, name)
            if any(frame[c].any() for c in columns):
                hidden.add(name)
        return hidden


def followthrough_tables(data: FollowThrough) -> FollowThroughTables:
    movement = movement_table(data)
    return FollowThroughTables(data=data, counts=counts_table(data, len(_pairs(data.rounds))),
                               acting=acting_table(data), timeliness=timeliness_table(data),
                               movement=movement, kpis=kpis_table(data))


def followthrough_tables_for(*, filters: ResearchFilters) -> FollowThroughTables:
    """The tables of a selection, computed once per state of the data (the research
    page's stamp plus actions, KPIs and their values), filters, minimum group size,
    language and day, and kept in the cache (shared between hosts with Redis)."""
    import hashlib

    from django.core.cache import cache
    from django.utils.translation import get_language

    from assessments.actions.models import Action
    from assessments.kpis.models import Kpi, KpiValue
    from assessments.research.selectors import RESEARCH_CACHE_SECONDS, data_stamp

    min_group, today = min_group_size(), timezone.localdate()
    digest = hashlib.sha256(repr((filters, min_group, get_language(), today))
                            .encode()).hexdigest()[:32]
    key = f"bluelight:followthrough:v1:{data_stamp(also=(Action, Kpi, KpiValue))}:{digest}"
    tables = cache.get(key)
    if tables is None:
        tables = followthrough_tables(follow_through(filters=filters, min_group=min_group,
                                                     today=today))
        cache.set(key, tables, RESEARCH_CACHE_SECONDS)
    return tables


# --------------------------------------------------------------------------- downloads


def export_frame(tables: FollowThroughTables, name: str) -> pd.DataFrame:
    """One table as its CSV/XLSX download: a suppressed figure is an empty cell and a flag
    column says so (``suppressed``; ``share_suppressed``; ``with_suppressed`` and
    ``without_suppressed``), so every figure column holds numbers only. Shares are
    proportions (0-1) to 4 decimals, mean changes to 3."""
    if name == "counts":
        return tables.counts.copy()
    if name == "acting":
        frame = tables.acting.copy()
        hidden = frame["suppressed"].to_numpy(dtype=bool)
        frame["share"] = _masked(frame["share"], frame["share_suppressed"], digits=4)
        for c in ("actions", *STATUSES):
            frame[c] = _masked(frame[c], hidden, whole=True)
        return frame
    if name == "timeliness":
        frame = tables.timeliness.copy()
        hidden = frame["suppressed"].to_numpy(dtype=bool)
        for c in ("actions", *TIMELINESS):
            frame[c] = _masked(frame[c], hidden, whole=True)
        frame["on_time_share"] = _masked(frame["on_time_share"], hidden, digits=4)
        return frame
    if name == "movement":
        frame = tables.movement.copy()
        for group in ("with", "without"):
            hidden = frame[f"{group}_suppressed"].to_numpy(dtype=bool)
            frame[f"{group}_pairs"] = _masked(frame[f"{group}_pairs"], hidden, whole=True)
            frame[f"{group}_change"] = _masked(frame[f"{group}_change"], hidden, digits=3)
        frame["difference"] = pd.to_numeric(frame["difference"]).astype(float).round(3)
        return frame
    if name == "kpis":
        frame = tables.kpis.copy()
        hidden = frame["suppressed"].to_numpy(dtype=bool)
        frame["share"] = _masked(frame["share"], frame["share_suppressed"], digits=4)
        for c in ("kpis", "with_recent_values"):
            frame[c] = _masked(frame[c], hidden, whole=True)
        frame["recent_share"] = _masked(frame["recent_share"], hidden, digits=4)
        return frame
    raise KeyError(name)
