"""Partnerships like yours (issue 15, part 3): how comparable partnerships sit.

For one round, :func:`comparison_for` gives, for each option of the round's
framework, the share of **comparable** partnerships at Level 1, 2 and 3 and the
readiness distribution (quartiles and bands of 20), beside this partnership's own
levels and readiness (from the round itself) and the published national level.

* **Comparable** (``basis``): ``kind``: the same kind of collaboration; ``services``:
  exactly the same set of services among the agencies (police and fire, say);
  ``nation``: agencies in exactly the same nation(s) (a partnership across England and
  Wales compares with other cross-border ones).
* Each partnership counts **once**, at its **latest round with results** (latest by
  opening date; "results" is the one rule of :func:`assessments.access.with_results`:
  at least the framework's ``min_agencies`` submitted). The partnership itself is never
  in its own group.
* Other partnerships are never named: only counts and shares leave this module.
* Any figure over fewer than ``BLUELIGHT_MIN_GROUP_SIZE`` partnerships is suppressed
  (a whole group that small, an option rated in fewer, a readiness distribution over
  fewer), and says so.

Reading the results: each round's latest ``ResultSnapshot`` (the whole
``RoundResult``); a round without one is scored
(:func:`assessments.results.selectors.round_scored`).

Speed: the figures of every partnership with results (the *population*) and each
group's member figures are kept in Django's cache under a **token** that changes
when a snapshot is written or deleted, or a partnership, agency or membership
changes (one cheap query: counts and highest ids). With a warm cache a comparison
costs that one query; group figures are worked out from the cached member figures
(so this partnership can be left out) in microseconds.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from django.core.cache import cache
from django.db import connection
from django.db.models import OuterRef, Subquery, TextField
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from assessments import scoring
from assessments.access import with_results
from assessments.frameworks import framework_spec
from assessments.models import (
    Agency,
    CollaborationKind,
    Membership,
    Partnership,
    ResultSnapshot,
    Round,
    Submission,
    SubmittedAnswer,
)
from assessments.research.selectors import min_group_size, suppression_note
from assessments.results.selectors import round_scored
from assessments.results.snapshots import result_from_document
from assessments.scoring import RoundResult
from bluelight.choices import Nation, Service
from survey.models import Framework

BASES = ("kind", "services", "nation")
DEFAULT_BASIS = "kind"
LEVELS = (1, 2, 3)
READINESS_EDGES = (0, 20, 40, 60, 80, 100)  # bands [0, 20) ... [80, 100]
CACHE_PREFIX = "bluelight:boardpaper:like:v1:"
CACHE_SECONDS = 60 * 60 * 24
SUMMARY_SECONDS = 60 * 60 * 24 * 7  # a snapshot never changes


def basis_or_default(value: str | None) -> str:
    return value if value in BASES else DEFAULT_BASIS


def basis_labels() -> list[tuple[str, str]]:
    """The bases in words, for the form."""
    return [("kind", _("The same kind of collaboration")),
            ("services", _("The same services")),
            ("nation", _("The same nation"))]


# --------------------------------------------------------------------------- result


@dataclass(frozen=True)
class OptionComparison:
    """One option: this partnership's level beside the comparable partnerships'."""

    code: str
    title: str
    published_level: int | None
    own_level: int | None
    rated: int  # comparable partnerships in which the option is rated (the base)
    counts: dict[int, int]  # level -> partnerships (empty when suppressed)
    shares: dict[int, float]  # level -> share of ``rated`` (empty when suppressed)
    suppressed: bool

    @property
    def levels(self) -> list[tuple[int, float | None, int | None, bool]]:
        """(level, share, count, is this partnership's level) for Level 1 to 3."""
        return [(lv, self.shares.get(lv), self.counts.get(lv), self.own_level == lv)
                for lv in LEVELS]

    @property
    def own_share(self) -> float | None:
        """Share of comparable partnerships at this partnership's level."""
        return None if self.own_level is None else self.shares.get(self.own_level)


@dataclass(frozen=True)
class ReadinessBand:
    label: str  # "40–60"
    low: int
    high: int
    partnerships: int | None  # None when suppressed
    share: float | None
    own: bool  # this partnership's readiness falls in it


@dataclass(frozen=True)
class Comparison:
    """This partnership beside the comparable ones (see the module)."""

    basis: str
    description: str  # the group in words, in the active language
    available: bool  # False: no group can be formed (e.g. no nation recorded)
    partnerships: int  # comparable partnerships (this one excluded)
    min_group: int
    suppressed: bool  # the whole group is smaller than the minimum (but not empty)
    options: list[OptionComparison] = field(default_factory=list)
    readiness_base: int = 0  # comparable partnerships with a readiness index
    readiness_suppressed: bool = False
    quartiles: tuple[float, float, float] | None = None  # lower, median, upper
    bands: list[ReadinessBand] = field(default_factory=list)
    own_readiness: float | None = None
    own_levels: dict[str, int | None] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return self.partnerships == 0

    @property
    def shown(self) -> bool:
        """Figures are given (the group is at least the minimum size)."""
        return self.available and self.partnerships >= self.min_group

    @property
    def any_option_suppressed(self) -> bool:
        return any(o.suppressed for o in self.options)

    @property
    def suppression_note(self) -> str:
        return suppression_note(self.min_group)

    @property
    def own_quartile(self) -> str | None:
        """Where this partnership's readiness sits: "below", "lower-middle",
        "upper-middle", "above" (of the quartiles), or None."""
        if self.quartiles is None or self.own_readiness is None:
            return None
        q1, q2, q3 = self.quartiles
        r = self.own_readiness
        return ("below" if r < q1 else "lower-middle" if r < q2 else
                "upper-middle" if r < q3 else "above")


# --------------------------------------------------------------------------- token


def cache_token() -> str:
    """Changes when any snapshot is written or deleted, or any partnership, agency or
    membership changes (their change history). One query."""
    q = connection.ops.quote_name
    snap = q(ResultSnapshot._meta.db_table)
    parts = [f"(SELECT COUNT(*) FROM {snap})",  # noqa: S608
             f"(SELECT MAX({q('id')}) FROM {snap})"]  # noqa: S608
    for model in (Partnership, Agency, Membership):
        history = model.history.model
        parts.append(f"(SELECT MAX({q('history_id')}) FROM "  # noqa: S608
                     f"{q(history._meta.db_table)})")
        parts.append(f"(SELECT COUNT(*) FROM {q(model._meta.db_table)})")  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts))
        row = cursor.fetchone()
    return "-".join("0" if v is None else str(v) for v in row)


# --------------------------------------------------------------------------- population


@dataclass(frozen=True)
class Population:
    """Every partnership with results, at its latest round with results."""

    partnerships: np.ndarray  # int64 ids
    rounds: np.ndarray  # int64 round ids
    kinds: list[str]
    services: list[str]  # sorted service codes joined by ","
    nations: list[str]  # sorted nations joined by "," ("" when none recorded)
    readiness: np.ndarray  # float64, NaN when none
    codes: list[str]  # option codes (columns of ``levels``)
    levels: np.ndarray  # int8 (partnership x option): 1-3, 0 when not rated


def _profiles(partnership_ids=None) -> dict[int, tuple[set[str], set[str]]]:
    """Partnership id -> (services, nations) of its agencies. One query."""
    rows = Membership.objects.order_by()
    if partnership_ids is not None:
        rows = rows.filter(partnership_id__in=list(partnership_ids))
    found: dict[int, tuple[set[str], set[str]]] = {}
    for pid, service, nation in rows.values_list("partnership_id", "agency__service",
                                                 "agency__nation"):
        services, nations = found.setdefault(pid, (set(), set()))
        services.add(service)
        if nation:
            nations.add(nation)
    return found


def _key(values) -> str:
    return ",".join(sorted(values))


Summary = tuple[float, dict[str, int]]  # readiness (NaN: none), option code -> level


def _summary(result: RoundResult) -> Summary:
    readiness = np.nan if result.readiness is None else float(result.readiness)
    return readiness, {code: int(o.level) for code, o in result.options.items()
                       if o.level is not None}


def _pairs(x) -> dict:
    """A mapping as the snapshot document stores it (a list of pairs, see
    ``assessments.results.snapshots._encode``)."""
    return dict(x["__pairs__"]) if isinstance(x, dict) and "__pairs__" in x else x


def summary_from_document(document: dict) -> Summary:
    """The readiness and the option levels of a snapshot's document, read without building
    the whole ``RoundResult`` (a thousandth of the work; a test checks it agrees with
    :func:`assessments.results.snapshots.result_from_document`)."""
    result = _pairs(document["round_result"])
    readiness = result["readiness"]
    if readiness is None or isinstance(readiness, dict):  # none, or a tagged NaN
        readiness = np.nan
    levels = {}
    for code, option in _pairs(result["options"]).items():
        level = _pairs(option)["level"]
        if level is not None:
            levels[code] = int(level)
    return float(readiness), levels


def _snapshot_summaries(round_ids: list[int]) -> dict[int, Summary]:
    """Round id -> the summary of its latest snapshot (rounds without one are left out).

    A snapshot never changes, so its summary is cached under its id: only snapshots not
    seen before are read and parsed, one at a time (streamed, never all held at once).
    Two queries (one when every summary is cached)."""
    if not round_ids:
        return {}
    newest = (ResultSnapshot.objects.filter(round=OuterRef("round"))
              .order_by("-created_at", "-id").values("id")[:1])
    latest = dict(ResultSnapshot.objects.filter(round_id__in=round_ids)
                  .filter(id=Subquery(newest)).values_list("id", "round_id"))
    keys = {sid: f"{CACHE_PREFIX}snapshot:{sid}" for sid in latest}
    cached = cache.get_many(list(keys.values()))
    found = {latest[sid]: cached[key] for sid, key in keys.items() if key in cached}
    unread = [sid for sid, key in keys.items() if key not in cached]
    fresh = {}
    if unread:
        rows = (ResultSnapshot.objects.filter(id__in=unread)
                .values_list("id", Cast("document", TextField())).iterator(chunk_size=200))
        for sid, text in rows:
            document = json.loads(text) if isinstance(text, str) else text
            try:
                summary = summary_from_document(document)
            except (KeyError, TypeError, ValueError):  # another shape: the full reader
                try:
                    summary = _summary(result_from_document(document))
                except (KeyError, TypeError):  # unreadable: scored instead
                    continue
            found[latest[sid]] = fresh[keys[sid]] = summary
        cache.set_many(fresh, SUMMARY_SECONDS)
    return found


def _scored_in_batch(round_ids: list[int]) -> dict[int, Summary]:
    """Rounds without a snapshot (data written around the services, say), scored all at
    once by ``scoring.score_rounds`` with each round's own framework version, as the
    research page does: three queries however many rounds (with 2,000 of them, about
    two seconds where one ``round_scored`` each took seventeen)."""
    rounds = dict(Round.objects.filter(pk__in=round_ids).values_list("pk", "framework_id"))
    answers = pd.DataFrame.from_records(
        list(SubmittedAnswer.objects.filter(submission__round_id__in=round_ids,
                                            submission__submitted_at__isnull=False)
             .values_list("submission__round_id", "submission__agency__name", "item__code",
                          "value")),
        columns=["round", "agency", "item", "value"])
    answers["value"] = pd.to_numeric(answers["value"], errors="coerce").astype(float)
    submitted = pd.DataFrame.from_records(
        list(Submission.objects.filter(round_id__in=round_ids, submitted_at__isnull=False)
             .values_list("round_id", "agency__name")), columns=["round", "agency"])
    found: dict[int, Summary] = {}
    frameworks = {f.pk: f for f in Framework.objects.filter(pk__in=set(rounds.values()))}
    for fid, framework in frameworks.items():
        group = [rid for rid, f in rounds.items() if f == fid]
        spec = framework_spec(framework=framework)
        options = {o.code for o in spec.options}
        batch = scoring.score_rounds(answers[answers["round"].isin(group)
                                             & answers["item"].isin(spec.item_codes)], spec,
                                     submitted=submitted[submitted["round"].isin(group)])
        levels = batch.options["level"]
        for rid in group:
            value = batch.readiness.get(rid, np.nan)
            by_code = levels.xs(rid, level="round") if rid in batch.readiness.index else {}
            found[rid] = (np.nan if pd.isna(value) else float(value),
                          {str(code): int(level) for code, level in dict(by_code).items()
                           if not pd.isna(level) and str(code) in options})
    return found


def population_compute() -> Population:
    """Read every partnership's latest round with results (snapshots; scored without
    one). Four queries (three when every snapshot's summary is cached), plus three per
    round without a snapshot."""
    rows = (with_results(Round.objects.all()).filter(has_results=True)
            .order_by("partnership_id", "-opens_on", "-id")
            .values_list("id", "partnership_id", "partnership__kind"))
    latest: dict[int, tuple[int, str]] = {}
    for rid, pid, kind in rows:
        latest.setdefault(pid, (rid, kind))
    round_ids = [rid for rid, _kind in latest.values()]
    summaries = _snapshot_summaries(round_ids)
    missing = [rid for rid in round_ids if rid not in summaries]
    if missing:
        summaries |= _scored_in_batch(missing)
    profiles = _profiles()
    pids = sorted(latest)
    codes = sorted({c for _r, levels in summaries.values() for c in levels},
                   key=lambda c: (len(c), c))
    column = {c: i for i, c in enumerate(codes)}
    levels = np.zeros((len(pids), len(codes)), dtype=np.int8)
    readiness = np.full(len(pids), np.nan)
    for i, pid in enumerate(pids):
        value, by_code = summaries[latest[pid][0]]
        readiness[i] = value
        for code, level in by_code.items():
            levels[i, column[code]] = level
    return Population(
        partnerships=np.array(pids, dtype=np.int64),
        rounds=np.array([latest[p][0] for p in pids], dtype=np.int64),
        kinds=[latest[p][1] for p in pids],
        services=[_key(profiles.get(p, (set(), set()))[0]) for p in pids],
        nations=[_key(profiles.get(p, (set(), set()))[1]) for p in pids],
        readiness=readiness, codes=codes, levels=levels)


def _population(token: str) -> Population:
    key = f"{CACHE_PREFIX}population:{token}"
    found = cache.get(key)
    if found is None:
        found = population_compute()
        cache.set(key, found, CACHE_SECONDS)
    return found


def _group_value(round: Round, basis: str, token: str) -> str:
    """This partnership's value of the basis (kind code, services or nations joined)."""
    if basis == "kind":
        return round.partnership.kind
    key = f"{CACHE_PREFIX}profile:{token}:{round.partnership_id}"
    profile = cache.get(key)
    if profile is None:
        services, nations = _profiles([round.partnership_id]).get(round.partnership_id,
                                                                  (set(), set()))
        profile = (_key(services), _key(nations))
        cache.set(key, profile, CACHE_SECONDS)
    return profile[0] if basis == "services" else profile[1]


def _group(*, basis: str, value: str, codes: list[str], token: str) -> dict:
    """The member figures of one group (every partnership with that value, this one
    included: it is left out when the figures are worked out), cached."""
    digest = hashlib.sha256("|".join([basis, value, *codes]).encode()).hexdigest()[:32]
    key = f"{CACHE_PREFIX}group:{digest}:{token}"
    found = cache.get(key)
    if found is not None:
        return found
    pop = _population(token)
    attribute = {"kind": pop.kinds, "services": pop.services, "nation": pop.nations}[basis]
    mask = np.array([v == value for v in attribute], dtype=bool)
    column = {c: i for i, c in enumerate(pop.codes)}
    levels = np.zeros((int(mask.sum()), len(codes)), dtype=np.int8)
    for j, code in enumerate(codes):
        if code in column:
            levels[:, j] = pop.levels[mask, column[code]]
    found = {"partnerships": pop.partnerships[mask], "readiness": pop.readiness[mask],
             "levels": levels}
    cache.set(key, found, CACHE_SECONDS)
    return found


# --------------------------------------------------------------------------- comparison


def _describe(basis: str, value: str) -> str:
    if basis == "kind":
        kinds = dict(CollaborationKind.choices)
        return _("Partnerships with the same kind of collaboration as yours: %(kind)s") % {
            "kind": kinds.get(value, value)}
    if basis == "services":
        services = dict(Service.choices)
        return _("Partnerships whose agencies are of the same services as yours: "
                 "%(services)s") % {"services": ", ".join(
                     str(services.get(s, s)) for s in value.split(",") if s)}
    if not value:
        return _("Your agencies have no nation recorded, so no partnership can be compared "
                 "with yours by nation.")
    nations = dict(Nation.choices)
    return _("Partnerships whose agencies are in the same nation as yours: %(nation)s") % {
        "nation": ", ".join(str(nations.get(n, n)) for n in value.split(","))}


def comparison_for(*, round: Round, basis: str, result: RoundResult | None = None,
                   token: str | None = None) -> Comparison:
    """This round's partnership beside the comparable partnerships (see the module).

    ``basis``: ``kind``, ``services`` or ``nation`` (anything else: ``kind``).
    ``result``: the round's own result when the caller has it (the dashboard does);
    otherwise it is read (:func:`round_scored`). With a warm cache and ``result``
    given: one query (the cache token), none when ``token`` (:func:`cache_token`) is
    given too.
    """
    basis = basis_or_default(basis)
    if result is None:
        result = round_scored(round=round).result
    spec = framework_spec(framework=round.framework)
    codes = [o.code for o in spec.options]
    titles = {o.code: o.title for o in spec.options}
    published = {o.code: o.published_level for o in spec.options}
    own_levels = {code: (result.options[code].level if code in result.options else None)
                  for code in codes}
    own_readiness = result.readiness
    min_group = min_group_size()
    token = cache_token() if token is None else token
    value = _group_value(round, basis, token)
    description = _describe(basis, value)
    if basis == "nation" and not value:
        return Comparison(basis=basis, description=description, available=False,
                          partnerships=0, min_group=min_group, suppressed=False,
                          own_readiness=own_readiness, own_levels=own_levels)
    group = _group(basis=basis, value=value, codes=codes, token=token)
    others = group["partnerships"] != round.partnership_id
    levels = group["levels"][others]
    readiness = group["readiness"][others]
    n = int(others.sum())
    too_few = n < min_group
    options = []
    for j, code in enumerate(codes):
        column = levels[:, j]
        counts = {lv: int((column == lv).sum()) for lv in LEVELS}
        rated = sum(counts.values())
        hidden = too_few or rated < min_group
        options.append(OptionComparison(
            code=code, title=titles[code], published_level=published[code],
            own_level=own_levels[code], rated=rated,
            counts={} if hidden else counts,
            shares={} if hidden else {lv: counts[lv] / rated for lv in LEVELS},
            suppressed=bool(hidden and rated > 0)))
    values = readiness[~np.isnan(readiness)]
    base = int(values.size)
    readiness_hidden = too_few or base < min_group
    quartiles = None
    if not readiness_hidden:
        q1, q2, q3 = np.percentile(values, [25, 50, 75])
        quartiles = (float(q1), float(q2), float(q3))
    edges = np.array(READINESS_EDGES, dtype=np.float64)
    band_counts, _edges = np.histogram(values, bins=edges)
    bands = []
    for k, (lo, hi) in enumerate(zip(READINESS_EDGES[:-1], READINESS_EDGES[1:], strict=True)):
        own = own_readiness is not None and (
            lo <= own_readiness < hi or (hi == READINESS_EDGES[-1] and own_readiness == hi))
        bands.append(ReadinessBand(
            label=f"{lo}–{hi}", low=lo, high=hi,
            partnerships=None if readiness_hidden else int(band_counts[k]),
            share=None if readiness_hidden or not base else float(band_counts[k]) / base,
            own=bool(own)))
    return Comparison(
        basis=basis, description=description, available=True, partnerships=n,
        min_group=min_group, suppressed=bool(0 < n < min_group), options=options,
        readiness_base=base, readiness_suppressed=bool(readiness_hidden and base > 0),
        quartiles=quartiles, bands=bands, own_readiness=own_readiness,
        own_levels=own_levels)
