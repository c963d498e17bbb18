"""The demo data: partnerships, leads and rounds, with answers from ``fixtures/demo/``."""

import json
from pathlib import Path

import pytest
from django.conf import settings

from assessments.demo import DEMO_FILE, demo_load
from assessments.frameworks import framework_spec
from assessments.models import (
    Answer,
    Round,
    Submission,
    SubmittedAnswer,
)
from assessments.questionnaire.selectors import (
    lead_rounds,
    round_submitted_agencies,
    round_submitted_answers,
)
from assessments.results.exports import round_answers_csv
from assessments.scoring import score_round

FIXTURES = Path(settings.BASE_DIR) / "fixtures"


@pytest.fixture
def demo(framework):
    demo_load()
    return json.loads(DEMO_FILE.read_text(encoding="utf-8"))


def rounds_with_answers(doc):
    for partnership in doc["partnerships"]:
        for spec in partnership["rounds"]:
            if spec.get("answers"):
                yield partnership, spec


def snapshot():
    return [model.objects.count() for model in (Submission, Answer, SubmittedAnswer)] + [
        Submission.history.count(), Answer.history.count(), Round.history.count()]


def test_loading_twice_changes_nothing(demo):
    before = snapshot()
    assert before[0] == 7
    demo_load()
    assert snapshot() == before


def test_agencies_named_as_submitted_have_submitted_their_files_answers(demo):
    for partnership, spec in rounds_with_answers(demo):
        round_ = Round.objects.get(partnership__name=partnership["name"], title=spec["title"])
        submitted = spec.get("submitted") or list(partnership["members"])
        assert round_submitted_agencies(round=round_) == sorted(submitted)
        # The round's export is the demo file itself: import and export round-trip
        # (line endings aside, which a checkout may change).
        exported = round_answers_csv(round=round_)
        original = (FIXTURES / spec["answers"]).read_bytes().decode("utf-8")
        assert exported.replace("\r\n", "\n") == original.replace("\r\n", "\n")
        for submission in round_.submissions.select_related("submitted_by", "agency"):
            leads = partnership["members"][submission.agency.name]
            assert submission.submitted_by.username == leads[0]
            assert round_.opens_on <= submission.submitted_at.date() <= round_.closes_on


def test_the_closed_baseline_is_closed_on_its_closing_date(demo):
    baseline = Round.objects.get(title="Baseline 2025")
    assert baseline.status == "closed" and baseline.closed_at.date() == baseline.closes_on


@pytest.mark.parametrize("username", ["lead.northshire.fire", "deputy.northshire.fire"])
def test_a_demo_lead_has_an_open_round_with_nothing_done_yet(demo, username):
    from django.contrib.auth import get_user_model

    rows = lead_rounds(user=get_user_model().objects.get(username=username))
    open_rows = [r for r in rows if r.editable]
    assert [(r.round.title, r.state, r.answered) for r in open_rows] == [
        ("Review 2026", "not_started", 0)]


def test_the_demo_dashboards_show_every_kind_of_result(demo):
    """Each demo round with answers has Level 1, 2 and 3 options, a weak and an absent
    enabler, a significant and a key barrier, and divergent items."""
    for partnership, spec in rounds_with_answers(demo):
        round_ = Round.objects.get(partnership__name=partnership["name"], title=spec["title"])
        result = score_round(round_submitted_answers(round=round_),
                             framework_spec(framework=round_.framework),
                             agencies=round_submitted_agencies(round=round_)).to_dict()
        levels = {o["level"] for o in result["options"].values()}
        assert {1, 2, 3} <= levels, spec["title"]
        items = result["items"]
        enablers = [v for k, v in items.items() if k.startswith("E")]
        barriers = [v["status"] for k, v in items.items() if k.startswith("B")]
        assert any(e["status"] == "weak" and not e["absent"] for e in enablers), spec["title"]
        assert any(e["absent"] for e in enablers), spec["title"]
        assert {"significant", "key"} <= set(barriers), spec["title"]
        assert any(v["divergent"] for v in items.values()), spec["title"]


def test_agencies_in_a_file_but_not_submitted_get_a_draft(framework, tmp_path):
    doc = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
    (tmp_path / "demo").mkdir()
    text = (FIXTURES / "demo" / "eastvale-2026.csv").read_text(encoding="utf-8")
    (tmp_path / "demo" / "eastvale-2026.csv").write_text(text, encoding="utf-8")
    eastvale = next(p for p in doc["partnerships"] if p["name"] == "Eastvale Co-responding")
    eastvale["rounds"][0]["submitted"] = ["Eastvale Fire and Rescue Service"]
    doc["partnerships"] = [eastvale]
    path = tmp_path / "demo.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    demo_load(path=path)
    ambulance = Submission.objects.get(agency__name="Eastvale Ambulance Service NHS Trust")
    assert ambulance.status == "draft" and ambulance.answers.count() == 33
    assert not ambulance.submitted_answers.exists()
    assert ambulance.answers.first().updated_by.username == "lead.eastvale.ambulance"
    fire = Submission.objects.get(agency__name="Eastvale Fire and Rescue Service")
    assert fire.status == "submitted"
