"""The demo's actions, the link on a lead's home page, and the admin pages."""

from django.urls import reverse
from django.utils import timezone

from assessments.actions import demo
from assessments.actions.models import Action, ActionNote
from assessments.actions.services import action_create


def test_the_leads_home_links_to_each_partnerships_actions(world, login):
    html = login(world.user("alice")).get(reverse("home")).content.decode()
    url = reverse("actions:list", kwargs={"partnership_id": world.partnerships["Alpha"].pk})
    assert f'href="{url}"' in html and "Actions of Alpha" in html
    assert html.count(f'href="{url}"') == 1
    beta = reverse("actions:list", kwargs={"partnership_id": world.partnerships["Beta"].pk})
    assert beta not in html


def test_the_demo_partnerships_get_actions_once(world):
    from assessments.demo import demo_load

    demo_load()  # calls demo.seed() at its end
    counts = {name: Action.objects.filter(partnership__name=name).count()
              for name in ("Northshire Shared Services", "Eastvale Co-responding",
                           "Glanmor Tri-service Control Room")}
    assert all(2 <= n <= 4 for n in counts.values()), counts
    northshire = Action.objects.filter(partnership__name="Northshire Shared Services")
    assert all(a.from_round and a.from_round.title == "Baseline 2025" for a in northshire)
    today = timezone.localdate()
    for name in counts:
        actions = list(Action.objects.filter(partnership__name=name))
        assert sum(a.is_overdue(today) for a in actions) == 1, name
        done = [a for a in actions if a.status == Action.Status.DONE]
        assert done and all(a.done_on and a.notes.exists() for a in done), name
        assert all(a.owner and a.history.count() >= 2 for a in actions), name
        assert all(n.on_day <= today for n in ActionNote.objects.filter(action__in=actions))
    before = (Action.objects.count(), ActionNote.objects.count())
    demo.seed()
    assert (Action.objects.count(), ActionNote.objects.count()) == before


def test_the_admin_lists_actions_with_their_history_and_notes(world, login):
    action = action_create(partnership=world.partnerships["Alpha"], user=world.user("alice"),
                           title="Agree the budget")
    ActionNote.objects.create(action=action, text="Met", author=world.user("alice"))
    client = login(world.user("adam"))
    assert "Agree the budget" in client.get(
        reverse("admin:assessments_action_changelist")).content.decode()
    change = client.get(reverse("admin:assessments_action_change", args=[action.pk]))
    assert change.status_code == 200 and "Met" in change.content.decode()
    history = client.get(reverse("admin:assessments_action_history", args=[action.pk]))
    assert history.status_code == 200 and "alice" in history.content.decode()
