"""Emails to partnership leads about their rounds, sent outside the request.

When something happens that a lead should hear about, a :class:`Notification`
is written in the same transaction, naming its recipients; once that
transaction commits, the task :func:`assessments.tasks.send_notification`
(django-tasks; the database backend in development and production, worked by
``manage.py db_worker``) renders and sends the emails and sets ``sent_at``.
A rolled-back change sends nothing; a task run twice sends once.

The events, and who hears of them (active leads with an email address):

* a round opens (:func:`notify_round_opened`: at once from ``round_open`` when
  it opens today or earlier, else on its opening day from the daily
  ``manage.py send_reminders``): every lead of the partnership;
* a week before it closes (``send_reminders``, :func:`notify_closing_soon`): the
  leads of the agencies that have not submitted yet; once per round;
* a submission is reopened (:func:`notify_reopened`): that agency's leads, with
  the reason;
* the results are ready: the moment the round first has enough submitted
  agencies (:func:`notify_results_ready`, from ``submission_submit``), and when
  the round closes (:func:`notify_round_closed`: closed by an administrator, or
  its closing date passed, seen by ``send_reminders``): every lead;
* an administrator's reminder (:func:`notify_outstanding`, an admin action on
  rounds): the leads of the agencies still to submit.

Language: there is no per-person language setting, so each email is written
for the agency: Welsh then English (one email, both languages) to the leads of
an agency in Wales, as Welsh public bodies write when they do not know the
reader's choice; English to everyone else. Emails are plain text with a plain
absolute link (``BLUELIGHT_SITE_URL``); there is nothing to unsubscribe from.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from assessments.access import enough_submitted
from assessments.models import Agency, Membership, Notification, Round, Submission
from bluelight.choices import Nation
from bluelight.formatting import format_date

Kind = Notification.Kind

SUBJECTS = {
    Kind.ROUND_OPENED: _("%(round)s is open for %(agency)s's answers"),
    Kind.CLOSING_SOON: _("%(round)s closes on %(date)s: %(agency)s has not submitted yet"),
    Kind.REOPENED: _("%(agency)s's answers in %(round)s were reopened"),
    Kind.RESULTS_READY: _("The results of %(round)s are ready"),
    Kind.ROUND_CLOSED: _("%(round)s is closed"),
    Kind.REMINDER: _("Reminder: submit %(agency)s's answers in %(round)s"),
}
# Whom each kind is for: every lead of the partnership, or the agencies still to submit.
TO_OUTSTANDING = {Kind.CLOSING_SOON, Kind.REMINDER}
WELSH, ENGLISH = "cy", "en-gb"


# ----------------------------------------------------------------------------- recipients


def _recipients(round: Round, *, agencies=None, outstanding: bool = False) -> list[dict]:
    """Active leads with an email address of the round's agencies, by agency then name.

    ``agencies``: only these agency ids; ``outstanding``: only agencies whose
    submission is not submitted now (never started, draft or reopened).
    """
    memberships = (Membership.objects.filter(partnership_id=round.partnership_id)
                   .select_related("agency").prefetch_related("leads")
                   .order_by("agency__name"))
    if agencies is not None:
        memberships = memberships.filter(agency_id__in=agencies)
    if outstanding:
        done = Submission.objects.filter(round=round, status=Submission.Status.SUBMITTED)
        memberships = memberships.exclude(agency_id__in=done.values("agency_id"))
    out = []
    for membership in memberships:
        for lead in sorted(membership.leads.all(), key=lambda u: u.get_username()):
            if lead.is_active and lead.email:
                out.append({"user": lead.pk, "agency": membership.agency_id,
                            "email": lead.email})
    return out


def outstanding_agencies(*, round: Round) -> list[Agency]:
    """The round's agencies whose answers are not submitted now."""
    done = Submission.objects.filter(round=round, status=Submission.Status.SUBMITTED)
    return list(Agency.objects.filter(memberships__partnership_id=round.partnership_id)
                .exclude(pk__in=done.values("agency_id")).order_by("name"))


def _record(kind: str, round: Round, *, agency=None, recipients=None, reason: str = "",
            user=None, on_day: date | None = None, once: bool = False) -> Notification | None:
    """Write the notification and send it once the transaction commits.

    ``once``: a kind kept to one per round (or per round and day) by a
    constraint: if it exists already, nothing is written or sent (None).
    """
    if recipients is None:
        recipients = _recipients(round, outstanding=kind in TO_OUTSTANDING)
    notification = Notification(kind=kind, round=round, agency=agency, recipients=recipients,
                                reason=reason, sent_by=user,
                                on_day=on_day or timezone.localdate())
    if once:
        try:
            with transaction.atomic():  # a savepoint: a duplicate leaves the caller's work
                notification.save()
        except IntegrityError:
            return None
    else:
        notification.save()
    transaction.on_commit(lambda: _enqueue(notification.pk))
    return notification


def _enqueue(notification_id: int) -> None:
    from assessments.tasks import send_notification

    send_notification.enqueue(notification_id)


# ----------------------------------------------------------------------------- events


def notify_round_opened(*, round: Round, user=None) -> Notification | None:
    """The round is open: tell every lead (once per round; not before its opening day)."""
    if round.opens_on > timezone.localdate() or round.status != Round.Status.OPEN:
        return None
    return _record(Kind.ROUND_OPENED, round, user=user, once=True)


def notify_reopened(*, submission: Submission, user, reason: str) -> Notification:
    """The agency's submission was reopened: tell its leads why."""
    round = submission.round
    return _record(Kind.REOPENED, round, agency=submission.agency,
                   recipients=_recipients(round, agencies=[submission.agency_id]),
                   reason=reason, user=user)


def notify_results_ready(*, round: Round) -> Notification | None:
    """The round has results for the first time: tell every lead (once per round)."""
    submitted = Submission.objects.filter(round=round, submitted_at__isnull=False).count()
    if not enough_submitted(submitted, round.framework.min_agencies):
        return None
    if Notification.objects.filter(round=round, kind=Kind.RESULTS_READY).exists():
        return None
    return _record(Kind.RESULTS_READY, round, once=True)


def notify_round_closed(*, round: Round, user=None) -> Notification | None:
    """The round is closed: its results are final; tell every lead.

    Not again when they were told already because its closing date had passed.
    """
    if round.closes_on is not None and Notification.objects.filter(
            round=round, kind=Kind.ROUND_CLOSED, on_day__gt=round.closes_on).exists():
        return None
    return _record(Kind.ROUND_CLOSED, round, user=user)


def notify_outstanding(*, round: Round, user) -> Notification | None:
    """An administrator's reminder to the leads of the agencies still to submit.

    None (nothing sent) when every agency has submitted or the round takes no
    answers.
    """
    if not round.is_open:
        return None
    recipients = _recipients(round, outstanding=True)
    if not recipients:
        return None
    return _record(Kind.REMINDER, round, recipients=recipients, user=user)


@transaction.atomic
def notify_closing_soon(*, round: Round, today: date | None = None) -> Notification | None:
    """A week (``BLUELIGHT_CLOSING_REMINDER_DAYS``) before the round closes: remind
    the agencies still to submit. Once per round, whatever the number of runs."""
    today = today or timezone.localdate()
    if Notification.objects.filter(round=round, kind=Kind.CLOSING_SOON).exists():
        return None
    return _record(Kind.CLOSING_SOON, round, on_day=today, once=True)


@dataclass
class DailyRun:
    """What one run of ``send_reminders`` did."""

    opened: list[Notification]
    closing: list[Notification]
    closed: list[Notification]

    @property
    def total(self) -> int:
        return len(self.opened) + len(self.closing) + len(self.closed)


@transaction.atomic
def send_daily(*, today: date | None = None) -> DailyRun:
    """The daily run (``manage.py send_reminders``): safe to run any number of times.

    * rounds whose opening day has come (within the last week, so a missed
      run is caught up) and whose leads were not told yet: "round opened";
    * open rounds closing within the week: "closes in a week", once;
    * rounds still marked open whose closing date has passed: "round closed",
      once.
    """
    today = today or timezone.localdate()
    days = settings.BLUELIGHT_CLOSING_REMINDER_DAYS
    open_rounds = Round.objects.filter(status=Round.Status.OPEN).select_related("framework")
    told = Notification.objects.filter(kind=Kind.ROUND_OPENED).values("round_id")
    opened = [n for round in open_rounds.filter(opens_on__lte=today,
                                               opens_on__gt=today - timedelta(days=7))
              .exclude(pk__in=told)
              if (n := _record(Kind.ROUND_OPENED, round, on_day=today, once=True))]
    reminded = Notification.objects.filter(kind=Kind.CLOSING_SOON).values("round_id")
    closing = [n for round in open_rounds.filter(opens_on__lte=today, closes_on__gte=today,
                                                closes_on__lte=today + timedelta(days=days))
               .exclude(pk__in=reminded)
               if (n := notify_closing_soon(round=round, today=today))]
    ended = Notification.objects.filter(kind=Kind.ROUND_CLOSED).values("round_id")
    closed = [_record(Kind.ROUND_CLOSED, round, on_day=today)
              for round in open_rounds.filter(closes_on__lt=today).exclude(pk__in=ended)]
    return DailyRun(opened=opened, closing=closing, closed=closed)


# ----------------------------------------------------------------------------- sending


def email_languages(*, agency: Agency) -> list[str]:
    """The languages of a lead's email, in order (see the module)."""
    return [WELSH, ENGLISH] if agency.nation == Nation.WALES else [ENGLISH]


def site_url(path: str) -> str:
    return f"{settings.BLUELIGHT_SITE_URL}{path}"


def _progress(round: Round) -> dict[int, int]:
    """Answers saved by each agency in the round (agency id -> count)."""
    return dict(Submission.objects.filter(round=round).annotate(n=Count("answers"))
                .values_list("agency_id", "n"))


def render_email(notification: Notification, *, user, agency: Agency, context: dict,
                 languages: list[str]) -> tuple[str, str]:
    """The subject and body for one lead, in each of ``languages`` (joined)."""
    subjects, bodies = [], []
    round = notification.round
    for language in languages:
        with translation.override(language):
            ctx = {**context, "user": user, "agency": agency, "round": round,
                   "partnership": round.partnership, "notification": notification,
                   "answered": context["answered"].get(agency.pk, 0),
                   "questionnaire_link": site_url(reverse(
                       "questionnaire:start",
                       kwargs={"round_id": round.pk, "agency_id": agency.pk})),
                   "results_link": site_url(reverse("results:round",
                                                    kwargs={"round_id": round.pk})),
                   "progress_link": site_url(reverse("progress:round",
                                                     kwargs={"round_id": round.pk}))}
            subjects.append(str(SUBJECTS[notification.kind]) % {
                "round": round.title, "agency": agency.name,
                "date": format_date(round.closes_on)})
            bodies.append(render_to_string(f"emails/{notification.kind}.txt", ctx).strip())
    return " / ".join(subjects), "\n\n-----\n\n".join(bodies) + "\n"


def deliver(*, notification_id: int) -> int:
    """Send a notification's emails (the task's work); returns how many were sent.

    A notification already sent is not sent again.
    """
    with transaction.atomic():
        notification = (Notification.objects.select_for_update(of=("self",))
                        .select_related("round__partnership", "round__framework", "agency",
                                        "sent_by")
                        .filter(pk=notification_id).first())
        if notification is None or notification.sent_at is not None:
            return 0
        recipients = notification.recipients
        users = {u.pk: u for u in _users([r["user"] for r in recipients])}
        agencies = Agency.objects.in_bulk([r["agency"] for r in recipients])
        round = notification.round
        submitted = Submission.objects.filter(round=round, submitted_at__isnull=False).count()
        context = {
            "answered": _progress(round),
            "total": round.framework.items.count(),
            "submitted": submitted,
            "agencies": Membership.objects.filter(partnership_id=round.partnership_id).count(),
            "min_agencies": round.framework.min_agencies,
            "has_results": enough_submitted(submitted, round.framework.min_agencies),
            "sent_by": _person(notification.sent_by),
            "reason": notification.reason,
        }
        messages = []
        for recipient in recipients:
            user, agency = users.get(recipient["user"]), agencies.get(recipient["agency"])
            if user is None or agency is None or not user.is_active:
                continue
            subject, body = render_email(notification, user=user, agency=agency,
                                         context=context,
                                         languages=email_languages(agency=agency))
            messages.append(EmailMessage(subject, body, None, [recipient["email"]]))
        sent = get_connection().send_messages(messages) if messages else 0
        notification.sent_at = timezone.now()
        notification.save(update_fields=["sent_at"])
    return sent or 0


def _users(ids):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(pk__in=ids)


def _person(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()
