"""Administrators maintain definitions in the admin; every change is recorded."""

from django.urls import reverse

from survey.framework.services import framework_new_draft
from survey.models import Framework, Item


def item_form_data(item, **changes):
    data = {
        "framework": item.framework_id, "kind": item.kind, "code": item.code,
        "title": item.title, "description": item.description, "help_text": item.help_text,
        "order": item.order, "theme": item.theme, "weight": item.weight,
        "published_level": item.published_level or "",
        "enablers": [e.pk for e in item.enablers.all()],
        "barriers": [b.pk for b in item.barriers.all()],
    }
    data.update(changes)
    return data


def test_admin_edit_of_a_draft_is_recorded_in_history(world, login):
    client = login(world.user("adam"))
    draft = framework_new_draft(framework=world.framework)
    item = draft.items.get(code="E2")
    url = reverse("admin:survey_item_change", args=[item.pk])
    response = client.post(url, item_form_data(item, help_text="Trust, chiefs to crews."))
    assert response.status_code == 302, response.content.decode()[:2000]
    item.refresh_from_db()
    assert item.help_text == "Trust, chiefs to crews."
    latest = item.history.latest()
    assert latest.history_user == world.user("adam")
    assert latest.history_type == "~"
    history_page = client.get(reverse("admin:survey_item_history", args=[item.pk]))
    assert history_page.status_code == 200
    assert "adam" in history_page.content.decode()


def test_published_item_is_read_only_in_the_admin(world, login):
    client = login(world.user("adam"))
    item = world.framework.items.get(code="E2")
    url = reverse("admin:survey_item_change", args=[item.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="help_text"' not in page.content.decode()  # shown, not editable
    response = client.post(url, item_form_data(item, help_text="Sneaky edit"))
    assert response.status_code == 403
    assert client.post(reverse("admin:survey_item_delete", args=[item.pk]),
                       {"post": "yes"}).status_code == 403
    item.refresh_from_db()
    assert item.help_text != "Sneaky edit"


def test_admin_delete_of_an_answered_item_is_refused_with_a_message(world, login):
    from assessments.models import Answer, Submission

    client = login(world.user("adam"))
    draft = framework_new_draft(framework=world.framework)
    item = draft.items.get(code="B4")
    submission = Submission.objects.create(round=world.rounds["Alpha"],
                                           agency=world.agencies["Alpha Police"])
    Answer.objects.create(submission=submission, item=item, value=2)
    page = client.post(reverse("admin:survey_item_delete", args=[item.pk]), {"post": "yes"},
                       follow=True)
    assert Item.objects.filter(pk=item.pk).exists()
    assert "protected" in page.content.decode().lower() or "cannot be deleted" in (
        page.content.decode())


def test_admin_actions_create_a_draft_and_publish_it(world, login):
    client = login(world.user("adam"))
    changelist = reverse("admin:survey_framework_changelist")
    client.post(changelist, {"action": "create_new_draft",
                             "_selected_action": [world.framework.pk]})
    draft = Framework.objects.get(code=world.framework.code, version=2)
    assert draft.status == "draft" and draft.items.count() == 33
    page = client.post(changelist, {"action": "publish", "_selected_action": [draft.pk]},
                       follow=True)
    assert "Rounds already opened keep their version" in page.content.decode()
    assert Framework.objects.current() == draft
