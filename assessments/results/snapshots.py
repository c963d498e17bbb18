"""A round's results computed once, kept as snapshots in the database.

A :class:`~assessments.models.ResultSnapshot` holds a round's ``RoundResult``
as JSON, keyed by a content hash of exactly what the result depends on: the
submitted answers (sorted ``(agency, item, value)``), the agencies that
submitted, the framework version (its id and its spec) and the scoring method
version. It is written when a submission is submitted, reopened or imported and
when a round closes (:func:`round_snapshot_refresh`); the dashboard and the
downloads read it through :func:`round_result_with_digest`, which hashes the answers it
has just fetched and reads the document stored under that hash (from the cache,
else from the table): a missing or stale snapshot is recomputed, so correctness
never depends on a snapshot.
Earlier snapshots are kept: :func:`round_snapshot_at` says what the results were at a given time.

A snapshot's document is a pure function of its hash, so the documents are
kept in Django's cache under the hash (shared between hosts when Redis is
configured): a read costs no query, and a page never writes a snapshot. The table
is the durable record: a read the cache cannot answer takes the document from the
table (one query) and puts it back in the cache; ``manage.py rebuild_snapshots``
refreshes every round.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import threading
from collections import OrderedDict
from dataclasses import asdict
from datetime import datetime
from typing import Any

import pandas as pd
from django.core.cache import cache
from django.db import transaction

from assessments import scoring
from assessments.frameworks import framework_spec
from assessments.models import ResultSnapshot, Round
from assessments.questionnaire.selectors import round_submitted_agencies, round_submitted_answers
from assessments.scoring import FrameworkSpec, ItemResult, OptionResult, Reason, RoundResult

log = logging.getLogger(__name__)

CACHE_PREFIX = "bluelight:snapshot:v1:"
CACHE_SECONDS = 60 * 60 * 24 * 7  # a document never goes stale (its key is its content)


# --------------------------------------------------------------------------- the hash


def answers_hash(*, answers: pd.DataFrame, agencies: list[str], framework_id: int,
                 spec: FrameworkSpec, method: str = scoring.METHOD) -> str:
    """sha256 over the sorted (agency, item, value) answers, the submitting agencies,
    the framework version (id and spec) and the scoring method version."""
    values = [None if v is None or (isinstance(v, float) and math.isnan(v)) else float(v)
              for v in answers["value"].tolist()]
    rows = sorted(zip(answers["agency"].astype(str).tolist(),
                      answers["item"].astype(str).tolist(),
                      [repr(v) for v in values], strict=True))
    payload = json.dumps({"answers": rows, "agencies": list(agencies),
                          "framework": framework_id, "spec": repr(spec), "method": method},
                         ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode()).hexdigest()


# --------------------------------------------------------------------------- the document


def _encode(x: Any) -> Any:
    """JSON-safe and order-safe: NaN and infinities (which jsonb refuses) as tagged
    strings; mappings as lists of pairs (jsonb reorders an object's keys, and the
    order of items, options and agencies is part of a result)."""
    if isinstance(x, float):
        if math.isnan(x):
            return {"__float__": "nan"}
        if math.isinf(x):
            return {"__float__": "inf" if x > 0 else "-inf"}
        return float(x)
    if isinstance(x, dict):
        return {"__pairs__": [[str(k), _encode(v)] for k, v in x.items()]}
    if isinstance(x, list | tuple):
        return [_encode(v) for v in x]
    if hasattr(x, "item") and not isinstance(x, str):  # numpy scalars
        return _encode(x.item())
    return x


def _decode(x: Any) -> Any:
    if isinstance(x, dict):
        if set(x) == {"__float__"}:
            return float(x["__float__"])
        if set(x) == {"__pairs__"}:
            return {k: _decode(v) for k, v in x["__pairs__"]}
        return {k: _decode(v) for k, v in x.items()}
    if isinstance(x, list):
        return [_decode(v) for v in x]
    return x


def result_document(result: RoundResult) -> dict[str, Any]:
    """The whole ``RoundResult`` (every field the dashboard uses) as JSON-safe data."""
    return {"round_result": _encode(asdict(result))}


def result_from_document(document: dict[str, Any]) -> RoundResult:
    data = _decode(document["round_result"])
    items = {code: ItemResult(**item) for code, item in data["items"].items()}
    options = {code: OptionResult(**{**option,
                                     "reasons": [Reason(**r) for r in option["reasons"]]})
               for code, option in data["options"].items()}
    return RoundResult(**{**data, "items": items, "options": options})


# --------------------------------------------------------------------------- read


def _cache_key(digest: str) -> str:
    return CACHE_PREFIX + digest


# The last results read in this process, decoded, by hash. A hash names its content, so
# an entry is never stale; this saves the shared cache's round trip and the decoding
# (about 1 ms a view) on the pages read most. Bounded: the least recently used go.
_DECODED: OrderedDict[str, RoundResult] = OrderedDict()
_DECODED_MAX = 256
_DECODED_LOCK = threading.Lock()


def _decoded_get(digest: str) -> RoundResult | None:
    with _DECODED_LOCK:
        result = _DECODED.get(digest)
        if result is not None:
            _DECODED.move_to_end(digest)
        return result


def _decoded_put(digest: str, result: RoundResult) -> None:
    with _DECODED_LOCK:
        _DECODED[digest] = result
        _DECODED.move_to_end(digest)
        while len(_DECODED) > _DECODED_MAX:
            _DECODED.popitem(last=False)


def forget_decoded() -> None:
    """Empty this process's decoded results (tests that count the cache's reads)."""
    with _DECODED_LOCK:
        _DECODED.clear()


def round_result_with_digest(*, round: Round, answers: pd.DataFrame, agencies: list[str],
                             spec: FrameworkSpec) -> tuple[RoundResult, str]:
    """The round's result for these submitted ``answers``, and their content hash.

    Read in turn from the cache (no query), from the snapshot table (one query, when the
    cache lost it: another host's restart, an eviction) and, when no snapshot holds
    exactly these answers (stale or missing), scored now. A read never writes a
    snapshot (those are written by :func:`round_snapshot_refresh`); it refills the cache.
    """
    digest = answers_hash(answers=answers, agencies=agencies, framework_id=round.framework_id,
                          spec=spec)
    known = _decoded_get(digest)
    if known is not None:
        return known, digest
    for document in _documents(round=round, digest=digest):
        try:
            result = result_from_document(document)
        except (KeyError, TypeError):  # a document of another shape: score instead
            log.warning("Unreadable results snapshot %s; scoring again", digest)
        else:
            _decoded_put(digest, result)
            return result, digest
    result = scoring.score_round(answers, spec, agencies=agencies)
    cache.set(_cache_key(digest), result_document(result), CACHE_SECONDS)
    _decoded_put(digest, result)
    return result, digest


def _documents(*, round: Round, digest: str):
    """The stored documents of ``digest``: the cached one, else the table's (cached)."""
    document = cache.get(_cache_key(digest))
    if document is not None:
        yield document
        return
    stored = (ResultSnapshot.objects.filter(round=round, answers_hash=digest)
              .order_by("-created_at", "-id").values_list("document", flat=True).first())
    if stored is not None:
        cache.set(_cache_key(digest), stored, CACHE_SECONDS)
        yield stored


def _store(*, round: Round, digest: str, result: RoundResult) -> ResultSnapshot:
    snapshot = ResultSnapshot.objects.create(round=round, answers_hash=digest,
                                             method=result.method,
                                             document=result_document(result))
    cache.set(_cache_key(digest), snapshot.document, CACHE_SECONDS)
    return snapshot


def _round_inputs(round: Round) -> tuple[pd.DataFrame, list[str], FrameworkSpec]:
    """The submitted answers and agencies as the dashboard scores them (agencies by name)."""
    spec = framework_spec(framework=round.framework)
    answers = round_submitted_answers(round=round)
    submitted = round_submitted_agencies(round=round)
    answers = answers[answers["agency"].isin(submitted)].reset_index(drop=True)
    return answers, sorted(submitted), spec


def round_snapshot_latest(*, round: Round) -> ResultSnapshot | None:
    return ResultSnapshot.objects.filter(round=round).order_by("-created_at", "-id").first()


def round_snapshot_at(*, round: Round, when: datetime) -> ResultSnapshot | None:
    """The snapshot in force at ``when``: the last one made at or before it (None before
    the first)."""
    return (ResultSnapshot.objects.filter(round=round, created_at__lte=when)
            .order_by("-created_at", "-id").first())


def snapshot_result(snapshot: ResultSnapshot) -> RoundResult:
    return result_from_document(snapshot.document)


# --------------------------------------------------------------------------- write


@transaction.atomic
def round_snapshot_refresh(*, round: Round) -> ResultSnapshot | None:
    """Make sure the round's latest snapshot is of its current submitted answers.

    Called when a submission is submitted, reopened or imported and when a round
    closes. Returns the latest snapshot (a new one only when the answers changed).
    Scoring errors are logged, never raised: the dashboard recomputes on read.
    """
    round = Round.objects.select_related("framework").get(pk=round.pk)
    answers, agencies, spec = _round_inputs(round)
    digest = answers_hash(answers=answers, agencies=agencies, framework_id=round.framework_id,
                          spec=spec)
    latest = round_snapshot_latest(round=round)
    if latest is not None and latest.answers_hash == digest:
        cache.set(_cache_key(digest), latest.document, CACHE_SECONDS)
        return latest
    try:
        result = scoring.score_round(answers, spec, agencies=agencies)
    except ValueError:
        log.exception("Could not score round %s for its snapshot", round.pk)
        return latest
    return _store(round=round, digest=digest, result=result)


def snapshots_rebuild(*, rounds=None) -> int:
    """Refresh the snapshot of every round (or of ``rounds``); returns how many rounds."""
    rounds = Round.objects.select_related("framework").order_by("id") if rounds is None else rounds
    count = 0
    for r in rounds:
        round_snapshot_refresh(round=r)
        count += 1
    return count
