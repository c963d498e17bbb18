"""Results computed once: snapshots of a round's results, keyed by its submitted answers.

A submit (or reopen, import, close) stores a snapshot whose hash is that of the exact
set of submitted answers; new answers make a new one and the earlier one is kept (what
the results said on that date); a snapshot that no longer matches is never trusted:
the dashboard scores again.
"""

from dataclasses import replace
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from assessments.frameworks import framework_spec
from assessments.models import ResultSnapshot
from assessments.questionnaire.selectors import round_submitted_agencies, round_submitted_answers
from assessments.questionnaire.services import (
    AnswerInput,
    round_close,
    submission_reopen,
    submission_save,
    submission_submit,
)
from assessments.results import snapshots
from assessments.results.snapshots import (
    answers_hash,
    result_document,
    result_from_document,
    round_snapshot_at,
    round_snapshot_refresh,
    snapshot_result,
)
from assessments.scoring import score_round, to_json
from tests.conftest import full_answers


@pytest.fixture(autouse=True)
def empty_cache():
    cold()
    yield
    cold()


def current_hash(round_):
    answers = round_submitted_answers(round=round_)
    agencies = round_submitted_agencies(round=round_)
    return answers_hash(answers=answers[answers["agency"].isin(agencies)]
                        .reset_index(drop=True), agencies=sorted(agencies),
                        framework_id=round_.framework_id,
                        spec=framework_spec(framework=round_.framework))


def direct(round_):
    """The round scored straight from its submitted answers, no snapshot involved."""
    return score_round(round_submitted_answers(round=round_),
                       framework_spec(framework=round_.framework),
                       agencies=round_submitted_agencies(round=round_))


@pytest.fixture
def alpha(world, answer_all):
    answer_all(world, "Alpha Police", "alice", submit=True, values={"E2": 1, "O4": 1})
    answer_all(world, "Alpha Fire", "bob", submit=True, values={"B5": 5, "O9": 3})
    return world.rounds["Alpha"]


def test_a_submit_stores_a_snapshot_of_the_submitted_answers(alpha):
    snaps = list(ResultSnapshot.objects.filter(round=alpha).order_by("created_at", "id"))
    assert len(snaps) == 2  # one per submit: the answers changed each time
    latest = snaps[-1]
    assert latest.answers_hash == current_hash(alpha)
    assert to_json(snapshot_result(latest)) == to_json(direct(alpha))
    assert snaps[0].answers_hash != latest.answers_hash
    # Refreshing again with the same answers makes no new snapshot.
    assert round_snapshot_refresh(round=alpha) == latest
    assert ResultSnapshot.objects.filter(round=alpha).count() == 2


def test_the_document_round_trips_every_field(alpha):
    result = direct(alpha)
    again = result_from_document(result_document(result))
    assert to_json(again) == to_json(result)
    assert again.items["E2"].values == result.items["E2"].values
    assert again.options["O4"].reasons == result.options["O4"].reasons


def test_new_answers_after_a_reopen_make_a_new_snapshot_and_keep_the_old(alpha, world):
    before = ResultSnapshot.objects.filter(round=alpha).latest("created_at", "id")
    old_result = to_json(snapshot_result(before))
    submission = alpha.submissions.get(agency=world.agencies["Alpha Fire"])
    submission = submission_reopen(submission=submission, user=world.user("adam"),
                                   reason="A typo in B5")
    # Reopening leaves the submitted answers in the results: no new snapshot.
    assert ResultSnapshot.objects.filter(round=alpha).count() == 2
    submission_save(submission=submission, user=world.user("bob"),
                    answers={"B5": AnswerInput(1), "O9": AnswerInput(5)},
                    revision=submission.revision)
    submission.refresh_from_db()
    submission_submit(submission=submission, user=world.user("bob"),
                      revision=submission.revision)

    snaps = list(ResultSnapshot.objects.filter(round=alpha).order_by("created_at", "id"))
    assert len(snaps) == 3
    assert snaps[1] == before  # the old one is kept, unchanged
    assert to_json(snapshot_result(snaps[1])) == old_result
    assert snaps[2].answers_hash == current_hash(alpha) != before.answers_hash
    assert to_json(snapshot_result(snaps[2])) == to_json(direct(alpha)) != old_result

    # What the results said at a date: the snapshot in force then.
    assert round_snapshot_at(round=alpha, when=before.created_at) == before
    assert round_snapshot_at(round=alpha, when=timezone.now()) == snaps[2]
    assert round_snapshot_at(round=alpha, when=snaps[0].created_at - timedelta(days=1)) is None


def test_closing_a_round_refreshes_a_stale_snapshot(alpha, world):
    ResultSnapshot.objects.filter(round=alpha).update(answers_hash="0" * 64)
    round_close(round=alpha, user=world.user("adam"))
    latest = ResultSnapshot.objects.filter(round=alpha).latest("created_at", "id")
    assert latest.answers_hash == current_hash(alpha)
    assert ResultSnapshot.objects.filter(round=alpha).count() == 3


def tiers(html_results):
    return {card.option.code: level for level, cards in html_results.tiers for card in cards}


def test_the_dashboard_shows_the_tiers_scoring_gives(alpha, world, login):
    client = login(world.user("alice"))
    response = client.get(reverse("results:round", args=[alpha.pk]))
    shown = tiers(response.context["results"])
    assert shown == {code: o.level for code, o in direct(alpha).options.items()}
    assert len(set(shown.values())) > 1  # not all on one level: the comparison means something


def cold():
    """A cache that lost everything, as after a restart: the shared cache and this
    process's decoded results (both keyed by the answers' hash)."""
    cache.clear()
    snapshots.forget_decoded()


def test_a_tampered_snapshot_is_not_trusted(alpha, world, login, monkeypatch):
    """A snapshot whose hash no longer matches (here: altered, with wrong levels) is
    recomputed on read: the dashboard shows what scoring gives."""
    latest = ResultSnapshot.objects.filter(round=alpha).latest("created_at", "id")
    wrong = direct(alpha)
    wrong = result_document(replace(wrong, options={
        code: replace(o, level=3) for code, o in wrong.options.items()}))
    ResultSnapshot.objects.filter(pk=latest.pk).update(answers_hash="f" * 64, document=wrong)
    cold()
    # Only the tampered one is there: reading it would show every option at Level 3.
    scored = []
    real = snapshots.scoring.score_round
    monkeypatch.setattr(snapshots.scoring, "score_round",
                        lambda *a, **k: scored.append(1) or real(*a, **k))
    client = login(world.user("alice"))
    shown = tiers(client.get(reverse("results:round", args=[alpha.pk])).context["results"])
    assert shown == {code: o.level for code, o in direct(alpha).options.items()}
    assert scored, "a stale snapshot must be scored again"
    # A refresh (the next submit, or the rebuild command) stores the right one.
    call_command("rebuild_snapshots", stdout=__import__("io").StringIO())
    latest = ResultSnapshot.objects.filter(round=alpha).latest("created_at", "id")
    assert latest.answers_hash == current_hash(alpha)
    assert to_json(snapshot_result(latest)) == to_json(direct(alpha))


def test_a_warm_dashboard_does_not_score_again(alpha, world, login, monkeypatch):
    client = login(world.user("alice"))
    round_snapshot_refresh(round=alpha)  # fills the cache from the stored snapshot
    monkeypatch.setattr(snapshots.scoring, "score_round",
                        lambda *a, **k: pytest.fail("scored although a snapshot matches"))
    assert client.get(reverse("results:round", args=[alpha.pk])).status_code == 200


def test_rebuild_snapshots_covers_rounds_without_one(world, submit_answers):
    beta = world.rounds["Beta"]
    submit_answers(beta, world.agencies["Beta Ambulance"], full_answers())
    submit_answers(beta, world.agencies["Beta Fire"], full_answers(O3=1))
    assert not ResultSnapshot.objects.filter(round=beta).exists()  # the ORM, not a service
    out = __import__("io").StringIO()
    call_command("rebuild_snapshots", stdout=out)
    assert "new snapshots" in out.getvalue()
    snap = ResultSnapshot.objects.get(round=beta)
    assert snap.answers_hash == current_hash(beta)
    assert to_json(snapshot_result(snap)) == to_json(direct(beta))


def test_a_cold_cache_reads_the_snapshot_table_not_scoring(alpha, world, login, monkeypatch):
    """When the cache has lost the document (a restart, another host, an eviction), the
    dashboard and the downloads take it from the snapshot table (one query) and put it
    back in the cache; they do not score."""
    assert ResultSnapshot.objects.filter(round=alpha, answers_hash=current_hash(alpha)).exists()
    client = login(world.user("alice"))
    monkeypatch.setattr(snapshots.scoring, "score_round",
                        lambda *a, **k: pytest.fail("scored although a snapshot matches"))
    cold()
    page = client.get(reverse("results:round", args=[alpha.pk]))
    assert tiers(page.context["results"]) == {code: o.level
                                             for code, o in direct(alpha).options.items()}
    assert cache.get(snapshots.CACHE_PREFIX + current_hash(alpha)) is not None  # refilled
    cold()
    assert client.get(reverse("results:xlsx", args=[alpha.pk])).status_code == 200


def test_the_stored_document_is_what_the_dashboard_shows(alpha, world, login):
    """Reading from the table is really reading it: a (hypothetical) stored document with
    other levels under the current hash is what the page shows after a cache loss."""
    digest = current_hash(alpha)
    shifted = direct(alpha)
    shifted = result_document(replace(shifted, options={
        code: replace(o, level=1) for code, o in shifted.options.items()}))
    ResultSnapshot.objects.filter(round=alpha, answers_hash=digest).update(document=shifted)
    cold()
    client = login(world.user("alice"))
    shown = tiers(client.get(reverse("results:round", args=[alpha.pk])).context["results"])
    assert set(shown.values()) == {1}


def test_option_cards_are_cached_per_answers_and_language(alpha, world, login):
    """The reasons' sentences are made once per set of answers and language: the Welsh
    page does not show the English cards cached by the English one, and vice versa."""
    client = login(world.user("alice"))
    url = reverse("results:round", args=[alpha.pk])
    english = client.get(url).content.decode()
    client.cookies["django_language"] = "cy"
    welsh = client.get(url).content.decode()
    assert "Why " in english and "Why " not in welsh
    client.cookies["django_language"] = "en-gb"
    assert client.get(url).content.decode().count("Why ") == english.count("Why ")


def test_a_process_reads_a_result_it_decoded_once_without_the_cache(alpha, world, login,
                                                                    monkeypatch):
    """The second view decodes nothing and asks the cache nothing for the result: it is
    kept, decoded, by its hash (which names its content) in the process."""
    client = login(world.user("alice"))
    url = reverse("results:round", args=[alpha.pk])
    first = tiers(client.get(url).context["results"])
    monkeypatch.setattr(snapshots, "result_from_document",
                        lambda *a: pytest.fail("decoded again"))
    monkeypatch.setattr(snapshots, "_documents", lambda **k: pytest.fail("read again"))
    assert tiers(client.get(url).context["results"]) == first
