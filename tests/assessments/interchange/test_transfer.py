"""export_round / import_round: a round moves between databases with nothing lost."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from assessments.interchange.transfer import TransferError, round_export, round_import
from assessments.models import (
    Agency,
    Answer,
    Partnership,
    Round,
    Submission,
    SubmittedAnswer,
)
from assessments.results.selectors import round_scored
from assessments.scoring import to_json
from tests.conftest import full_answers


@pytest.fixture
def alpha_done(world, submit_answers, edit_draft):
    """Alpha's round: both agencies submitted; Alpha Police since reopened with a draft."""
    alpha = world.rounds["Alpha"]
    submit_answers(alpha, world.agencies["Alpha Fire"], full_answers(E2=1, O4=None),
                   comments={"E2": "Budget, not agreed — yet", "O4": "=formula?"})
    submit_answers(alpha, world.agencies["Alpha Police"], full_answers(B1=5))
    edit_draft(alpha, world.agencies["Alpha Police"], {"B1": 1}, comments={"B1": "draft"})
    world.agencies["Alpha Fire"].area = "Northshire"
    world.agencies["Alpha Fire"].save()
    return alpha


def answers_of(round):
    return sorted((a.submission.agency.name, a.item.code, a.value, a.comment)
                  for a in Answer.objects.filter(submission__round=round)
                  .select_related("submission__agency", "item"))


def wipe(partnership_name):
    """As if the round had never been in this database (another installation)."""
    partnership = Partnership.objects.get(name=partnership_name)
    names = list(partnership.agencies.values_list("name", flat=True))
    partnership.delete()
    Agency.objects.filter(name__in=names).delete()


def test_export_then_import_round_trips_to_identical_scores(alpha_done, tmp_path):
    before_scores = to_json(round_scored(round=alpha_done).result)
    before_working = answers_of(alpha_done)
    path = tmp_path / "round.json"
    call_command("export_round", str(alpha_done.pk), "--output", str(path))
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document["partnership"]["name"] == "Alpha"
    assert {"name": "Alpha Fire", "service": "fire", "nation": "England",
            "area": "Northshire"} in document["agencies"]
    assert document["framework"] == {"code": "esc-2015", "version": 1}
    police = next(s for s in document["submissions"] if s["agency"] == "Alpha Police")
    assert police["status"] == "reopened" and police["submitted_at"]
    assert {"item": "B1", "value": 5, "comment": ""} in police["submitted_answers"]
    assert {"item": "B1", "value": 1, "comment": "draft"} in police["answers"]

    wipe("Alpha")
    assert not Round.objects.filter(title="Alpha round 1").exists()
    call_command("import_round", str(path))

    again = Round.objects.get(partnership__name="Alpha", title="Alpha round 1")
    assert to_json(round_scored(round=again).result) == before_scores
    assert answers_of(again) == before_working
    assert Submission.objects.get(round=again, agency__name="Alpha Police").status == "reopened"
    assert Agency.objects.get(name="Alpha Fire").area == "Northshire"
    exported_again = round_export(round=again)
    assert exported_again == document


def test_import_refuses_a_round_the_partnership_already_has(alpha_done):
    document = round_export(round=alpha_done)
    counts = (Round.objects.count(), SubmittedAnswer.objects.count())
    with pytest.raises(TransferError, match="already has a round titled Alpha round 1"):
        round_import(document=document)
    assert (Round.objects.count(), SubmittedAnswer.objects.count()) == counts


def test_import_refuses_an_unknown_framework_version(alpha_done, tmp_path):
    document = round_export(round=alpha_done)
    document["round"]["title"] = "Copied round"
    document["framework"]["version"] = 99
    path = tmp_path / "r.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(CommandError, match="esc-2015 version 99 is not in this database"):
        call_command("import_round", str(path))
    assert not Round.objects.filter(title="Copied round").exists()


def test_a_bad_answer_late_in_the_document_imports_nothing(alpha_done):
    document = round_export(round=alpha_done)
    wipe("Alpha")
    document["submissions"][-1]["submitted_answers"][-1]["value"] = 7
    with pytest.raises(TransferError, match="7 is not an answer from 1 to 5"):
        round_import(document=document)
    assert not Partnership.objects.filter(name="Alpha").exists()
    assert not Agency.objects.filter(name__startswith="Alpha").exists()
    assert not SubmittedAnswer.objects.exists() or not SubmittedAnswer.objects.filter(
        submission__round__title="Alpha round 1").exists()


def test_import_into_an_existing_partnership_keeps_its_agencies(alpha_done):
    document = round_export(round=alpha_done)
    document["round"]["title"] = "Alpha round 2"
    done = round_import(document=document)
    assert not done.partnership_created and done.agencies_created == []
    assert done.round.partnership == alpha_done.partnership
    assert to_json(round_scored(round=done.round).result) == to_json(
        round_scored(round=alpha_done).result)


def test_commands_explain_bad_input(world, tmp_path):
    with pytest.raises(CommandError, match="no round with id 999999"):
        call_command("export_round", "999999")
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(CommandError, match="not a JSON document"):
        call_command("import_round", str(bad))
    bad.write_text("[]", encoding="utf-8")
    with pytest.raises(CommandError, match="not a bluelight round document"):
        call_command("import_round", str(bad))
