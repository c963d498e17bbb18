"""The assessment services: what each refuses, and what it records."""

import pytest

from assessments.models import (
    Answer,
    Round,
    Submission,
    SubmittedAnswer,
)
from assessments.questionnaire.selectors import round_submitted_answers, submission_reopen_note
from assessments.questionnaire.services import (
    AlreadySubmitted,
    AnswerInput,
    AssessmentError,
    Incomplete,
    InvalidAnswers,
    NotEditable,
    StaleRevision,
    round_close,
    round_open,
    submission_for,
    submission_reopen,
    submission_save,
    submission_submit,
)
from survey.framework.services import framework_new_draft
from survey.models import Framework


def fire_submission(world):
    return submission_for(round=world.rounds["Alpha"], agency=world.agencies["Alpha Fire"])


def test_submission_for_is_one_per_agency_and_round(world):
    first = fire_submission(world)
    assert fire_submission(world) == first
    assert Submission.objects.count() == 1
    with pytest.raises(AssessmentError, match="Beta Fire is not a member of Alpha"):
        submission_for(round=world.rounds["Alpha"], agency=world.agencies["Beta Fire"])


@pytest.mark.parametrize(("answers", "message"), [
    ({"E1": AnswerInput(6)}, "E1: the answer must be 1 to 5"),
    ({"E1": AnswerInput(0)}, "E1: the answer must be 1 to 5"),
    ({"E1": AnswerInput("4")}, "E1: the answer must be 1 to 5"),
    ({"E1": AnswerInput(True)}, "E1: the answer must be 1 to 5"),
    ({"X1": AnswerInput(3)}, "X1 is not an item of this round's framework"),
    ({"E1": AnswerInput(3, "x" * 2001)}, "E1: the evidence is 2001 characters long"),
])
def test_save_refuses_bad_values_and_writes_nothing(world, answers, message):
    submission = fire_submission(world)
    good = {"E2": AnswerInput(3)}
    with pytest.raises(InvalidAnswers, match=message):
        submission_save(submission=submission, user=world.user("bob"),
                        answers={**good, **answers}, revision=0)
    assert not Answer.objects.exists()
    submission.refresh_from_db()
    assert submission.revision == 0


def test_items_of_another_framework_version_are_refused(world):
    draft = framework_new_draft(framework=world.framework)
    item = draft.items.get(code="E1")
    item.code = "E8"
    item.save()
    with pytest.raises(InvalidAnswers, match="E8 is not an item of this round's framework"):
        submission_save(submission=fire_submission(world), user=world.user("bob"),
                        answers={"E8": AnswerInput(3)}, revision=0)


def test_every_saved_change_raises_the_revision_and_records_who(world):
    submission = fire_submission(world)
    result = submission_save(submission=submission, user=world.user("bob"),
                             answers={"E1": AnswerInput(3), "B2": AnswerInput(None, "?")},
                             revision=0)
    assert result.saved == ["E1", "B2"] and result.revision == 1
    second = submission_save(submission=submission, user=world.user("bella"),
                             answers={"E1": AnswerInput(4)}, revision=1)
    assert second.revision == 2
    answer = Answer.objects.get(item__code="E1")
    assert answer.updated_by == world.user("bella")
    assert [h.history_user.username for h in answer.history.order_by("history_date")] == [
        "bob", "bella"]


def test_not_answered_removes_a_stored_answer(world):
    submission = fire_submission(world)
    submission_save(submission=submission, user=world.user("bob"),
                    answers={"E1": AnswerInput(3)}, revision=0)
    submission_save(submission=submission, user=world.user("bob"), answers={"E1": None},
                    revision=1)
    assert not Answer.objects.exists()


def test_stale_save_raises_with_the_changes_and_writes_nothing(world):
    submission = fire_submission(world)
    submission_save(submission=submission, user=world.user("bella"),
                    answers={"E3": AnswerInput(4, "agreed")}, revision=0)
    with pytest.raises(StaleRevision) as refused:
        submission_save(submission=submission, user=world.user("bob"),
                        answers={"E1": AnswerInput(2), "E3": None}, revision=0)
    exc = refused.value
    assert [(c.item.code, c.answer, c.by) for c in exc.changes] == [
        ("E3", AnswerInput(4, "agreed"), "bella")]
    assert exc.mine == {"E1"} and exc.revision == 1
    assert list(Answer.objects.values_list("item__code", "value")) == [("E3", 4)]


def test_submit_needs_every_item_and_copies_the_answers(world, answer_all):
    submission = answer_all(world, "Alpha Fire", "bob")
    Answer.objects.filter(item__code="O20").delete()
    with pytest.raises(Incomplete) as refused:
        submission_submit(submission=submission, user=world.user("bob"),
                          revision=submission.revision)
    assert [i.code for i in refused.value.missing] == ["O20"]
    submission_save(submission=submission, user=world.user("bob"),
                    answers={"O20": AnswerInput(None)}, revision=submission.revision)
    submission.refresh_from_db()
    done = submission_submit(submission=submission, user=world.user("bob"),
                             revision=submission.revision)
    assert done.status == "submitted" and done.submitted_by == world.user("bob")
    assert SubmittedAnswer.objects.filter(submission=done).count() == 33
    assert done.history.latest().history_change_reason == "submitted"
    with pytest.raises(AlreadySubmitted):
        submission_submit(submission=done, user=world.user("bob"), revision=done.revision)


def test_submitted_answers_cannot_be_saved(world, answer_all):
    submission = answer_all(world, "Alpha Fire", "bob", submit=True)
    with pytest.raises(NotEditable, match="submitted by bob"):
        submission_save(submission=submission, user=world.user("bob"),
                        answers={"E1": AnswerInput(1)}, revision=submission.revision)


def test_reopen_is_recorded_and_results_keep_the_submitted_answers(world, answer_all):
    submission = answer_all(world, "Alpha Fire", "bob", value=4, submit=True)
    with pytest.raises(AssessmentError, match="Give the reason"):
        submission_reopen(submission=submission, user=world.user("adam"), reason="  ")
    with pytest.raises(AssessmentError, match="keep it to 100"):
        submission_reopen(submission=submission, user=world.user("adam"), reason="x" * 101)
    reopened = submission_reopen(submission=submission, user=world.user("adam"),
                                 reason="B4 answer was entered for the wrong agency")
    assert reopened.status == "reopened" and reopened.is_editable
    record = reopened.history.latest()
    assert record.history_change_reason == "B4 answer was entered for the wrong agency"
    assert record.history_user == world.user("adam")
    note = submission_reopen_note(submission=reopened)
    assert note.history_user == world.user("adam")

    # The lead changes an answer; the results still show the submitted one until resubmit.
    submission_save(submission=reopened, user=world.user("bob"),
                    answers={"B4": AnswerInput(1)}, revision=reopened.revision)
    results = round_submitted_answers(round=world.rounds["Alpha"])
    assert results[results["item"] == "B4"]["value"].tolist() == [4.0]
    # ...and the notice still names the administrator and their reason, not the lead's save.
    reopened.refresh_from_db()
    note = submission_reopen_note(submission=reopened)
    assert note.history_user == world.user("adam")
    assert note.history_change_reason == "B4 answer was entered for the wrong agency"
    submission_submit(submission=reopened, user=world.user("bob"), revision=reopened.revision)
    results = round_submitted_answers(round=world.rounds["Alpha"])
    assert results[results["item"] == "B4"]["value"].tolist() == [1.0]
    assert submission_reopen_note(submission=Submission.objects.get()) is None


def test_only_a_submitted_assessment_can_be_reopened(world, answer_all):
    draft = answer_all(world, "Alpha Fire", "bob")
    with pytest.raises(AssessmentError, match="is not submitted"):
        submission_reopen(submission=draft, user=world.user("adam"), reason="why")


def test_rounds_open_on_a_published_framework_and_close(world):
    round_ = round_open(partnership=world.partnerships["Beta"], title="Second",
                        user=world.user("adam"))
    assert round_.framework == Framework.objects.current() and round_.is_open
    assert round_.history.latest().history_user == world.user("adam")
    draft = framework_new_draft(framework=world.framework)
    with pytest.raises(AssessmentError, match="only be opened on a published framework"):
        round_open(partnership=world.partnerships["Beta"], title="Draft", framework=draft)
    closed = round_close(round=round_, user=world.user("adam"))
    assert closed.status == Round.Status.CLOSED and closed.closed_at is not None
    assert not closed.is_open
