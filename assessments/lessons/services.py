"""Writes for lessons: record, edit, share, withdraw, publish, return; load the research's
examples. Each takes the revision the person's page showed and refuses a stale one, so
nothing another person saved in between is overwritten. Every change is kept in the
lesson's history, with who made it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Lesson, LessonCode, LessonSource, LessonStatus

RESEARCH_FILE = Path(settings.BASE_DIR) / "fixtures" / "lessons_research.json"


class LessonRefused(Exception):
    """The change cannot be made (stale page, or not in a state that allows it)."""

    def __init__(self, message: str, *, stale: bool = False):
        super().__init__(message)
        self.message = message
        self.stale = stale


@dataclass(frozen=True)
class LessonInput:
    title: str
    tried: str
    happened: str
    differently: str
    tried_from: date | None
    tried_to: date | None
    codes: tuple[str, ...]


def _locked(lesson: Lesson, revision: int | None) -> Lesson:
    locked = Lesson.objects.select_for_update().get(pk=lesson.pk)
    if revision is not None and locked.revision != revision:
        raise LessonRefused(_("Someone else changed this lesson after you opened it: "
                              "nothing was saved. Here it is as it is now."), stale=True)
    return locked


def _save(lesson: Lesson, user, reason: str) -> Lesson:
    lesson.revision += 1
    lesson.updated_at = timezone.now()
    lesson._history_user = user
    lesson._change_reason = reason
    lesson.save()
    return lesson


def _set_codes(lesson: Lesson, codes) -> None:
    wanted = list(dict.fromkeys(codes))
    lesson.codes.exclude(code__in=wanted).delete()
    have = set(lesson.codes.values_list("code", flat=True))
    LessonCode.objects.bulk_create(LessonCode(lesson=lesson, code=c) for c in wanted
                                   if c not in have)


def _apply(lesson: Lesson, data: LessonInput) -> None:
    for field in ("title", "tried", "happened", "differently", "tried_from", "tried_to"):
        setattr(lesson, field, getattr(data, field))


@transaction.atomic
def lesson_create(*, partnership, user, data: LessonInput, language: str) -> Lesson:
    """A new private lesson of the partnership, in the writer's language."""
    lesson = Lesson(partnership=partnership, source=LessonSource.PARTNERSHIP,
                    created_by=user, language=language, revision=-1)
    _apply(lesson, data)
    _save(lesson, user, "created")
    _set_codes(lesson, data.codes)
    return lesson


@transaction.atomic
def lesson_update(*, lesson: Lesson, user, data: LessonInput, revision: int) -> Lesson:
    """Save the leads' edit. A published lesson goes back to review (it leaves the
    library until an administrator publishes it again); the others keep their state."""
    lesson = _locked(lesson, revision)
    if lesson.source != LessonSource.PARTNERSHIP:
        raise LessonRefused(_("Only a partnership's own lessons can be edited here."))
    _apply(lesson, data)
    reason = "edited"
    if lesson.status == LessonStatus.PUBLISHED:
        lesson.status = LessonStatus.AWAITING_REVIEW
        lesson.shared_at, lesson.shared_by = timezone.now(), user
        reason = "edited after publishing: back to review"
    _save(lesson, user, reason)
    _set_codes(lesson, data.codes)
    return lesson


@transaction.atomic
def lesson_share(*, lesson: Lesson, user, show_name: bool, revision: int) -> Lesson:
    """Send a private or returned lesson to the administrators' review, named or not."""
    lesson = _locked(lesson, revision)
    if lesson.status not in (LessonStatus.PRIVATE, LessonStatus.RETURNED):
        raise LessonRefused(_("This lesson is already shared."))
    lesson.status = LessonStatus.AWAITING_REVIEW
    lesson.show_name = show_name
    lesson.shared_at, lesson.shared_by = timezone.now(), user
    return _save(lesson, user, "shared")


@transaction.atomic
def lesson_withdraw(*, lesson: Lesson, user, revision: int) -> Lesson:
    """Take a shared, returned or published lesson back: private again."""
    lesson = _locked(lesson, revision)
    if lesson.status == LessonStatus.PRIVATE:
        raise LessonRefused(_("This lesson is already private."))
    lesson.status = LessonStatus.PRIVATE
    return _save(lesson, user, "withdrawn")


@transaction.atomic
def lesson_publish(*, lesson: Lesson, user, revision: int) -> Lesson:
    """An administrator publishes a lesson awaiting review: it appears in the library."""
    lesson = _locked(lesson, revision)
    if lesson.status != LessonStatus.AWAITING_REVIEW:
        raise LessonRefused(_("This lesson is not awaiting review."))
    now = timezone.now()
    lesson.status = LessonStatus.PUBLISHED
    lesson.review_note = ""
    lesson.reviewed_at, lesson.reviewed_by, lesson.published_at = now, user, now
    return _save(lesson, user, "published")


@transaction.atomic
def lesson_return(*, lesson: Lesson, user, note: str, revision: int) -> Lesson:
    """An administrator returns a lesson to its partnership with a note (it sees it)."""
    lesson = _locked(lesson, revision)
    if lesson.status != LessonStatus.AWAITING_REVIEW:
        raise LessonRefused(_("This lesson is not awaiting review."))
    lesson.status = LessonStatus.RETURNED
    lesson.review_note = note
    lesson.reviewed_at, lesson.reviewed_by = timezone.now(), user
    return _save(lesson, user, "returned")


@transaction.atomic
def research_lessons_load(*, path: Path = RESEARCH_FILE) -> tuple[int, int]:
    """Load the research's examples (idempotent): returns (created, updated). An example
    is found again by its name; its text, area, kind, codes and citation follow the
    file."""
    doc = json.loads(Path(path).read_text(encoding="utf-8"))
    created = updated = 0
    for example in doc["examples"]:
        values = {"tried": example["nature"], "research_area": example["area"],
                  "kind": example["kind"], "citation": doc["citation"],
                  "language": "en-gb", "status": LessonStatus.PUBLISHED, "happened": "",
                  "differently": "", "show_name": True}
        lesson = (Lesson.objects.select_for_update()
                  .filter(source=LessonSource.RESEARCH, title=example["name"]).first())
        codes = list(example["codes"])
        if lesson is None:
            lesson = Lesson(source=LessonSource.RESEARCH, title=example["name"], **values)
            lesson._change_reason = "loaded from the research"
            lesson.save()
            LessonCode.objects.bulk_create(LessonCode(lesson=lesson, code=c) for c in codes)
            created += 1
            continue
        changed = any(getattr(lesson, k) != v for k, v in values.items())
        if changed:
            for k, v in values.items():
                setattr(lesson, k, v)
            _save(lesson, None, "reloaded from the research")
        if list(lesson.codes.order_by("id").values_list("code", flat=True)) != codes:
            lesson.codes.all().delete()
            LessonCode.objects.bulk_create(LessonCode(lesson=lesson, code=c) for c in codes)
            changed = True
        updated += changed
    return created, updated
