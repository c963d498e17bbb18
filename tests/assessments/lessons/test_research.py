"""The six examples the 2015 research names, loaded from fixtures/lessons_research.json."""

import json
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from assessments.lessons.models import Lesson, LessonStatus
from assessments.lessons.services import RESEARCH_FILE, research_lessons_load

NAMES = {
    "'H3' partnership": ("Sharing back-office", "shared_back_office"),
    "Shared Services arrangement": ("Organisational integration", "organisational_integration"),
    "Joint Ambulance Conveyance Project": ("Co-responding", "co_responding"),
    "Joint Public Service Centre and the Multi Agency Information Transfer (MAIT)":
        ("Interoperability", "interoperability"),
    "Public Service Transformation Network":
        ("Reducing overlap between the emergency services", "reducing_overlap"),
    "Community Risk Intervention Teams (CRIT)":
        ("Wider approach to prevention activities", "prevention"),
}


def test_six_examples_with_the_research_names_and_citation(db):
    assert research_lessons_load() == (6, 0)
    lessons = Lesson.objects.filter(source="research").prefetch_related("codes")
    assert {lesson.title: (lesson.tried, lesson.kind) for lesson in lessons} == NAMES
    for lesson in lessons:
        assert lesson.partnership is None and lesson.status == LessonStatus.PUBLISHED
        assert "Skills for Justice for the Emergency Services Collaboration Working Group" \
            in lesson.citation and "2015" in lesson.citation
        assert lesson.language == "en-gb"
        assert lesson.happened == "" and lesson.differently == ""  # no invented detail
        assert [c.code for c in lesson.codes.all()]
        assert all(c.code.startswith("O") for c in lesson.codes.all())
    codes = {lesson.title: sorted(c.code for c in lesson.codes.all()) for lesson in lessons}
    assert codes["'H3' partnership"] == ["O1"]
    assert codes["Joint Public Service Centre and the Multi Agency Information Transfer "
                 "(MAIT)"] == ["O4", "O7"]


def test_every_name_nature_and_area_is_in_the_seeds(db):
    """Nothing in the fixture's research words is ours: each is in the seed text."""
    folder = settings.BASE_DIR.parent / "shared" / "seeds"
    if not folder.is_dir():
        pytest.skip("the research summaries (../shared/seeds) are not beside this clone")
    seeds = " ".join(p.read_text(encoding="utf-8") for p in folder.glob("*.txt"))
    doc = json.loads(RESEARCH_FILE.read_text(encoding="utf-8"))
    for example in doc["examples"]:
        for key in ("name", "nature", "area"):
            assert example[key] in seeds, example[key]


def test_loading_twice_changes_nothing_and_the_command_says_so(db):
    out = StringIO()
    call_command("load_lessons", stdout=out)
    assert "6 added, 0 updated" in out.getvalue()
    history = Lesson.history.count()
    out = StringIO()
    call_command("load_lessons", stdout=out)
    assert "0 added, 0 updated" in out.getvalue()
    assert Lesson.objects.filter(source="research").count() == 6
    assert Lesson.history.count() == history


def test_a_changed_example_is_updated(db):
    research_lessons_load()
    Lesson.objects.filter(title="'H3' partnership").update(tried="typo")
    assert research_lessons_load() == (0, 1)
    assert Lesson.objects.get(title="'H3' partnership").tried == "Sharing back-office"


def test_the_library_shows_them_marked_as_research_with_the_citation(world, login):
    research_lessons_load()
    client = login(world.user("rita"))
    html = client.get(reverse("lessons:library")).content.decode()
    assert "6 lessons" in html
    assert html.count("Example from the research") == 6
    lesson = Lesson.objects.get(title="Community Risk Intervention Teams (CRIT)")
    page = client.get(reverse("lessons:detail", args=[lesson.pk])).content.decode()
    assert "Wider approach to prevention activities" in page
    assert "Emerging best practice" in page
    assert "Skills for Justice for the Emergency Services Collaboration Working Group" in page
    assert "the research gives no further detail of it here" in page
