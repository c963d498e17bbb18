"""Reads for lessons: whose lessons a user may open, the "what works" library with its
filters, the review queue, and the framework's options and factors to choose from."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery

from assessments.models import Membership, Partnership
from bluelight.roles import is_administrator, is_lead
from survey.models import Framework, Item

from .models import Lesson, LessonCode, LessonSource, LessonStatus

# --------------------------------------------------------------------------- access


def lesson_partnership_for(*, user, partnership_id: int) -> Partnership | None:
    """The partnership whose lessons ``user`` may read (one query), with ``is_partner``
    (the user leads one of its agencies: may also write). None: not theirs (a 404)."""
    partnership = (Partnership.objects.filter(pk=partnership_id)
                   .annotate(is_partner=Exists(Membership.objects.filter(
                       partnership=OuterRef("pk"), leads=user.pk)))
                   .first())
    if partnership is None:
        return None
    if (is_lead(user) and partnership.is_partner) or is_administrator(user):
        return partnership
    return None


def partnership_lessons(*, partnership: Partnership) -> list[Lesson]:
    """A partnership's lessons, newest first, with their codes (two queries)."""
    return list(partnership.lessons.select_related("created_by")
                .prefetch_related(_codes()).order_by("-updated_at", "-id"))


def partnership_lesson(*, partnership: Partnership, lesson_id: int) -> Lesson | None:
    return (Lesson.objects.filter(partnership=partnership, pk=lesson_id)
            .prefetch_related(_codes()).first())


# --------------------------------------------------------------------------- library


def _codes():
    return Prefetch("codes", queryset=LessonCode.objects.order_by("id"))


def _with_who(lessons: QuerySet[Lesson]) -> QuerySet[Lesson]:
    """Lessons with what ``wording.lesson_from`` needs: partnership, its agencies."""
    return lessons.select_related("partnership").prefetch_related(
        _codes(), Prefetch("partnership__memberships",
                           queryset=Membership.objects.select_related("agency")
                           .order_by("agency__name")))


def in_library() -> Q:
    return Q(source=LessonSource.RESEARCH) | Q(status=LessonStatus.PUBLISHED)


@dataclass(frozen=True)
class LibraryFilters:
    option: str = ""
    factor: str = ""
    kind: str = ""
    service: str = ""
    nation: str = ""
    q: str = ""

    @property
    def any(self) -> bool:
        return any((self.option, self.factor, self.kind, self.service, self.nation, self.q))


def _agencies_with(**agency) -> Exists:
    return Exists(Membership.objects.filter(
        partnership=OuterRef("partnership"), **{f"agency__{k}": v for k, v in agency.items()}))


def library_lessons(*, filters: LibraryFilters) -> QuerySet[Lesson]:
    """Published lessons and the research's examples, filtered; newest first, research
    examples last. A free-text search never matches an anonymous lesson's partnership
    name (it would give away who wrote it)."""
    lessons = Lesson.objects.filter(in_library())
    if filters.option:
        lessons = lessons.filter(Exists(LessonCode.objects.filter(
            lesson=OuterRef("pk"), code=filters.option)))
    if filters.factor:
        lessons = lessons.filter(Exists(LessonCode.objects.filter(
            lesson=OuterRef("pk"), code=filters.factor)))
    if filters.kind:
        lessons = lessons.filter(Q(partnership__kind=filters.kind)
                                 | Q(partnership__isnull=True, kind=filters.kind))
    if filters.service:
        lessons = lessons.filter(_agencies_with(service=filters.service))
    if filters.nation:
        lessons = lessons.filter(_agencies_with(nation=filters.nation))
    for word in filters.q.split()[:10]:
        lessons = lessons.filter(
            Q(title__icontains=word) | Q(tried__icontains=word)
            | Q(happened__icontains=word) | Q(differently__icontains=word)
            | Q(research_area__icontains=word)
            | Q(show_name=True, partnership__name__icontains=word))
    return _with_who(lessons).order_by("source", "-published_at", "-id")


def library_lesson(*, lesson_id: int) -> Lesson | None:
    """One lesson of the library (published, or a research example); None otherwise."""
    return _with_who(Lesson.objects.filter(in_library(), pk=lesson_id)).first()


def review_queue() -> list[Lesson]:
    """Lessons shared and awaiting an administrator's review, oldest first."""
    return list(_with_who(Lesson.objects.filter(status=LessonStatus.AWAITING_REVIEW))
                .select_related("shared_by").order_by("shared_at", "id"))


def lesson_for_review(*, lesson_id: int) -> Lesson | None:
    return _with_who(Lesson.objects.filter(
        pk=lesson_id, source=LessonSource.PARTNERSHIP)).select_related("shared_by").first()


# --------------------------------------------------------------------------- framework


def framework_items() -> dict[str, list[tuple[str, str]]]:
    """The current framework's options and factors as (code, "code title") pairs, by
    kind ("option", "factor"), in one query."""
    current = (Framework.objects.published().order_by("-published_at", "-version")
               .values("pk")[:1])
    found: dict[str, list[tuple[str, str]]] = {"option": [], "factor": []}
    for item in Item.objects.filter(framework=Subquery(current)).order_by("order", "id"):
        found["option" if item.kind == Item.Kind.OPTION else "factor"].append(
            (item.code, f"{item.code} {item.title}"))
    return found


def option_lesson_counts(*, codes, exclude_partnership_id: int | None) -> dict[str, dict]:
    """For each option code, the published lessons of other partnerships and the research
    examples about it, in one query: ``{"O1": {"others": 3, "research": 1}}``."""
    rows = (LessonCode.objects.filter(code__in=list(codes))
            .filter(Q(lesson__source=LessonSource.RESEARCH)
                    | Q(lesson__status=LessonStatus.PUBLISHED))
            .exclude(lesson__partnership_id=exclude_partnership_id or 0)
            .values("code")
            .annotate(others=Count("lesson", filter=Q(lesson__partnership__isnull=False)),
                      research=Count("lesson", filter=Q(lesson__partnership__isnull=True)))
            .order_by())
    return {r["code"]: {"others": r["others"], "research": r["research"]} for r in rows}
