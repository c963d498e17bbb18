import pytest

from assessments.lessons.models import Lesson, LessonCode


@pytest.fixture
def make_lesson(world):
    """``make_lesson("Alpha", "Title", codes=["O1"], status="published", show_name=True)``."""

    def _make(partnership, title, *, codes=("O1",), tried="What we tried", **fields):
        lesson = Lesson.objects.create(partnership=world.partnerships[partnership],
                                       title=title, tried=tried, **fields)
        LessonCode.objects.bulk_create(LessonCode(lesson=lesson, code=c) for c in codes)
        return lesson

    return _make
