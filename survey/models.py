"""The instrument as versioned data: frameworks, their items, scales and thresholds.

A framework version is edited only while it is a draft. Publishing freezes it:
the model refuses saves and deletes of a published (or retired) version and of
its items, scales and links, so a round opened on a version always scores with
exactly the definitions it was opened with. To change the definitions an
administrator copies the published version into a new draft
(:func:`survey.services.framework_new_draft`) and publishes that.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.signals import m2m_changed
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

SCALE_VALUES = [MinValueValidator(1), MaxValueValidator(5)]


class FrameworkLocked(ValidationError):
    """Raised when something tries to change a published or retired framework."""


class FrameworkQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Framework.Status.PUBLISHED)

    def current(self):
        """The framework new rounds open on: the most recently published one."""
        return self.published().order_by("-published_at", "-version").first()


class Framework(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        RETIRED = "retired", _("Retired")

    code = models.SlugField(_("code"), max_length=40)
    version = models.PositiveIntegerField(_("version"), default=1)
    title = models.CharField(_("title"), max_length=200)
    source = models.TextField(_("source"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    created_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="drafts",
        verbose_name=_("copied from"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)

    # Thresholds of scoring method v1 (docs/scoring-method.md), with their defaults.
    divergence_spread = models.FloatField(
        _("divergence: spread at least"), default=2,
        validators=[MinValueValidator(1), MaxValueValidator(4)],
        help_text=_("Items whose answers differ by at least this much are flagged for discussion."),
    )
    enabler_weak_mean = models.FloatField(
        _("enabler weak: mean below"), default=3.0, validators=SCALE_VALUES)
    enabler_weak_min = models.FloatField(
        _("enabler weak: lowest answer at most"), default=2, validators=SCALE_VALUES)
    enabler_strong_mean = models.FloatField(
        _("enabler strong: mean at least"), default=4.0, validators=SCALE_VALUES)
    enabler_strong_min = models.FloatField(
        _("enabler strong: lowest answer at least"), default=3, validators=SCALE_VALUES)
    enabler_absent_mean = models.FloatField(
        _("enabler absent: mean below"), default=2.0, validators=SCALE_VALUES)
    barrier_key_max = models.FloatField(
        _("key barrier: highest answer at least"), default=5, validators=SCALE_VALUES)
    barrier_significant_max = models.FloatField(
        _("significant barrier: highest answer at least"), default=4, validators=SCALE_VALUES)
    barrier_significant_mean = models.FloatField(
        _("significant barrier: mean at least"), default=3.0, validators=SCALE_VALUES)
    min_agencies = models.PositiveSmallIntegerField(
        _("minimum agencies to rate an option"), default=2,
        validators=[MinValueValidator(1), MaxValueValidator(50)])
    support_value = models.FloatField(
        _("support: answer at least"), default=4, validators=SCALE_VALUES)
    oppose_value = models.FloatField(
        _("opposition: answer at most"), default=2, validators=SCALE_VALUES)
    support_share_min = models.FloatField(
        _("share of supporters needed (0–1)"), default=0.75,
        validators=[MinValueValidator(0), MaxValueValidator(1)])

    THRESHOLD_FIELDS = (
        "divergence_spread", "enabler_weak_mean", "enabler_weak_min", "enabler_strong_mean",
        "enabler_strong_min", "enabler_absent_mean", "barrier_key_max",
        "barrier_significant_max", "barrier_significant_mean", "min_agencies",
        "support_value", "oppose_value", "support_share_min",
    )

    history = HistoricalRecords()
    objects = FrameworkQuerySet.as_manager()

    class Meta:
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="framework_code_version"),
            models.CheckConstraint(
                condition=Q(support_share_min__gte=0) & Q(support_share_min__lte=1),
                name="framework_share_in_0_1",
            ),
        ]

    def __str__(self):
        return f"{self.title} (v{self.version}, {self.get_status_display()})"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    def clean(self):
        errors = {}
        if self.enabler_absent_mean > self.enabler_weak_mean:
            errors["enabler_absent_mean"] = _(
                "An absent enabler must also be weak: this mean cannot be above the weak mean.")
        if self.enabler_weak_mean > self.enabler_strong_mean:
            errors["enabler_strong_mean"] = _(
                "The strong mean cannot be below the weak mean.")
        if self.barrier_significant_max > self.barrier_key_max:
            errors["barrier_significant_max"] = _(
                "A significant barrier's highest answer cannot be above the key barrier's.")
        if self.oppose_value >= self.support_value:
            errors["oppose_value"] = _(
                "Opposition must be below support, or one answer would count as both.")
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        if self.pk:
            stored = Framework.objects.filter(pk=self.pk).values().first()
            if stored and stored["status"] != self.Status.DRAFT:
                changed = [
                    f.attname for f in self._meta.concrete_fields
                    if f.attname not in ("status", "published_at")
                    and getattr(self, f.attname) != stored[f.attname]
                ]
                backwards = self.status == self.Status.DRAFT
                if changed or backwards:
                    raise FrameworkLocked(
                        _("%(fw)s is %(status)s and cannot be edited. Create a new draft "
                          "version to change it.") % {"fw": self, "status": stored["status"]})
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.status != self.Status.DRAFT:
            raise FrameworkLocked(_("A published or retired framework cannot be deleted."))
        return super().delete(*args, **kwargs)


class LockedByFramework(models.Model):
    """Base for definitions that freeze with their framework."""

    class Meta:
        abstract = True

    def _check_editable(self):
        framework = Framework.objects.filter(pk=self.framework_id).only("status").first()
        if framework is not None and framework.status != Framework.Status.DRAFT:
            raise FrameworkLocked(
                _("This definition belongs to a %(status)s framework and cannot be changed. "
                  "Create a new draft version to change it.") % {"status": framework.status})

    def save(self, *args, **kwargs):
        self._check_editable()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._check_editable()
        return super().delete(*args, **kwargs)


class Item(LockedByFramework):
    """One thing respondents answer: an enabler, a barrier or a collaboration option."""

    class Kind(models.TextChoices):
        ENABLER = "enabler", _("Enabler")
        BARRIER = "barrier", _("Barrier")
        OPTION = "option", _("Collaboration option")

    class Theme(models.TextChoices):
        CLEAR_VISION = "clear_vision", _("Clear vision")
        CONSISTENCY = "consistency", _("Consistency")
        CULTURE = "culture", _("Culture")

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    code = models.CharField(
        _("code"), max_length=10,
        help_text=_("Stable code used in exports and imports (E1, B2, O3…)."))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    help_text = models.TextField(
        _("help text"), blank=True, help_text=_("Shown to respondents beside the question."))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    # Enablers and barriers only.
    theme = models.CharField(_("theme (three Cs)"), max_length=20, choices=Theme.choices,
                             blank=True)
    weight = models.FloatField(
        _("weight in the readiness index"), default=1.0,
        validators=[MinValueValidator(0), MaxValueValidator(10)])
    # Collaboration options only.
    published_level = models.PositiveSmallIntegerField(
        _("published level"), null=True, blank=True,
        choices=[(1, _("Level 1")), (2, _("Level 2")), (3, _("Level 3"))],
        help_text=_("The level the 2015 research placed this option in, as published."))
    enablers = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="enabler_of",
        limit_choices_to={"kind": Kind.ENABLER},
        verbose_name=_("enablers it depends on"))
    barriers = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="barrier_of",
        limit_choices_to={"kind": Kind.BARRIER},
        verbose_name=_("barriers that block it"))

    history = HistoricalRecords(m2m_fields=[enablers, barriers])

    class Meta:
        ordering = ["framework", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="item_framework_code"),
            models.CheckConstraint(
                condition=Q(published_level__isnull=True)
                | Q(published_level__gte=1, published_level__lte=3),
                name="item_published_level_1_3",
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.title}"

    @property
    def is_factor(self) -> bool:
        return self.kind in (self.Kind.ENABLER, self.Kind.BARRIER)

    def clean(self):
        errors = {}
        prefix = {"enabler": "E", "barrier": "B", "option": "O"}.get(self.kind)
        if prefix and self.code and not self.code.startswith(prefix):
            errors["code"] = _("A %(kind)s's code starts with %(prefix)s.") % {
                "kind": self.get_kind_display().lower(), "prefix": prefix}
        if self.kind == self.Kind.OPTION and self.published_level is None:
            errors["published_level"] = _("Give the option's published level (1, 2 or 3).")
        if self.kind != self.Kind.OPTION and self.published_level is not None:
            errors["published_level"] = _("Only collaboration options have a published level.")
        if self.kind != self.Kind.OPTION and not self.theme:
            errors["theme"] = _("Choose the theme (one of the three Cs) for this factor.")
        if errors:
            raise ValidationError(errors)


@receiver(m2m_changed, sender=Item.enablers.through)
@receiver(m2m_changed, sender=Item.barriers.through)
def _links_follow_framework_lock(sender, instance, action, reverse, pk_set, **kwargs):
    """Links are definitions too: refuse changes on a frozen framework and cross links."""
    if not action.startswith("pre_"):
        return
    items = [instance] if not pk_set else [instance, *Item.objects.filter(pk__in=pk_set)]
    for item in items:
        item._check_editable()
    if pk_set and action == "pre_add":
        foreign = Item.objects.filter(pk__in=pk_set).exclude(framework_id=instance.framework_id)
        if foreign.exists():
            raise ValidationError(_("An option can only link to items of its own framework."))


class Scale(LockedByFramework):
    """The question and the five labelled points for one kind of item."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="scales")
    kind = models.CharField(_("for"), max_length=10, choices=Item.Kind.choices)
    question = models.CharField(_("question"), max_length=300)
    label_1 = models.CharField(_("1"), max_length=60)
    label_2 = models.CharField(_("2"), max_length=60)
    label_3 = models.CharField(_("3"), max_length=60)
    label_4 = models.CharField(_("4"), max_length=60)
    label_5 = models.CharField(_("5"), max_length=60)

    history = HistoricalRecords()

    class Meta:
        ordering = ["framework", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "kind"], name="scale_framework_kind"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.question}"

    @property
    def labels(self) -> list[tuple[int, str]]:
        return [(v, getattr(self, f"label_{v}")) for v in range(1, 6)]


# --------------------------------------------------------------------------- national surveys
# The two national surveys behind the key findings (docs/national-surveys.md): their
# questions as data, and respondent-level data imported from CSV.


class Sample(models.TextChoices):
    SERVICE = "service", _("Emergency services")
    PUBLIC = "public", _("Public")


class NationalSurvey(models.Model):
    """A national survey (or poll) whose findings are benchmarked, e.g. the 2015 surveys."""

    code = models.SlugField(_("code"), max_length=40, unique=True,
                            help_text=_("Used on the command line: --survey CODE."))
    title = models.CharField(_("title"), max_length=200)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    sample_description = models.TextField(
        _("samples"), blank=True,
        help_text=_("Who was asked, and how many (as published)."))
    source = models.TextField(_("source"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "code"]
        verbose_name = _("national survey")

    def __str__(self):
        return self.title


class SurveyQuestion(models.Model):
    """One question of a national survey, with the answers that count towards its finding."""

    class AnswerType(models.TextChoices):
        YES_NO = "yes_no", _("Yes / no")
        CHANGE = "change", _("Increased / same / decreased / don't know")
        LIKERT5 = "likert5", _("1–5 (strongly disagree … strongly agree)")

    # The answers a file may hold for each type, in their stored spelling.
    ANSWERS = {
        "yes_no": ("yes", "no"),
        "change": ("increased", "same", "decreased", "dont_know"),
        "likert5": ("1", "2", "3", "4", "5"),
    }

    survey = models.ForeignKey(NationalSurvey, on_delete=models.CASCADE,
                               related_name="questions")
    code = models.CharField(
        _("code"), max_length=20,
        validators=[RegexValidator(r"^[A-Za-z][A-Za-z0-9]*(_[A-Za-z0-9]+)*$",
                                   _("Letters and digits, starting with a letter; single _ "
                                     "between them allowed."))],
        help_text=_("The CSV column that holds the answers (K1, K2…)."))
    sample = models.CharField(_("asked of"), max_length=10, choices=Sample.choices)
    text = models.CharField(_("finding"), max_length=300)
    answer_type = models.CharField(_("answers"), max_length=10, choices=AnswerType.choices)
    positive_answers = models.CharField(
        _("answers that count towards the finding"), max_length=100,
        help_text=_("Comma-separated: yes; increased; 4,5."))
    published_figure = models.FloatField(
        _("published figure (0–1)"), null=True, blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=_("The share published in 2015, e.g. 0.72 for 72%."))
    published_base_note = models.CharField(
        _("published base"), max_length=300, blank=True,
        help_text=_("Who the published figure is based on, as published."))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["survey", "order", "id"]
        verbose_name = _("survey question")
        constraints = [
            models.UniqueConstraint(fields=["survey", "code"], name="survey_question_code"),
            models.CheckConstraint(
                condition=Q(published_figure__isnull=True)
                | Q(published_figure__gte=0, published_figure__lte=1),
                name="survey_question_published_0_1"),
        ]

    def __str__(self):
        return f"{self.code} {self.text}"

    @property
    def allowed_answers(self) -> tuple[str, ...]:
        return self.ANSWERS.get(self.answer_type, ())

    @property
    def positive(self) -> tuple[str, ...]:
        """The positive answers as a tuple of stored spellings."""
        return tuple(a.strip().lower() for a in self.positive_answers.split(",") if a.strip())

    def clean(self):
        allowed = self.allowed_answers
        wrong = [a for a in self.positive if a not in allowed]
        if not self.positive:
            raise ValidationError({"positive_answers": _(
                "Give at least one answer that counts towards the finding.")})
        if wrong and allowed:
            raise ValidationError({"positive_answers": _(
                "%(wrong)s is not an answer to this question; choose from %(allowed)s.") % {
                "wrong": ", ".join(wrong), "allowed": ", ".join(allowed)}})
        self.positive_answers = ",".join(self.positive)


class ImportBatch(models.Model):
    """One imported respondent file: who, when, what (its SHA-256), how many rows."""

    survey = models.ForeignKey(NationalSurvey, on_delete=models.CASCADE,
                               related_name="imports")
    file_name = models.CharField(_("file"), max_length=255)
    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64)
    rows = models.PositiveIntegerField(_("respondents in the file"))
    added = models.PositiveIntegerField(_("respondents added"), default=0)
    updated = models.PositiveIntegerField(_("respondents updated"), default=0)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+",
                                    verbose_name=_("imported by"))
    imported_at = models.DateTimeField(_("imported at"), default=timezone.now)

    class Meta:
        ordering = ["-imported_at", "-id"]
        verbose_name = _("survey import")
        constraints = [
            models.UniqueConstraint(fields=["survey", "sha256"], name="import_survey_sha256"),
        ]

    def __str__(self):
        return f"{self.file_name} ({self.imported_at:%Y-%m-%d %H:%M})"


class Respondent(models.Model):
    """One respondent of a national survey, with all their answers.

    ``answers`` maps question code -> answer in its stored spelling (``yes``,
    ``increased``, ``4``); a question the respondent was not asked, or left
    blank, has no key. One row per respondent (not one per answer) keeps an
    import of 100,000 respondents to seconds, and the findings are counted by
    the database from it (see ``survey.survey_selectors``).
    """

    survey = models.ForeignKey(NationalSurvey, on_delete=models.CASCADE,
                               related_name="respondents")
    respondent = models.CharField(_("respondent id"), max_length=64)
    sample = models.CharField(_("sample"), max_length=10, choices=Sample.choices)
    service = models.CharField(_("service"), max_length=20, blank=True)
    nation = models.CharField(_("nation"), max_length=10, blank=True)
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="respondents",
                              verbose_name=_("last imported by"))

    class Meta:
        ordering = ["survey", "respondent"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "respondent"],
                                    name="respondent_survey_id"),
        ]

    def __str__(self):
        return self.respondent
