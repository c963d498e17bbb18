"""Words for people about lessons, made with gettext at the edge: how an anonymous
lesson is described ("A partnership of fire and ambulance services in Wales
(co-responding)") from its partnership's kind, its agencies' services and nations, and
who a lesson is from. Never the partnership's name unless its leads chose it."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.models import CollaborationKind
from bluelight.choices import Service

# The services in the order they are named, each as a word and as "and <word>" (so a
# language can mutate or choose its own conjunction: Welsh "a thân", "ac ambiwlans").
SERVICE_ORDER = [s.value for s in Service]
SERVICE_WORDS = {
    "police": (gettext_lazy("police"), gettext_lazy("and police")),
    "fire": (gettext_lazy("fire"), gettext_lazy("and fire")),
    "ambulance": (gettext_lazy("ambulance"), gettext_lazy("and ambulance")),
    "local_authority": (gettext_lazy("local authority"), gettext_lazy("and local authority")),
    "other": (gettext_lazy("other"), gettext_lazy("and other")),
}


def services_phrase(services) -> str:
    """E.g. "police, fire and ambulance", from service codes (any order, repeats)."""
    codes = [c for c in SERVICE_ORDER if c in set(services)]
    if not codes:
        return ""
    words = [str(SERVICE_WORDS[c][0]) for c in codes]
    if len(words) == 1:
        return words[0]
    return ", ".join(words[:-1]) + " " + str(SERVICE_WORDS[codes[-1]][1])


def kind_label(kind: str) -> str:
    try:
        return str(CollaborationKind(kind).label).lower()
    except ValueError:
        return ""


def anonymous_description(*, kind: str, services, nations) -> str:
    """How a partnership appears when its leads chose not to be named."""
    services = services_phrase(services)
    nations = {n for n in nations if n}
    if nations == {"Wales"}:
        text = (_("A partnership of %(services)s services in Wales") if services
                else _("A partnership in Wales"))
    elif nations == {"England"}:
        text = (_("A partnership of %(services)s services in England") if services
                else _("A partnership in England"))
    elif nations:
        text = (_("A partnership of %(services)s services in England and Wales") if services
                else _("A partnership in England and Wales"))
    else:
        text = _("A partnership of %(services)s services") if services else _("A partnership")
    text = text % {"services": services} if services else text
    label = kind_label(kind)
    return _("%(who)s (%(kind)s)") % {"who": text, "kind": label} if label else text


def partnership_facts(partnership) -> tuple[list[str], list[str]]:
    """The services and nations of a partnership's agencies (``memberships`` prefetched
    with their agency)."""
    agencies = [m.agency for m in partnership.memberships.all()]
    return [a.service for a in agencies], [a.nation for a in agencies]


def lesson_from(lesson) -> str:
    """Who a lesson is from, as the library shows it."""
    if lesson.partnership_id is None:
        return _("Example from the research")
    if lesson.show_name:
        return lesson.partnership.name
    services, nations = partnership_facts(lesson.partnership)
    return anonymous_description(kind=lesson.partnership.kind, services=services,
                                 nations=nations)
