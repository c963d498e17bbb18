"""Access-matrix rows of assessments.lessons (merged into tests/test_access_matrix.py).

Kwargs functions may create what the URL needs (idempotently, get_or_create): the
matrix calls them before it counts rows, so a refused POST still must change nothing.

The library is for every role; a partnership's lessons for its leads (read, write) and
administrators (read only): Beta's lead (``other``) gets 404, researchers 403; the
review queue is for administrators only.
"""

from tests.access_kit import Page, expect

ROLE_FIRST_405 = {"anon": "login", "none": "403", "lead_a": "405", "lead_b": "405",
                  "other": "405", "research": "405", "admin": "405"}
ADMIN_ONLY = expect(lead_a="403", lead_b="403", other="403", research="403")
ADMIN_ONLY_405 = ADMIN_ONLY | {"admin": "405"}
PARTNER_READ = expect(other="404", research="403")
PARTNER_READ_405 = ROLE_FIRST_405 | {"research": "403"}
PARTNER_WRITE = expect(other="404", research="403", admin="403")


def _lesson(w, title, **fields):
    from assessments.lessons.models import Lesson, LessonCode

    lesson, created = Lesson.objects.get_or_create(
        partnership=w.partnerships["Alpha"], title=title,
        defaults={"tried": "Something we tried", **fields})
    if created:
        LessonCode.objects.create(lesson=lesson, code="O1")
    return lesson


def _private(w):
    return {"partnership_id": w.partnerships["Alpha"].pk,
            "lesson_id": _lesson(w, "Matrix private lesson").pk}


def _published(w):
    return {"lesson_id": _lesson(w, "Matrix published lesson", status="published").pk}


def _awaiting(w):
    return {"lesson_id": _lesson(w, "Matrix shared lesson", status="awaiting_review").pk}


def _alpha(w):
    return {"partnership_id": w.partnerships["Alpha"].pk}


def _revision(title):
    def data(w):
        from assessments.lessons.models import Lesson

        return {"revision": Lesson.objects.get(title=title).revision}
    return data


def _edit_data(w):
    return {"title": "Matrix private lesson", "tried": "Changed", "options": ["O1"],
            **_revision("Matrix private lesson")(w)}


PAGES: dict[str, Page] = {
    "lessons:library": Page(lambda w: {}, expect(), ROLE_FIRST_405),
    "lessons:detail": Page(_published, expect(), ROLE_FIRST_405),
    "lessons:review_queue": Page(lambda w: {}, ADMIN_ONLY, ADMIN_ONLY_405),
    "lessons:review": Page(_awaiting, ADMIN_ONLY, ADMIN_ONLY,
                           data=lambda w: {"decision": "publish",
                                           **_revision("Matrix shared lesson")(w)}),
    "lessons:list": Page(_alpha, PARTNER_READ, PARTNER_READ_405),
    "lessons:lesson": Page(_private, PARTNER_READ, PARTNER_READ_405),
    "lessons:new": Page(_alpha, PARTNER_WRITE, PARTNER_WRITE,
                        data=lambda w: {"title": "New from the matrix", "tried": "x",
                                        "options": ["O2"]}),
    "lessons:edit": Page(_private, PARTNER_WRITE, PARTNER_WRITE, data=_edit_data),
    "lessons:share": Page(_private, PARTNER_WRITE, PARTNER_WRITE,
                          data=lambda w: {"show_name": "anonymous",
                                          **_revision("Matrix private lesson")(w)}),
    "lessons:withdraw": Page(_private, PARTNER_READ_405, PARTNER_WRITE,
                             data=_revision("Matrix private lesson")),
}
