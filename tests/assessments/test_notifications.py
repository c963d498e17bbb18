"""Emails to partnership leads: sent by a task outside the request, once, translated.

Tests run the tasks at once (django-tasks' immediate backend) into Django's
locmem mailbox, except the test of the database backend and its worker.
"""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from assessments.models import Notification, Round, Submission
from assessments.notifications import send_daily
from assessments.questionnaire.services import (
    round_close,
    round_open,
    submission_reopen,
)

SITE = "https://bluelight.example.org"
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def immediate_tasks(settings):
    settings.TASKS = IMMEDIATE
    settings.BLUELIGHT_SITE_URL = SITE
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run the on-commit callbacks (the tasks are enqueued when the change commits)."""
    def _run(function, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(*args, **kwargs)
    return _run


@pytest.fixture
def announced(world, committed):
    """The world's rounds (made straight in the database today) announced as opened by a
    first daily run, so that a test sees only the emails it is about."""
    committed(send_daily)
    mail.outbox.clear()
    return world


def to(message) -> str:
    (address,) = message.to
    return address.split("@")[0]


def inbox(**filters) -> dict[str, object]:
    return {to(m): m for m in mail.outbox}


def today():
    return timezone.localdate()


def test_opening_a_round_emails_every_lead_with_a_plain_link(world, committed):
    round_ = committed(round_open, partnership=world.partnerships["Alpha"], title="Review 2027",
                       closes_on=today() + datetime.timedelta(days=30),
                       user=world.user("adam"))
    assert sorted(inbox()) == ["alice", "bella", "bob"]
    police = inbox()["alice"]
    assert police.subject == "Review 2027 is open for Alpha Police's answers"
    link = SITE + reverse("questionnaire:start", kwargs={
        "round_id": round_.pk, "agency_id": world.agencies["Alpha Police"].pk})
    assert link in police.body
    assert "Hello alice," in police.body
    assert "<" not in police.body and "&#x27;" not in police.body  # plain text, not escaped
    assert "unsubscribe" not in police.body.lower()
    fire = inbox()["bob"]
    assert f"agencies/{world.agencies['Alpha Fire'].pk}/" in fire.body
    notification = Notification.objects.get(round=round_)
    assert notification.kind == "round_opened" and notification.sent_at is not None
    assert {r["email"] for r in notification.recipients} == {
        "alice@example.org", "bob@example.org", "bella@example.org"}


def test_nothing_is_sent_when_the_change_is_rolled_back(world, committed):
    class Undo(Exception):
        pass

    def open_then_fail():
        with pytest.raises(Undo), transaction.atomic():
            round_open(partnership=world.partnerships["Alpha"], title="Gone")
            raise Undo

    committed(open_then_fail)
    assert mail.outbox == [] and not Notification.objects.exists()


def test_rounds_made_without_the_service_are_announced_by_the_daily_run(world, committed):
    committed(send_daily)
    assert sorted(inbox()) == ["alice", "bella", "bob", "carol", "dan"]
    committed(send_daily)
    assert len(mail.outbox) == 5


def test_a_round_opening_later_is_announced_on_its_opening_day_once(announced, committed):
    world = announced
    opens = today() + datetime.timedelta(days=3)
    round_ = committed(round_open, partnership=world.partnerships["Beta"], title="Later",
                       opens_on=opens)
    assert mail.outbox == []
    committed(send_daily, today=opens - datetime.timedelta(days=1))
    assert mail.outbox == []
    committed(send_daily, today=opens)
    assert sorted(inbox()) == ["carol", "dan"]
    for day in (opens, opens + datetime.timedelta(days=1)):
        committed(send_daily, today=day)
    assert len(mail.outbox) == 2
    assert Notification.objects.filter(round=round_, kind="round_opened").count() == 1


def test_a_week_before_closing_the_agencies_still_to_submit_are_reminded_once(
        announced, committed, answer_all):
    world = announced
    alpha = world.rounds["Alpha"]
    alpha.closes_on = today() + datetime.timedelta(days=7)
    alpha.save()
    committed(answer_all, world, "Alpha Fire", "bob", submit=True)
    mail.outbox.clear()
    out = io.StringIO()
    committed(call_command, "send_reminders", "--today", (today() - datetime.timedelta(days=1))
              .isoformat(), stdout=out)
    assert mail.outbox == []  # eight days before: not yet
    for _run in range(3):  # a cron job run three times the same day
        committed(call_command, "send_reminders", stdout=out)
    assert sorted(inbox()) == ["alice"]  # Alpha Fire has submitted
    assert "closes within a week: Alpha: Alpha round 1 (1 recipients)" in out.getvalue()
    message = inbox()["alice"]
    closes = alpha.closes_on.strftime("%-d %B %Y")
    assert message.subject == f"Alpha round 1 closes on {closes}: Alpha Police has not " \
                              "submitted yet"
    assert "So far 0 of 33 items are answered." in message.body
    committed(send_daily, today=today() + datetime.timedelta(days=1))  # and the next day
    assert len(mail.outbox) == 1
    assert Notification.objects.filter(round=alpha, kind="closing_soon").count() == 1


def test_the_daily_run_never_stores_two_reminders_for_one_round_and_day(world):
    from django.db import IntegrityError

    Notification.objects.create(kind="closing_soon", round=world.rounds["Alpha"])
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(kind="closing_soon", round=world.rounds["Alpha"])


def test_a_reopened_submission_tells_its_leads_why(world, committed, answer_all):
    submission = committed(answer_all, world, "Alpha Fire", "bob", submit=True)
    mail.outbox.clear()
    world.user("adam").first_name, world.user("adam").last_name = "Ada", "Admin"
    world.user("adam").save()
    committed(submission_reopen, submission=submission, user=world.user("adam"),
              reason="Fire's O16 answer needs correcting.")
    assert sorted(inbox()) == ["bella", "bob"]
    body = inbox()["bob"].body
    assert "Ada Admin has reopened Alpha Fire's submitted answers in “Alpha round 1”." in body
    assert "The reason given: Fire's O16 answer needs correcting." in body
    assert inbox()["bob"].subject == "Alpha Fire's answers in Alpha round 1 were reopened"


def test_results_ready_goes_to_every_lead_the_first_time_only(world, committed, answer_all):
    committed(answer_all, world, "Alpha Fire", "bob", submit=True)
    assert mail.outbox == []  # one agency: not enough for results (two needed)
    second = committed(answer_all, world, "Alpha Police", "alice", submit=True)
    assert sorted(inbox()) == ["alice", "bella", "bob"]
    body = inbox()["alice"].body
    assert "2 of 2 agencies have submitted" in body
    assert SITE + reverse("results:round", kwargs={"round_id": world.rounds["Alpha"].pk}) in body
    mail.outbox.clear()
    committed(submission_reopen, submission=second, user=world.user("adam"), reason="Check")
    mail.outbox.clear()
    committed(answer_all, world, "Alpha Police", "alice", submit=True)
    assert mail.outbox == []  # results were ready already
    assert Notification.objects.filter(kind="results_ready").count() == 1


def test_closing_a_round_gives_every_lead_the_final_results(world, committed, answer_all):
    committed(answer_all, world, "Alpha Fire", "bob", submit=True)
    committed(answer_all, world, "Alpha Police", "alice", submit=True)
    mail.outbox.clear()
    committed(round_close, round=world.rounds["Alpha"], user=world.user("adam"))
    assert sorted(inbox()) == ["alice", "bella", "bob"]
    assert "The results are final" in inbox()["bob"].body
    assert inbox()["bob"].subject == "Alpha round 1 is closed"


def test_a_round_past_its_closing_date_is_announced_closed_by_the_daily_run(announced,
                                                                            committed):
    world = announced
    beta = world.rounds["Beta"]
    beta.opens_on = today() - datetime.timedelta(days=30)
    beta.closes_on = today() - datetime.timedelta(days=1)
    beta.save()
    committed(send_daily)
    committed(send_daily)
    assert sorted(inbox()) == ["carol", "dan"]
    assert "fewer than the 2 needed" in inbox()["carol"].body


def test_leads_of_an_agency_in_wales_get_welsh_then_english(world, committed):
    committed(round_open, partnership=world.partnerships["Beta"], title="Adolygiad 2027")
    message = inbox()["carol"]
    welsh, english = message.body.split("\n-----\n")
    assert "Helo carol," in welsh
    assert "Atebwch holiadur eich asiantaeth yma" in welsh
    assert "Rydych yn cael yr e-bost hwn" in welsh
    assert message.subject.startswith("Mae Adolygiad 2027 ar agor ar gyfer atebion Beta "
                                      "Ambulance / ")
    assert "Hello carol," in english
    assert "Adolygiad 2027" in message.subject and " / " in message.subject
    assert "Beta Ambulance's answers" in message.subject.split(" / ")[1]
    # England: English only
    committed(round_open, partnership=world.partnerships["Alpha"], title="Review")
    assert "-----" not in inbox()["alice"].body


def test_an_administrator_reminds_the_agencies_still_to_submit(world, login, answer_all,
                                                               django_capture_on_commit_callbacks):
    answer_all(world, "Alpha Fire", "bob", submit=True)
    client = login(world.user("adam"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:assessments_round_changelist"), {
            "action": "remind_outstanding",
            "_selected_action": [world.rounds["Alpha"].pk, world.rounds["Beta"].pk]},
            follow=True)
    html = response.content.decode()
    assert "Reminder for Alpha: Alpha round 1 sent to 1 lead of: Alpha Police." in html
    assert "Reminder for Beta: Beta round 1 sent to 2 leads of: Beta Ambulance, Beta Fire." \
        in html
    assert sorted(inbox()) == ["alice", "carol", "dan"]
    assert "adam, an administrator, reminds you" in inbox()["alice"].body
    reminder = Notification.objects.get(kind="reminder", round=world.rounds["Alpha"])
    assert reminder.sent_by == world.user("adam")


def test_no_reminder_when_every_agency_has_submitted(world, login, answer_all):
    answer_all(world, "Alpha Fire", "bob", submit=True)
    answer_all(world, "Alpha Police", "alice", submit=True)
    client = login(world.user("adam"))
    html = client.post(reverse("admin:assessments_round_changelist"), {
        "action": "remind_outstanding", "_selected_action": [world.rounds["Alpha"].pk]},
        follow=True).content.decode()
    assert "No reminder sent for Alpha: Alpha round 1: every agency has submitted." in html
    assert not Notification.objects.filter(kind="reminder").exists()


@pytest.mark.django_db(transaction=True)
def test_the_database_backend_queues_and_the_worker_sends(world, settings):
    """As `make run` does: the request only queues the email; `db_worker` sends it."""
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    round_open(partnership=world.partnerships["Alpha"], title="Queued")
    assert mail.outbox == []
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    assert sorted(inbox()) == ["alice", "bella", "bob"]
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    assert Notification.objects.get(round__title="Queued").sent_at is not None
    # A task run again (a retry) sends nothing twice.
    from assessments.tasks import send_notification

    assert send_notification.call(Notification.objects.get().pk) == 0
    assert len(mail.outbox) == 3
    assert Round.objects.filter(title="Queued").exists()
    assert not Submission.objects.exists()
