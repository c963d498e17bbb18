"""A round's results, gathered for the dashboard and the downloads (selectors).

Everything here reads; nothing writes. Results come only from *submitted*
answers (``SubmittedAnswer`` rows of submissions with ``submitted_at`` set), so
a draft never moves a tier and a reopened submission keeps its last submitted
answers in the results until it is submitted again.

:func:`round_scored` scores one round (the JSON and XLSX downloads need no
more); :func:`round_results` adds what the dashboard shows: per-agency answers,
divergent items, evidence, the action plan, the three Cs themes and the trend
across the partnership's rounds. Both run a fixed number of queries, whatever
the number of agencies, items or rounds: every table is fetched in one query
and the partnership's rounds are scored together by ``scoring.score_rounds``.

Who sees what (:class:`Audience`): leads of the round's partnership and
administrators see everything, with the agencies' comments (evidence).
Researchers see the same results and agencies by name (as in the round's
answers export, which they may download), but not the partners' candid
comments. An audience may also see agencies by service only ("Police", "Fire
and rescue 1", "Fire and rescue 2": ``names=False``): the labels then replace
the names *before* scoring, so reasons such as "... opposes this" name the
service too; no view uses that today.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import cached_property

import pandas as pd
from django.core.cache import cache
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from assessments import scoring
from assessments.access import enough_submitted
from assessments.frameworks import (
    framework_definitions,
    framework_is_immutable,
    framework_spec,
    framework_specs,
)
from assessments.models import (
    Membership,
    Round,
    Submission,
    SubmittedAnswer,
)
from assessments.questionnaire.selectors import round_submitted_agencies, round_submitted_answers
from assessments.results.snapshots import round_result_with_digest
from assessments.results.wording import (
    factor_figures,
    factor_status_text,
    provisional_notes,
    reason_texts,
    status_text,
    unrated_text,
)
from assessments.scoring import (
    FrameworkSpec,
    ItemResult,
    OptionResult,
    RoundResult,
)
from bluelight import formatting
from bluelight.choices import Service
from survey.models import Item

LEVELS = (1, 2, 3)
# A factor's part in holding options back, most severe first.
SEVERITY = ("absent", "key", "weak", "significant")


@dataclass(frozen=True)
class Audience:
    """What one viewer may see of a round's results."""

    names: bool  # agencies by name (else by service label)
    comments: bool  # the agencies' comments (evidence)

    @classmethod
    def partner(cls) -> Audience:
        return cls(names=True, comments=True)

    @classmethod
    def research(cls) -> Audience:
        return cls(names=True, comments=False)


PARTNER = Audience.partner()
RESEARCH = Audience.research()


def agency_labels(agencies: list[tuple[str, str]]) -> dict[str, str]:
    """Service labels for (name, service) pairs: "Police", or "Fire and rescue 1", "... 2"
    when the partnership has several agencies of one service (numbered by name)."""
    services = dict(Service.choices)
    by_service: dict[str, list[str]] = defaultdict(list)
    for name, service in sorted(set(agencies)):
        by_service[service].append(name)
    labels = {}
    for service, names in by_service.items():
        label = str(services.get(service, service))
        for i, name in enumerate(names, start=1):
            labels[name] = label if len(names) == 1 else f"{label} {i}"
    return labels


# --------------------------------------------------------------------------- scoring


CARDS_CACHE_SECONDS = 60 * 60 * 24  # a key never goes stale (it names its content)


@dataclass(frozen=True)
class ScoredRound:
    """One round scored: the framework, the answers and agencies as shown, the result."""

    round: Round
    spec: FrameworkSpec
    audience: Audience
    answers: pd.DataFrame  # agency (display name), service, item, value, comment
    agencies: list[str]  # display names of the agencies that submitted, sorted
    members: list[tuple[str, str]]  # (name, service) of the partnership's agencies
    labels: dict[str, str]  # real name -> display name
    result: RoundResult
    digest: str = ""  # content hash of the answers the result is of (results.snapshots)

    @property
    def ready(self) -> bool:
        """Enough agencies have submitted for results to be shown."""
        return enough_submitted(len(self.agencies), self.spec.thresholds.min_agencies)

    @property
    def still_to_submit(self) -> list[str]:
        """The partnership's agencies (display names) with no submitted answers yet."""
        submitted = set(self.agencies)
        return sorted(self.labels.get(name, name) for name, _service in self.members
                      if self.labels.get(name, name) not in submitted)

    @property
    def still_open(self) -> bool:
        """The round is not closed yet: agencies may still submit or change answers."""
        return self.round.status != Round.Status.CLOSED

    @property
    def provisional(self) -> bool:
        """The results may still change: the round is open, or not every agency of the
        partnership has submitted."""
        return self.still_open or bool(self.still_to_submit)

    @property
    def provisional_notes(self) -> list[str]:
        """Why the results are provisional, in the reader's language (empty: final)."""
        return provisional_notes(still_open=self.still_open,
                                 still_to_submit=self.still_to_submit)


def _members(round: Round) -> list[tuple[str, str]]:
    return list(Membership.objects.filter(partnership_id=round.partnership_id)
                .order_by("agency__name").values_list("agency__name", "agency__service"))


def round_scored(*, round: Round, audience: Audience = PARTNER,
                 spec: FrameworkSpec | None = None) -> ScoredRound:
    """Score a round from its submitted answers, with the round's own framework version.

    ``manage.py score`` on the round's answer export (``exports.round_answers_csv``)
    gives the same result: the same answers, agencies sorted by name, and the
    same function. Six queries (three when ``spec`` is given).
    """
    spec = framework_spec(framework=round.framework) if spec is None else spec
    members = _members(round)
    answers = round_submitted_answers(round=round)
    submitted = round_submitted_agencies(round=round)
    # Only agencies that submitted count (a guard: only they have submitted answers).
    answers = answers[answers["agency"].isin(submitted)].reset_index(drop=True)
    services = dict(zip(answers["agency"], answers["service"], strict=True))
    everyone = members + [(a, services.get(a, "other")) for a in submitted
                          if a not in {m for m, _ in members}]
    if audience.names:
        labels = {name: name for name, _ in everyone}
    else:
        labels = agency_labels(everyone)
        answers = answers.assign(agency=answers["agency"].map(labels))
    if not audience.comments:
        answers = answers.assign(comment="")
    agencies = sorted(labels[a] for a in submitted)
    # Read from the snapshot of exactly these answers; scored now if there is none.
    result, digest = round_result_with_digest(round=round, answers=answers,
                                              agencies=agencies, spec=spec)
    return ScoredRound(round=round, spec=spec, audience=audience, answers=answers,
                       agencies=agencies, members=members, labels=labels, result=result,
                       digest=digest)


# --------------------------------------------------------------------------- dashboard


@dataclass(frozen=True)
class AgencyState:
    """Where one of the partnership's agencies is with the round."""

    name: str  # display name
    state: str  # submitted | reopened | draft | not_started
    submitted_at: datetime | None

    @property
    def counts(self) -> bool:
        """Its submitted answers are in the results."""
        return self.submitted_at is not None

    @property
    def state_text(self) -> str:
        return {
            "submitted": _("submitted"),
            "reopened": _("reopened for changes; its last submitted answers count until it "
                          "submits again"),
            "draft": _("draft in progress"),
            "not_started": _("not started"),
        }[self.state]


@dataclass(frozen=True)
class Divergence:
    """A divergent item with every agency's answer, in the result's agency order."""

    row: ItemResult | OptionResult
    answers: list[str]
    comments: list[str] = field(default_factory=list)  # beside each answer ("" for none)

    @property
    def status(self) -> str:
        return status_text(self.row)


@dataclass(frozen=True)
class Unlock:
    """An option that would move up if one factor were resolved, nothing else changing."""

    option: OptionResult
    to_level: int


@dataclass(frozen=True)
class ActionPoint:
    """A weak or absent enabler, or a significant or key barrier, and what it holds back."""

    item: ItemResult
    severity: str  # one of SEVERITY
    holds_back: list[OptionResult]  # rated options it is an issue or key for
    unlocks: list[Unlock]
    figures: str = ""  # its average, lowest and highest, each with its scale's word

    @property
    def severity_text(self) -> str:
        if self.severity == "absent":
            return factor_status_text(scoring.WEAK, absent=True)
        return factor_status_text(self.severity)

    @property
    def holds_back_text(self) -> str:
        """'O1 More single (shared) back offices (Level 3); O2 ... (Level 2)'."""
        form = _("%(code)s %(title)s (Level %(level)s)")
        return "; ".join(form % {"code": o.code, "title": o.title, "level": o.level}
                         for o in self.holds_back)

    @property
    def unlock_texts(self) -> list[str]:
        form = _("%(code)s %(title)s: from Level %(old)s to Level %(new)s")
        return [form % {"code": u.option.code, "title": u.option.title, "old": u.option.level,
                        "new": u.to_level} for u in self.unlocks]


@dataclass(frozen=True)
class OptionCard:
    """An option on the tier board, with its published level and how it compares."""

    option: OptionResult
    published_text: str  # "Published: Level 1", or "" when the option has none
    difference: str | None  # higher | lower | same (than published); None if not comparable
    difference_text: str
    unrated_text: str  # why it is not rated, for an option without a level
    reasons: list[str]  # its reasons in the reader's language (rated options)


def option_card(option: OptionResult, min_agencies: int, titles: dict[str, str],
                scales: dict[str, dict[int, str]] | None = None) -> OptionCard:
    level, published = option.level, option.published_level
    difference, text = None, ""
    if level is not None and published is not None:
        # Level 1 is the best: a smaller number is a higher level.
        difference = "higher" if level < published else "lower" if level > published else "same"
        text = {"higher": _("higher than published"), "lower": _("lower than published"),
                "same": _("same as published")}[difference]
    unrated = unrated_text(option.n, min_agencies) if level is None else ""
    return OptionCard(
        option=option,
        published_text=("" if published is None
                        else _("Published: Level %(level)s") % {"level": published}),
        difference=difference, difference_text=text, unrated_text=unrated,
        reasons=reason_texts(option, titles, scales or {}))


@dataclass(frozen=True)
class Theme:
    """One of the three Cs: its factors and their mean scores."""

    code: str
    title: str
    enablers: list[str]
    barriers: list[str]
    enabler_mean: float | None  # mean of the answered enablers' means (1-5, higher better)
    barrier_mean: float | None  # the same for barriers (1-5, higher is worse)


@dataclass(frozen=True)
class Trend:
    """Readiness and each option's level across the partnership's rounds with results."""

    rounds: list[Round]
    readiness: pd.DataFrame  # one row per round: round, title, opens_on, agencies, readiness
    levels: pd.DataFrame  # index option code; columns round ids; values Int (NA = not rated)
    titles: dict[str, str]  # option code -> title
    current: int  # the dashboard's round id

    def level_rows(self) -> list[tuple[str, str, list[int | None]]]:
        return [(code, self.titles.get(code, ""),
                 [None if pd.isna(v) else int(v) for v in row])
                for code, row in zip(self.levels.index, self.levels.to_numpy(), strict=True)]


@dataclass(frozen=True)
class RoundResults:
    """Everything the results dashboard shows for one round (one audience)."""

    scored: ScoredRound
    agencies: list[AgencyState]  # the partnership's agencies (and any other submitter)
    scales: dict[str, dict[int, str]]  # kind -> value -> label
    titles: dict[str, str]  # item code -> title
    trend: Trend | None
    trend_key: str = ""  # names what the trend is made of ("": not cached)
    # Empty until enough agencies have submitted (``ready``).
    action_plan: list[ActionPoint] = field(default_factory=list)

    # The answers in words, the divergent items, the evidence and the themes are made
    # when first read: a page that shows them from its cache (by ``content_key``)
    # never makes them. Each is empty until the round is ``ready``.

    @cached_property
    def answers(self) -> pd.DataFrame:
        """Each agency's answer to each item as text: index item codes, columns agencies."""
        if not self.ready:
            return pd.DataFrame()
        return answer_texts(self.scored, self._kinds, self.scales)

    @cached_property
    def divergent(self) -> list[Divergence]:
        return divergences(self.result, self.answers, self.scored) if self.ready else []

    @cached_property
    def evidence(self) -> list[tuple[str, str, list[tuple[str, str, str]]]]:
        """Comments by item (for an audience that may read them)."""
        if not (self.ready and self.audience.comments):
            return []
        return _evidence(self.scored, self.titles, self._kinds, self.scales)

    @cached_property
    def themes(self) -> list[Theme]:
        return _themes(self.result, self.scored.spec) if self.ready else []

    @cached_property
    def _kinds(self) -> dict[str, str]:
        spec = self.scored.spec
        return {f.code: f.kind for f in spec.factors} | {o.code: "option" for o in spec.options}

    @cached_property
    def content_key(self) -> str:
        """A hash of everything the answers-only parts of the page show: the answers'
        hash (answers, agencies as shown, framework version, method), what the audience
        may see and, when it may read them, the comments (which the answers' hash leaves
        out). Empty while the round has no results."""
        if not (self.ready and self.scored.digest):
            return ""
        answers = self.scored.answers
        comments = ""
        if self.audience.comments:
            comments = "\x1e".join(
                f"{agency}\x1f{item}\x1f{comment}"
                for agency, item, comment in zip(answers["agency"], answers["item"],
                                                 answers["comment"].fillna(""), strict=True)
                if str(comment).strip())
        payload = "\x1d".join([self.scored.digest, str(self.audience.names),
                               str(self.audience.comments), comments])
        return hashlib.sha256(payload.encode()).hexdigest()

    @property
    def round(self) -> Round:
        return self.scored.round

    @property
    def result(self) -> RoundResult:
        return self.scored.result

    @property
    def ready(self) -> bool:
        return self.scored.ready

    @property
    def audience(self) -> Audience:
        return self.scored.audience

    @property
    def provisional(self) -> bool:
        return self.scored.provisional

    @property
    def provisional_notes(self) -> list[str]:
        return self.scored.provisional_notes

    @property
    def min_agencies(self) -> int:
        return self.scored.spec.thresholds.min_agencies

    @property
    def submitted(self) -> list[AgencyState]:
        return [a for a in self.agencies if a.counts]

    @property
    def still_to_submit(self) -> list[AgencyState]:
        return [a for a in self.agencies if not a.counts]

    @property
    def reopened(self) -> list[AgencyState]:
        return [a for a in self.agencies if a.state == "reopened"]

    @cached_property
    def tiers(self) -> list[tuple[int | None, list[OptionCard]]]:
        """Option cards by level, Level 1 to 3, then not rated (only when there are any).

        The cards (their reasons in sentences) are a function of the answers' hash and
        the reader's language, so they are cached under both."""
        key = (f"bluelight:cards:v1:{self.scored.digest}:{get_language()}"
               if self.scored.digest else None)
        cards = cache.get(key) if key else None
        if cards is None:
            cards = [option_card(o, self.min_agencies, self.titles, self.scales)
                     for o in self.result.options.values()]
            if key:
                cache.set(key, cards, CARDS_CACHE_SECONDS)
        out: list[tuple[int | None, list[OptionCard]]] = [
            (level, [c for c in cards if c.option.level == level]) for level in LEVELS]
        unrated = [c for c in cards if c.option.level is None]
        if unrated:
            out.append((None, unrated))
        return out

    @property
    def level_counts(self) -> list[tuple[int | None, int]]:
        return [(level, len(options)) for level, options in self.tiers]

    @property
    def n_divergent(self) -> int:
        """How many items are divergent (read from the result: no table made)."""
        if not self.ready:
            return 0
        return sum(1 for r in [*self.result.items.values(), *self.result.options.values()]
                   if r.divergent)

    @property
    def factors(self) -> list[tuple[ItemResult, str]]:
        """Every enabler and barrier with its status in words."""
        return [(item, status_text(item)) for item in self.result.items.values()]

    def values(self, kind: str) -> pd.DataFrame:
        """Answers to the factors of one kind: index codes, columns agencies (NaN = none)."""
        codes = [f.code for f in self.scored.spec.factors if f.kind == kind]
        return pd.DataFrame(
            [[self.result.items[c].values.get(a) for a in self.result.agencies] for c in codes],
            index=pd.Index(codes, name="item"), columns=self.result.agencies, dtype=float)


def answer_text(value: float | None, labels: dict[int, str], *, answered: bool = True) -> str:
    """'4 Largely in place', "Don't know" (answered without a value), or 'No answer'."""
    if not answered:
        return _("No answer")
    return formatting.answer(value, labels)


def round_results(*, round: Round, audience: Audience = PARTNER) -> RoundResults:
    """Everything the dashboard shows for ``round``, in a fixed number of queries: the
    rounds, the members, the answers, the submitting agencies, the submissions, and
    the other rounds' answers for the trend when it is not in the cache.

    ``round`` should come with ``partnership`` and ``framework`` selected. The specs
    and scales of published framework versions come from the cache (else one item
    fetch for every version). The trend is cached under ``trend_key``; the answers in
    words, the divergent items, the evidence and the themes are made when first read.
    """
    rounds = list(Round.objects.filter(partnership_id=round.partnership_id)
                  .select_related("framework").order_by("opens_on", "id"))
    if round.id not in {r.id for r in rounds}:  # pragma: no cover - a round is its partnership's
        rounds.append(round)
    specs, _ = framework_specs(frameworks={r.framework_id: r.framework for r in rounds})
    spec = specs[round.framework_id]
    scored = round_scored(round=round, audience=audience, spec=spec)
    submissions = list(Submission.objects.filter(round__partnership_id=round.partnership_id)
                       .values_list("round_id", "agency__name", "status", "submitted_at"))
    states = _agency_states(scored, [s[1:] for s in submissions if s[0] == round.id])
    scales = _scales(round.framework)
    titles = {f.code: f.title for f in spec.factors} | {o.code: o.title for o in spec.options}
    trend_key = _trend_key(scored, rounds, submissions)
    trend = cache.get(trend_key, MISSING) if trend_key else MISSING
    if trend is MISSING:
        trend = _trend(scored, rounds, specs, submissions)
        if trend_key:
            cache.set(trend_key, trend, CARDS_CACHE_SECONDS)
    if not scored.ready:
        return RoundResults(scored=scored, agencies=states, scales=scales, titles=titles,
                            trend=trend, trend_key=trend_key)
    return RoundResults(
        scored=scored, agencies=states, scales=scales, titles=titles, trend=trend,
        trend_key=trend_key,
        action_plan=[replace(p, figures=factor_figures(p.item, scales.get(p.item.kind, {})))
                     for p in action_plan(scored.result, spec)],
    )


MISSING = object()


def _trend_key(scored: ScoredRound, rounds: list[Round], submissions: list[tuple]) -> str:
    """A cache key naming everything the trend is made of, from what the page has read
    anyway: this round's answers (their hash), the partnership's rounds (id, title,
    opening date, framework version) and when each other agency last submitted (its
    submitted answers are frozen at that moment: they change only with it), in the
    reader's language. Empty (not cached) when a round uses a draft framework version,
    whose thresholds can still change."""
    if not scored.digest or any(not framework_is_immutable(r.framework) for r in rounds):
        return ""
    current = scored.round.id
    payload = json.dumps({
        "answers": scored.digest,
        "rounds": [(r.id, r.title, r.opens_on.isoformat() if r.opens_on else None,
                    r.framework_id, r.framework.published_at.isoformat()) for r in rounds],
        "submitted": sorted((rid, name, at.isoformat()) for rid, name, _status, at
                            in submissions if at is not None and rid != current),
        "language": get_language(),
    }, ensure_ascii=False)
    return "bluelight:trend:v1:" + hashlib.sha256(payload.encode()).hexdigest()


def _scales(framework) -> dict[str, dict[int, str]]:
    """Each scale's words by value (from the cache for a published version)."""
    _items, scales = framework_definitions(framework=framework)
    return {kind: dict(scale.labels) for kind, scale in scales.items()}


def _agency_states(scored: ScoredRound, submissions: list[tuple]) -> list[AgencyState]:
    """The partnership's agencies (and any other that submitted) and their submissions."""
    found = {name: (status, at) for name, status, at in submissions}
    members = [m for m, _ in scored.members]
    names = members + sorted(n for n, (_, at) in found.items()
                             if at is not None and n not in set(members))
    states = []
    for name in names:
        status, submitted_at = found.get(name, ("not_started", None))
        if submitted_at is None and status != "not_started":
            status = "draft"  # never submitted: nothing of it counts yet
        elif submitted_at is not None and status != Submission.Status.SUBMITTED:
            status = "reopened"  # submitted before: its last submitted answers count
        states.append(AgencyState(name=scored.labels.get(name, name), state=status,
                                  submitted_at=submitted_at))
    return sorted(states, key=lambda s: s.name)


def answer_texts(scored: ScoredRound, kinds: dict[str, str],
                  scales: dict[str, dict[int, str]]) -> pd.DataFrame:
    """Each agency's answer to each item as text: index item codes, columns agencies."""
    answers = scored.answers
    value = dict(zip(zip(answers["item"], answers["agency"], strict=True),
                     answers["value"], strict=True))
    table = {
        agency: [answer_text(value.get((code, agency)), scales.get(kinds[code], {}),
                             answered=(code, agency) in value)
                 for code in scored.spec.item_codes]
        for agency in scored.agencies
    }
    return pd.DataFrame(table, index=pd.Index(scored.spec.item_codes, name="item"),
                        columns=scored.agencies)


def divergences(result: RoundResult, answers: pd.DataFrame, scored: ScoredRound):
    """Divergent factors and options, each with every agency's answer (agency order) and,
    for an audience that may read them, the comment it wrote beside it."""
    rows = [r for r in [*result.items.values(), *result.options.values()] if r.divergent]
    comments: dict[tuple[str, str], str] = {}
    if scored.audience.comments:
        frame = scored.answers
        comments = {(item, agency): str(comment).strip()
                    for item, agency, comment in zip(frame["item"], frame["agency"],
                                                     frame["comment"].fillna(""), strict=True)}
    return [Divergence(row=r, answers=answers.loc[r.code].tolist(),
                       comments=[comments.get((r.code, a), "") for a in answers.columns])
            for r in rows]


def _evidence(scored: ScoredRound, titles: dict[str, str], kinds: dict[str, str],
              scales: dict[str, dict[int, str]]):
    """Comments by item, in framework order: (code, title, [(agency, answer, comment)])."""
    answers = scored.answers
    with_comment = answers[answers["comment"].fillna("").str.strip() != ""]
    by_item: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for agency, item, value, comment in zip(with_comment["agency"], with_comment["item"],
                                            with_comment["value"], with_comment["comment"],
                                            strict=True):
        by_item[item].append((agency, answer_text(value, scales.get(kinds[item], {})), comment))
    return [(code, titles[code], sorted(by_item[code]))
            for code in scored.spec.item_codes if code in by_item]


def action_plan(result: RoundResult, spec: FrameworkSpec) -> list[ActionPoint]:
    """Weak or absent enablers and significant or key barriers, ranked by how many rated
    options each holds back (is an issue or a key of), then by what resolving it would
    unlock, severity and framework order.

    ``unlocks``: the options that would move up if this factor alone stopped being
    weak (or significant), nothing else changing: those with enough support and no
    opposition whose remaining issues and keys then allow a better level.
    """
    t = spec.thresholds
    order = {code: i for i, code in enumerate(spec.item_codes)}
    rated = [o for o in result.options.values() if o.level is not None]
    points = []
    for item in result.items.values():
        if item.kind == scoring.ENABLER and item.status == scoring.WEAK:
            severity = "absent" if item.absent else "weak"
        elif item.kind == scoring.BARRIER and item.status in (scoring.KEY, scoring.SIGNIFICANT):
            severity = item.status
        else:
            continue
        held = [o for o in rated if item.code in o.issues or item.code in o.keys]
        unlocks = []
        for o in held:
            if (o.support_share or 0) < t.support_share_min or o.opposed:
                continue  # support, not this factor, keeps it at Level 3
            keys = [c for c in o.keys if c != item.code]
            issues = [c for c in o.issues if c != item.code]
            to_level = 3 if keys else 2 if issues else 1
            if o.level is not None and to_level < o.level:
                unlocks.append(Unlock(option=o, to_level=to_level))
        points.append(ActionPoint(item=item, severity=severity, holds_back=held,
                                  unlocks=unlocks))
    points.sort(key=lambda p: (-len(p.holds_back), -len(p.unlocks),
                               SEVERITY.index(p.severity), order[p.item.code]))
    return points


def _themes(result: RoundResult, spec: FrameworkSpec) -> list[Theme]:
    """The three Cs: the mean of the answered enablers' (and barriers') means."""
    def mean(codes: list[str]) -> float | None:
        means = [result.items[c].mean for c in codes if result.items[c].mean is not None]
        return sum(means) / len(means) if means else None

    themes = []
    for value, label in Item.Theme.choices:
        enablers = [f.code for f in spec.enablers if f.theme == value]
        barriers = [f.code for f in spec.barriers if f.theme == value]
        if enablers or barriers:
            themes.append(Theme(code=value, title=str(label), enablers=enablers,
                                barriers=barriers, enabler_mean=mean(enablers),
                                barrier_mean=mean(barriers)))
    return themes


def _trend(scored: ScoredRound, rounds: list[Round], specs: dict[int, FrameworkSpec],
           submitted_rows: list[tuple]) -> Trend | None:
    """Readiness and option levels of the partnership's rounds with results, or None
    when fewer than two have results (then with no query). Otherwise one query (the
    other rounds' answers); the rounds of one framework version are scored together."""
    current = scored.round.id
    submitted = pd.DataFrame(
        [(rid, name) for rid, name, _status, at in submitted_rows
         if at is not None and rid != current]
        + [(current, name) for name in scored.agencies], columns=["round", "agency"])
    counts = Counter(submitted["round"].tolist())
    with_results = [r for r in rounds
                    if enough_submitted(counts[r.id],
                                        specs[r.framework_id].thresholds.min_agencies)]
    if len(with_results) < 2:
        return None
    others = pd.DataFrame.from_records(
        list(SubmittedAnswer.objects
             .filter(submission__round_id__in=[r.id for r in with_results if r.id != current],
                     submission__submitted_at__isnull=False)
             .values_list("submission__round_id", "submission__agency__name", "item__code",
                          "value")),
        columns=["round", "agency", "item", "value"])
    others["value"] = pd.to_numeric(others["value"], errors="coerce").astype(float)
    mine = scored.answers[["agency", "item", "value"]].assign(round=current)
    answers = pd.concat([others, mine[others.columns]], ignore_index=True)
    readiness: dict[int, float | None] = {}
    levels: dict[int, pd.Series] = {}
    titles: dict[str, str] = {}
    for fid in dict.fromkeys(r.framework_id for r in with_results):
        spec = specs[fid]
        titles |= {o.code: o.title for o in spec.options}
        group = [r.id for r in with_results if r.framework_id == fid]
        batch = scoring.score_rounds(answers[answers["round"].isin(group)], spec,
                                     submitted=submitted[submitted["round"].isin(group)])
        for rid in group:
            value = batch.readiness.get(rid, math.nan)
            readiness[rid] = None if pd.isna(value) else float(value)
            levels[rid] = batch.options["level"].xs(rid, level="round")
    keep = [r.id for r in with_results]
    table = pd.DataFrame({
        "round": keep,
        "title": [r.title for r in with_results],
        "opens_on": [r.opens_on for r in with_results],
        "agencies": [counts[r.id] for r in with_results],
        "readiness": [readiness[r.id] for r in with_results],
    })
    level_table = pd.DataFrame(levels, columns=keep).astype("Int8")
    level_table.index.name = "option"
    return Trend(rounds=with_results, readiness=table, levels=level_table, titles=titles,
                 current=current)
