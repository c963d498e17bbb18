"""Demo data of assessments.lessons for `manage.py load_demo` (called by
`assessments.demo.demo_load` after the partnerships, rounds and answers exist)."""

from django.contrib.auth import get_user_model
from django.utils import timezone

from assessments.models import Partnership

from .models import Lesson, LessonCode, LessonSource, LessonStatus
from .services import research_lessons_load

# (partnership, title, status, named, codes, tried, happened, differently, from, to, lead)
LESSONS = [
    ("Northshire Shared Services", "One HR and payroll team for three employers", "published",
     True, ["O1", "B3", "E6"],
     "We moved police, fire and council HR and payroll into one team with one system.",
     "Payroll errors fell after the first year, but the move took six months longer than "
     "planned because each employer had its own pay rules.",
     "Agree the pay rules to keep and to harmonise before choosing the system.",
     "2024-04-01", "2025-03-31", "lead.northshire.police"),
    ("Northshire Shared Services", "Sharing performance data monthly", "private", False,
     ["O2", "O7"],
     "A monthly pack of shared indicators for the joint board.",
     "The first packs were late: each service counted incidents differently.", "",
     "2026-01-01", None, "lead.northshire.fire"),
    ("Eastvale Co-responding", "Co-responding on night shifts first", "published", False,
     ["O9", "O12", "B4"],
     "Fire crews co-responded to medical calls on night shifts only, for a year, before "
     "extending to days.",
     "Crews and the representative bodies were consulted early; the night-only start let "
     "the joint training keep up.",
     "Start the joint training a quarter earlier.",
     "2025-01-01", "2025-12-31", "lead.eastvale.fire"),
    ("Eastvale Co-responding", "Joint protocol for patient handover", "private", False,
     ["O8"],
     "A single handover protocol between firefighters and paramedics.", "", "",
     "2026-06-01", None, "lead.eastvale.ambulance"),
    ("Glanmor Tri-service Control Room", "Shared incident log before co-location",
     "published", False, ["O4", "O7", "E2"],
     "A shared incident log between the three control rooms, ahead of moving into one "
     "building.",
     "Dispatchers saw each other's incidents in real time; duplicate dispatches fell.",
     "Agree the common incident types before switching the log on.",
     "2026-03-01", "2026-08-31", "lead.glanmor.police"),
    ("Glanmor Tri-service Control Room", "Joint exercise calendar", "private", False,
     ["O12"], "One calendar of joint exercises for the three services and the council.",
     "", "", "2026-11-01", None, "lead.glanmor.fire"),
]


def seed() -> None:
    """Idempotent: running it twice changes nothing."""
    research_lessons_load()
    users = {u.username: u for u in get_user_model().objects.filter(
        username__in=[row[-1] for row in LESSONS])}
    partnerships = {p.name: p for p in Partnership.objects.filter(
        name__in=[row[0] for row in LESSONS])}
    now = timezone.now()
    for (name, title, status, named, codes, tried, happened, differently, start, end,
         lead) in LESSONS:
        partnership = partnerships.get(name)
        if partnership is None or Lesson.objects.filter(partnership=partnership,
                                                        title=title).exists():
            continue
        published = status == LessonStatus.PUBLISHED
        lesson = Lesson.objects.create(
            partnership=partnership, source=LessonSource.PARTNERSHIP, title=title,
            tried=tried, happened=happened, differently=differently, tried_from=start,
            tried_to=end, status=status, show_name=named, language="en-gb",
            created_by=users.get(lead), shared_at=now if published else None,
            shared_by=users.get(lead) if published else None,
            reviewed_at=now if published else None, published_at=now if published else None)
        LessonCode.objects.bulk_create(LessonCode(lesson=lesson, code=c) for c in codes)
