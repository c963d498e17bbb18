"""An administrator deletes a partnership's data after typing its name; it is recorded."""

import pytest
from django.urls import reverse

from assessments.deletion import DeletionRefused, partnership_delete
from assessments.models import (
    Agency,
    Answer,
    DeletionRecord,
    Membership,
    Partnership,
    Round,
    Submission,
    SubmittedAnswer,
)
from tests.conftest import full_answers


@pytest.fixture
def alpha_answered(world, submit_answers, edit_draft):
    alpha = world.rounds["Alpha"]
    submit_answers(alpha, world.agencies["Alpha Fire"], full_answers())
    edit_draft(alpha, world.agencies["Alpha Police"], {"E1": 3})
    return world


def test_typed_name_deletes_everything_of_the_partnership_and_records_it(alpha_answered):
    world = alpha_answered
    beta_before = (Submission.objects.filter(round__partnership__name="Beta").count(),
                   Membership.objects.filter(partnership__name="Beta").count())
    record = partnership_delete(partnership=world.partnerships["Alpha"], confirm_name="Alpha",
                                user=world.user("adam"))
    assert not Partnership.objects.filter(name="Alpha").exists()
    assert not Round.objects.filter(title="Alpha round 1").exists()
    assert not Agency.objects.filter(name__startswith="Alpha").exists()
    assert not Answer.objects.exists() and not SubmittedAnswer.objects.exists()
    assert not Partnership.history.filter(name="Alpha").exists()
    assert not Answer.history.exists()
    assert (Submission.objects.filter(round__partnership__name="Beta").count(),
            Membership.objects.filter(partnership__name="Beta").count()) == beta_before
    assert world.user("alice").pk  # people keep their accounts
    assert record.partnership_name == "Alpha" and record.deleted_by == world.user("adam")
    assert record.counts | {"history": 0} == {
        "partnerships": 1, "rounds": 1, "submissions": 2, "answers": 34,
        "submitted_answers": 33, "memberships": 2, "invitations": 0, "agencies": 2,
        "history": 0}
    assert record.counts["history"] > 0


def test_a_wrong_name_deletes_nothing(alpha_answered):
    with pytest.raises(DeletionRefused, match="type the partnership's name, Alpha"):
        partnership_delete(partnership=alpha_answered.partnerships["Alpha"],
                           confirm_name="alpha", user=alpha_answered.user("adam"))
    assert Partnership.objects.filter(name="Alpha").exists()
    assert Answer.objects.count() == 34 and not DeletionRecord.objects.exists()


def test_an_agency_in_another_partnership_is_kept(alpha_answered):
    world = alpha_answered
    Membership.objects.create(partnership=world.partnerships["Beta"],
                              agency=world.agencies["Alpha Fire"])
    record = partnership_delete(partnership=world.partnerships["Alpha"], confirm_name="Alpha",
                                user=world.user("adam"))
    assert record.counts["agencies"] == 1
    assert Agency.objects.filter(name="Alpha Fire").exists()
    assert not Agency.objects.filter(name="Alpha Police").exists()


def test_admin_page_asks_for_the_name_then_deletes_and_records(alpha_answered, login):
    world = alpha_answered
    url = reverse("admin:assessments_partnership_delete_data",
                  args=[world.partnerships["Alpha"].pk])
    client = login(world.user("adam"))
    page = client.get(url).content.decode()
    assert "Type the partnership&#x27;s name to confirm" in page
    assert "<caption>What will be deleted</caption>" in page
    wrong = client.post(url, {"confirm_name": "Beta"}).content.decode()
    assert "Nothing was deleted: type the partnership" in wrong
    assert Partnership.objects.filter(name="Alpha").exists()
    done = client.post(url, {"confirm_name": "Alpha"}, follow=True).content.decode()
    assert "Deleted the data of Alpha: 1 rounds, 2 submissions" in done
    assert not Partnership.objects.filter(name="Alpha").exists()
    records = client.get(reverse("admin:assessments_deletionrecord_changelist"))
    assert "Alpha" in records.content.decode() and "adam" in records.content.decode()


@pytest.mark.parametrize("name", ["alice", "rita", "nobody"])
def test_the_delete_page_refuses_everyone_but_administrators(alpha_answered, login, name):
    world = alpha_answered
    url = reverse("admin:assessments_partnership_delete_data",
                  args=[world.partnerships["Alpha"].pk])
    response = login(world.user(name)).post(url, {"confirm_name": "Alpha"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    assert Partnership.objects.filter(name="Alpha").exists()
