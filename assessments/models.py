"""Partnerships, their agencies and leads, assessment rounds, submissions and answers.

Answers live twice: ``Answer`` is the agency's working copy (the draft), and
``SubmittedAnswer`` is the frozen copy taken when the agency submits. Results are
computed from submitted answers only, so a draft never moves a tier and a
reopened submission keeps its last submitted answers in the results until it is
submitted again.
"""

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from bluelight.choices import Nation, Service  # noqa: F401 - re-exported

COMMENT_MAX = 2000

models.TextField.register_lookup(Length)


class CollaborationKind(models.TextChoices):
    SHARED_BACK_OFFICE = "shared_back_office", _("Shared back office")
    ORGANISATIONAL_INTEGRATION = "organisational_integration", _("Organisational integration")
    CO_RESPONDING = "co_responding", _("Co-responding")
    INTEROPERABILITY = "interoperability", _("Interoperability")
    REDUCING_OVERLAP = "reducing_overlap", _("Reducing overlap")
    PREVENTION = "prevention", _("Prevention")


class Agency(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    service = models.CharField(_("service"), max_length=20, choices=Service.choices)
    nation = models.CharField(_("nation"), max_length=10, choices=Nation.choices, blank=True)
    area = models.CharField(_("area"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = _("agencies")

    def __str__(self):
        return self.name


class Partnership(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind of collaboration"), max_length=40,
                            choices=CollaborationKind.choices)
    description = models.TextField(_("description"), blank=True)
    agencies = models.ManyToManyField(Agency, through="Membership", related_name="partnerships")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Membership(models.Model):
    """An agency's place in a partnership, with the users who lead for it there."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE,
                                    related_name="memberships")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="memberships")
    leads = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True,
                                   related_name="memberships", verbose_name=_("leads"))

    history = HistoricalRecords(m2m_fields=[leads])

    class Meta:
        ordering = ["partnership", "agency__name"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "agency"],
                                    name="membership_partnership_agency"),
        ]

    def __str__(self):
        return f"{self.agency} in {self.partnership}"


class Round(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE,
                                    related_name="rounds")
    framework = models.ForeignKey("survey.Framework", on_delete=models.PROTECT,
                                  related_name="rounds", verbose_name=_("framework version"))
    title = models.CharField(_("title"), max_length=200)
    opens_on = models.DateField(_("opens on"), default=timezone.localdate)
    closes_on = models.DateField(_("closes on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.OPEN)
    closed_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["partnership", "opens_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(closes_on__isnull=True)
                                   | Q(closes_on__gte=models.F("opens_on")),
                                   name="round_closes_after_opening"),
        ]

    def __str__(self):
        return f"{self.partnership}: {self.title}"

    @property
    def is_open(self) -> bool:
        """Open for answers: status open and the closing date (inclusive) not past."""
        today = timezone.localdate()
        return (self.status == self.Status.OPEN and self.opens_on <= today
                and (self.closes_on is None or today <= self.closes_on))


class Submission(models.Model):
    """One agency's assessment in one round (one per agency per round)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        REOPENED = "reopened", _("Reopened")

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="submissions")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="submissions")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.DRAFT)
    # Raised on every saved change; a save made from an older page is refused.
    revision = models.PositiveIntegerField(default=0)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["round", "agency__name"]
        constraints = [
            models.UniqueConstraint(fields=["round", "agency"], name="submission_round_agency"),
        ]

    def __str__(self):
        return f"{self.agency} — {self.round}"

    @property
    def is_editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.REOPENED)

    @property
    def has_results(self) -> bool:
        """Submitted at least once: its submitted answers count in the results."""
        return self.submitted_at is not None


class AnswerBase(models.Model):
    item = models.ForeignKey("survey.Item", on_delete=models.PROTECT, related_name="+")
    value = models.PositiveSmallIntegerField(
        _("answer"), null=True, blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("1 to 5; empty means “Don't know”."))
    comment = models.TextField(_("evidence"), blank=True,
                               validators=[MaxLengthValidator(COMMENT_MAX)])

    class Meta:
        abstract = True

    def __str__(self):
        value = "Don't know" if self.value is None else self.value
        return f"{self.item_id}: {value}"


class Answer(AnswerBase):
    """The working copy of one answer; only leads of the agency change it."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE,
                                   related_name="answers")
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    # Copied from the agency's last submitted round; cleared when a lead saves its section.
    prefilled = models.BooleanField(_("from the last round, not yet confirmed"), default=False)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["submission", "item"], name="answer_submission_item"),
            models.CheckConstraint(condition=Q(value__isnull=True)
                                   | Q(value__gte=1, value__lte=5),
                                   name="answer_value_1_5"),
            models.CheckConstraint(condition=Q(comment__length__lte=COMMENT_MAX),
                                   name="answer_comment_max"),
        ]


class SubmittedAnswer(AnswerBase):
    """The frozen answer as last submitted: the only answers that reach results."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE,
                                   related_name="submitted_answers")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["submission", "item"],
                                    name="submitted_answer_submission_item"),
            models.CheckConstraint(condition=Q(value__isnull=True)
                                   | Q(value__gte=1, value__lte=5),
                                   name="submitted_answer_value_1_5"),
        ]


class Invitation(models.Model):
    """An email inviting a person to lead for an agency in a partnership.

    The link in the email carries a signed, expiring token (``tokens.py``) that
    stops working once the person has set their password. ``accepted_at`` is
    set then (or at once, for someone who already had an account).
    """

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE,
                                   related_name="invitations", verbose_name=_("membership"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="invitations", verbose_name=_("user"))
    email = models.EmailField(_("email"))
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("invited by"))
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)

    class Meta:
        ordering = ["-sent_at", "-id"]

    def __str__(self):
        return f"{self.email} → {self.membership}"


class DeletionRecord(models.Model):
    """A partnership's data deleted by an administrator: who, when, what (kept for audit).

    Names are stored as text, since the partnership (and perhaps the person) is gone.
    """

    partnership_name = models.CharField(_("partnership"), max_length=200)
    deleted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("deleted by"))
    deleted_by_username = models.CharField(_("deleted by (username)"), max_length=150)
    deleted_at = models.DateTimeField(_("deleted at"), default=timezone.now)
    counts = models.JSONField(_("rows deleted"), default=dict)

    class Meta:
        ordering = ["-deleted_at", "-id"]
        verbose_name = _("deletion record")
        verbose_name_plural = _("deletion records")

    def __str__(self):
        return f"{self.partnership_name} ({self.deleted_at:%Y-%m-%d %H:%M})"


class Notification(models.Model):
    """An email sent to leads about a round: what, to whom, when (``notifications.py``).

    Written when the event happens (in the same transaction); the email itself
    is sent by a task outside the request, which sets ``sent_at``. The
    constraints keep the automatic emails to one per round ("round opened",
    "results ready") and one per round and day (the reminder before closing).
    """

    class Kind(models.TextChoices):
        ROUND_OPENED = "round_opened", _("Round opened")
        CLOSING_SOON = "closing_soon", _("Round closes in a week")
        REOPENED = "reopened", _("Submission reopened")
        RESULTS_READY = "results_ready", _("Results ready")
        ROUND_CLOSED = "round_closed", _("Round closed")
        REMINDER = "reminder", _("Reminder from an administrator")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="notifications",
                              verbose_name=_("round"))
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.CASCADE,
                               related_name="+", verbose_name=_("agency"))
    # [{"user": id, "agency": id, "email": "..."}], fixed when the event happens.
    recipients = models.JSONField(_("recipients"), default=list)
    reason = models.TextField(_("reason"), blank=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+",
                                verbose_name=_("sent by"))
    on_day = models.DateField(_("day"), default=timezone.localdate)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(fields=["kind", "round", "on_day"],
                                    condition=Q(kind="closing_soon"),
                                    name="notification_closing_soon_once_a_day"),
            models.UniqueConstraint(fields=["kind", "round"],
                                    condition=Q(kind__in=["round_opened", "results_ready"]),
                                    name="notification_opened_and_ready_once"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.round} ({self.on_day})"


class AnswersDownload(models.Model):
    """A selection of partnerships whose anonymised answers one person downloaded.

    Kept to refuse a later selection that differs from it by fewer than the
    minimum group size (``BLUELIGHT_MIN_GROUP_SIZE``): subtracting two such
    downloads would single out the few partnerships between them (issue 11,
    differencing). Kept in the database, so it outlives the session.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+", verbose_name=_("user"))
    partnerships = models.JSONField(_("partnerships"), default=list)  # sorted ids
    selection = models.TextField(_("selection"), blank=True)  # the filters, in words
    downloaded_at = models.DateTimeField(_("downloaded"), default=timezone.now)

    class Meta:
        ordering = ["-downloaded_at", "-id"]
        verbose_name = _("anonymised answers download")
        verbose_name_plural = _("anonymised answers downloads")

    def __str__(self):
        return f"{self.user}: {len(self.partnerships)} ({self.downloaded_at:%Y-%m-%d})"


class ResultSnapshot(models.Model):
    """A round's results as computed from one exact set of submitted answers.

    Written when a submission is submitted, reopened or imported and when a
    round closes (``assessments.results.snapshots``); read by the dashboard and
    the downloads while its ``answers_hash`` still matches the round's submitted
    answers, recomputed otherwise. Earlier snapshots are kept: they say what the
    results were on a past date.
    """

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="snapshots",
                              verbose_name=_("round"))
    # sha256 over the sorted (agency, item, value) submitted answers, the framework
    # version and the scoring method version.
    answers_hash = models.CharField(_("answers hash"), max_length=64)
    method = models.CharField(_("scoring method"), max_length=20)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    document = models.JSONField(_("results"))

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["round", "-created_at"], name="snapshot_round_created")]
        verbose_name = _("results snapshot")
        verbose_name_plural = _("results snapshots")

    def __str__(self):
        return f"{self.round}: {self.answers_hash[:12]} ({self.created_at:%Y-%m-%d %H:%M})"


# Models of the packages by concern (each has its own models module and migration).
from assessments.actions.models import *  # noqa: E402, F401, F403
from assessments.boardpaper.models import *  # noqa: E402, F401, F403
from assessments.kpis.models import *  # noqa: E402, F401, F403
from assessments.lessons.models import *  # noqa: E402, F401, F403
