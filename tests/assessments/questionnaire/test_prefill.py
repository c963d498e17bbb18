"""Start a new round from the agency's last submitted answers; the questionnaire's links.

A lead may copy their agency's answers submitted in an earlier round of the
partnership into a new round's draft: only items of the new round's framework,
never over an answer already given, each marked "From your last round — confirm
or change" until the lead saves that section (or submits).
"""

import datetime

import pytest
from django.urls import reverse

from assessments.models import Answer, Round
from assessments.questionnaire.services import (
    AnswerInput,
    AssessmentError,
    submission_for,
    submission_prefill,
    submission_save,
    submission_submit,
)
from tests.conftest import full_answers

MARK = "From your last round — confirm or change"


@pytest.fixture
def second_round(world, submit_answers):
    """Alpha Fire submitted in Alpha's first round (E1 with evidence); a second round opens."""
    first = world.rounds["Alpha"]
    first.opens_on = datetime.date.today() - datetime.timedelta(days=400)
    first.status = Round.Status.CLOSED
    first.save()
    submit_answers(first, world.agencies["Alpha Fire"], full_answers(E1=2, O20=None),
                   comments={"E1": "Shared estates board meets monthly"})
    return Round.objects.create(partnership=world.partnerships["Alpha"],
                                framework=world.framework, title="Alpha round 2")


def url(name, round_, agency, **kw):
    return reverse(name, kwargs={"round_id": round_.pk, "agency_id": agency.pk, **kw})


def answers(round_, agency):
    return {a.item.code: a for a in Answer.objects.filter(
        submission__round=round_, submission__agency=agency).select_related("item")}


def test_a_lead_copies_last_rounds_answers_each_marked(world, login, second_round):
    fire = world.agencies["Alpha Fire"]
    client = login(world.user("bob"))
    page = client.get(url("questionnaire:section", second_round, fire, section="enablers"))
    html = page.content.decode()
    assert "Start from your last round's answers" in html
    assert "Alpha Fire submitted its answers in “Alpha round 1”" in html
    response = client.post(url("questionnaire:prefill", second_round, fire), follow=True)
    html = response.content.decode()
    assert "Copied 33 answers from your last round." in html
    copied = answers(second_round, fire)
    assert len(copied) == 33 and all(a.prefilled for a in copied.values())
    assert (copied["E1"].value, copied["E1"].comment) == (2, "Shared estates board meets monthly")
    assert copied["O20"].value is None  # "Don't know" is copied as it was
    assert html.count(f'-prefilled"><span class="badge text-bg-info fs-6 fw-semibold">{MARK}') \
        == 7  # each enabler on the page is marked
    assert 'id="E1-prefilled"' in html and 'checked' in html
    assert "Start from your last round's answers" not in html  # nothing left to copy


def test_answers_already_given_are_never_overwritten(world, login, second_round):
    fire = world.agencies["Alpha Fire"]
    submission = submission_for(round=second_round, agency=fire)
    submission_save(submission=submission, user=world.user("bella"),
                    answers={"E1": AnswerInput(5, "new evidence")}, revision=0)
    _submission, copied = submission_prefill(round=second_round, agency=fire,
                                             user=world.user("bob"))
    assert "E1" not in copied and len(copied) == 32
    e1 = answers(second_round, fire)["E1"]
    assert (e1.value, e1.comment, e1.prefilled) == (5, "new evidence", False)
    # Again: nothing left to copy, nothing changed.
    assert submission_prefill(round=second_round, agency=fire, user=world.user("bob"))[1] == []


def test_saving_a_section_confirms_its_answers_only(world, login, second_round):
    fire = world.agencies["Alpha Fire"]
    client = login(world.user("bob"))
    client.post(url("questionnaire:prefill", second_round, fire))
    page = client.get(url("questionnaire:section", second_round, fire, section="enablers"))
    html = page.content.decode()
    revision = int(html.split('name="revision" value="')[1].split('"')[0])
    data = {"revision": revision, "action": "save"}
    for n in range(1, 8):
        data[f"E{n}-value"] = "4"
        data[f"E{n}-comment"] = ""
    data["E1-value"], data["E1-comment"] = "2", "Shared estates board meets monthly"
    data["E2-value"] = "3"  # changed
    response = client.post(url("questionnaire:section", second_round, fire, section="enablers"),
                           data, follow=True)
    html = response.content.decode()
    assert "Confirmed" in html or "Saved" in html
    stored = answers(second_round, fire)
    assert not any(stored[f"E{n}"].prefilled for n in range(1, 8))
    assert stored["E2"].value == 3
    assert all(stored[f"B{n}"].prefilled for n in range(1, 7))  # other sections still marked
    assert MARK not in html


def test_saving_unchanged_answers_confirms_them(world, second_round):
    fire = world.agencies["Alpha Fire"]
    submission, _copied = submission_prefill(round=second_round, agency=fire,
                                             user=world.user("bob"))
    submission.refresh_from_db()
    result = submission_save(submission=submission, user=world.user("bob"),
                             answers={"B1": AnswerInput(2, "")}, revision=submission.revision)
    assert result.saved == [] and result.confirmed == ["B1"]
    assert not answers(second_round, fire)["B1"].prefilled


def test_submitting_confirms_every_answer(world, second_round):
    fire = world.agencies["Alpha Fire"]
    submission, _copied = submission_prefill(round=second_round, agency=fire,
                                             user=world.user("bob"))
    submission.refresh_from_db()
    submission_submit(submission=submission, user=world.user("bob"),
                      revision=submission.revision)
    assert not Answer.objects.filter(submission=submission, prefilled=True).exists()


def test_only_items_of_the_new_framework_are_copied(world, second_round):
    from survey.framework.services import framework_new_draft, framework_publish

    draft = framework_new_draft(framework=world.framework)
    draft.items.get(code="O20").delete()
    framework_publish(framework=draft)
    later = Round.objects.create(partnership=world.partnerships["Alpha"], framework=draft,
                                 title="Alpha round 3")
    fire = world.agencies["Alpha Fire"]
    _submission, copied = submission_prefill(round=later, agency=fire, user=world.user("bob"))
    assert len(copied) == 32 and "O20" not in copied
    stored = answers(later, fire)
    assert stored["E1"].item.framework_id == draft.pk and stored["E1"].value == 2


def test_no_earlier_submission_no_offer_and_a_refusal(world, login):
    police = world.agencies["Alpha Police"]
    client = login(world.user("alice"))
    html = client.get(url("questionnaire:section", world.rounds["Alpha"], police,
                          section="enablers")).content.decode()
    assert "Start from your last round's answers" not in html
    response = client.post(url("questionnaire:prefill", world.rounds["Alpha"], police),
                           follow=True)
    assert "has no submitted answers in an earlier round of Alpha to start from" in \
        response.content.decode()
    assert not Answer.objects.exists()


def test_a_submitted_assessment_cannot_be_prefilled(world, second_round, answer_all):
    fire = world.agencies["Alpha Fire"]
    submission = submission_for(round=second_round, agency=fire)
    submission_save(submission=submission, user=world.user("bob"),
                    answers={code: AnswerInput(3, "") for code in full_answers()}, revision=0)
    submission.refresh_from_db()
    submission_submit(submission=submission, user=world.user("bob"),
                      revision=submission.revision)
    with pytest.raises(AssessmentError):
        submission_prefill(round=second_round, agency=fire, user=world.user("bob"))


def test_a_later_round_is_not_a_source(world, submit_answers):
    """Only earlier rounds: a round opened after this one is never copied from."""
    later = Round.objects.create(partnership=world.partnerships["Alpha"],
                                 framework=world.framework, title="Later",
                                 opens_on=datetime.date.today() + datetime.timedelta(days=30))
    submit_answers(later, world.agencies["Alpha Fire"], full_answers())
    with pytest.raises(AssessmentError):
        submission_prefill(round=world.rounds["Alpha"], agency=world.agencies["Alpha Fire"],
                           user=world.user("bob"))


# --------------------------------------------------------------------------- navigation


def test_the_section_list_links_to_each_section_and_the_review(world, login):
    police = world.agencies["Alpha Police"]
    alpha = world.rounds["Alpha"]
    client = login(world.user("alice"))
    html = client.get(url("questionnaire:section", alpha, police,
                          section="barriers")).content.decode()
    nav = html[html.index('aria-label="Sections"'):]
    nav = nav[:nav.index("</ol>")]
    assert f'href="{url("questionnaire:section", alpha, police, section="enablers")}"' in nav
    assert f'href="{url("questionnaire:section", alpha, police, section="options")}"' in nav
    assert f'href="{url("questionnaire:review", alpha, police)}"' in nav
    assert f'href="{url("questionnaire:section", alpha, police, section="barriers")}"' \
        not in nav  # the current section is not a link


def test_each_item_shows_its_description_as_on_the_framework_page(world, login):
    police = world.agencies["Alpha Police"]
    item = world.framework.items.get(code="E1")
    assert item.description
    client = login(world.user("alice"))
    html = client.get(url("questionnaire:section", world.rounds["Alpha"], police,
                          section="enablers")).content.decode()
    assert item.description in html
    review = client.get(url("questionnaire:review", world.rounds["Alpha"],
                            police)).content.decode()
    assert item.description in review


def test_the_review_has_a_change_link_per_item(world, login, answer_all):
    answer_all(world, "Alpha Police", "alice")
    police = world.agencies["Alpha Police"]
    alpha = world.rounds["Alpha"]
    client = login(world.user("alice"))
    html = client.get(url("questionnaire:review", alpha, police)).content.decode()
    options = url("questionnaire:section", alpha, police, section="options")
    assert f'href="{options}#item-O16"' in html
    assert html.count(">Change<span class=\"visually-hidden\">") == 33
    assert '<span class="visually-hidden"> O16 ' in html
    # Once submitted, nothing can be changed: no Change links.
    answer_all(world, "Alpha Police", "alice", submit=True)
    html = client.get(url("questionnaire:review", alpha, police)).content.decode()
    assert ">Change<" not in html
