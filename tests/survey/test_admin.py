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
    page = client.post(changelist, {"action": "publish", "_selected_action": [draft.pk],
                                    "confirm": "yes"}, follow=True)
    assert "Rounds already opened keep their version" in page.content.decode()
    assert Framework.objects.current() == draft


# --------------------------------------------------------------------------- issue 12


def publish(client, framework, **extra):
    return client.post(reverse("admin:survey_framework_changelist"),
                       {"action": "publish", "_selected_action": [framework.pk], **extra})


def test_a_draft_links_to_its_own_items(world, login):
    client = login(world.user("adam"))
    draft = framework_new_draft(framework=world.framework)
    html = client.get(reverse("admin:survey_framework_change", args=[draft.pk])).content.decode()
    url = reverse("admin:survey_item_changelist") + f"?framework__id__exact={draft.pk}"
    assert f'<a href="{url}">Items of this version (33)</a>' in html
    items = client.get(url).content.decode()
    assert items.count('class="action-checkbox"') == 33


def test_publishing_asks_first_and_shows_what_changed(world, login):
    client = login(world.user("adam"))
    draft = framework_new_draft(framework=world.framework)
    Item.objects.filter(framework=draft, code="E2").update(title="Trust, chiefs to crews")
    draft.items.get(code="O20").delete()
    o1 = draft.items.get(code="O1")
    o1.enablers.remove(draft.items.get(code="E6"))
    Item.objects.filter(pk=o1.pk).update(published_level=2)
    Item.objects.create(framework=draft, kind="enabler", code="E8", title="Shared data",
                        theme="consistency", order=99)
    Framework.objects.filter(pk=draft.pk).update(support_share_min=0.8)
    draft.scales.filter(kind="option").update(label_5="Fully support")

    page = publish(client, draft)
    assert page.status_code == 200
    html = page.content.decode()
    draft.refresh_from_db()
    assert draft.status == "draft"  # nothing published yet
    assert "Compared with the published version 1" in html
    assert "1 item added" in html and "E8 Shared data" in html
    assert "1 item removed" in html and "O20 Police devolution" in html
    assert "2 items changed" in html
    changes = html[html.index('class="changes-items"'):]
    assert "Trust at all levels" in changes and "Trust, chiefs to crews" in changes
    assert "E1, E3, E6" in changes and "E1, E3</td>" in changes
    assert "Level 1" in changes and "Level 2" in changes
    settings_ = html[html.index('class="changes-settings"'):]
    assert "Share of supporters needed (0–1)" in settings_
    assert "0.75" in settings_ and "0.8" in settings_
    assert "Collaboration option scale: 5" in settings_ and "Fully support" in settings_
    assert 'name="confirm" value="yes"' in html

    page = publish(client, draft, confirm="yes")
    assert page.status_code == 302
    draft.refresh_from_db()
    assert draft.status == "published"


def test_publishing_an_unchanged_draft_says_so(world, login):
    client = login(world.user("adam"))
    draft = framework_new_draft(framework=world.framework)
    html = publish(client, draft).content.decode()
    assert "Nothing has changed" in html


def test_a_draft_with_problems_cannot_be_confirmed(world, login):
    client = login(world.user("adam"))
    draft = framework_new_draft(framework=world.framework)
    draft.scales.filter(kind="barrier").delete()
    html = publish(client, draft).content.decode()
    assert "This draft cannot be published yet" in html
    assert "The rating scale for barrier is missing." in html
    assert 'name="confirm"' not in html


def test_delete_selected_is_not_offered_for_frameworks(world, login):
    client = login(world.user("adam"))
    draft = framework_new_draft(framework=world.framework)
    changelist = reverse("admin:survey_framework_changelist")
    html = client.get(changelist).content.decode()
    assert 'value="delete_selected"' not in html
    client.post(changelist, {"action": "delete_selected", "post": "yes",
                             "_selected_action": [world.framework.pk, draft.pk]})
    assert Framework.objects.filter(pk__in=[world.framework.pk, draft.pk]).count() == 2
    # The published version in use has no delete button; an unused draft has.
    used = client.get(reverse("admin:survey_framework_change", args=[world.framework.pk]))
    assert "deletelink" not in used.content.decode()
    assert client.get(reverse("admin:survey_framework_delete",
                              args=[world.framework.pk])).status_code == 403
    assert "deletelink" in client.get(reverse("admin:survey_framework_change",
                                              args=[draft.pk])).content.decode()


def test_a_version_open_rounds_still_use_is_not_called_retired(world, login):
    import re

    from assessments.models import Round

    client = login(world.user("adam"))
    draft = framework_new_draft(framework=world.framework)
    publish(client, draft, confirm="yes")

    def statuses():
        html = client.get(reverse("admin:survey_framework_changelist")).content.decode()
        return re.findall(r'<td class="field-status_label">([^<]*)</td>', html)

    assert statuses() == ["Published", "Superseded, still used by 2 open rounds"]
    Round.objects.filter(partnership__name="Beta").update(status="closed")
    assert statuses() == ["Published", "Superseded, still used by 1 open round"]
    Round.objects.update(status="closed")
    assert statuses() == ["Published", "Retired"]


def test_the_code_and_version_of_a_draft_are_read_only(world, login):
    client = login(world.user("adam"))
    draft = framework_new_draft(framework=world.framework)
    url = reverse("admin:survey_framework_change", args=[draft.pk])
    html = client.get(url).content.decode()
    assert 'name="code"' not in html and 'name="version"' not in html
    assert 'name="title"' in html  # the rest of a draft stays editable
    # A new framework gets its code and version when it is added.
    add = client.get(reverse("admin:survey_framework_add")).content.decode()
    assert 'name="code"' in add and 'name="version"' in add


def test_times_in_the_admin_are_24_hour(world, login, settings):
    import datetime

    from django.utils import formats, timezone, translation

    Framework.objects.filter(pk=world.framework.pk).update(
        published_at=datetime.datetime(2026, 3, 5, 14, 30, tzinfo=datetime.UTC))
    client = login(world.user("adam"))
    html = client.get(reverse("admin:survey_framework_changelist")).content.decode()
    assert "5 Mar 2026, 14:30" in html
    assert "p.m." not in html
    moment = timezone.make_aware(datetime.datetime(2026, 12, 2, 9, 5))
    with translation.override("cy"):
        assert formats.date_format(moment, "DATETIME_FORMAT") == "2 Rhagfyr 2026, 09:05"
        assert formats.time_format(moment.time(), "TIME_FORMAT") == "09:05"
    with translation.override("en-gb"):
        assert formats.date_format(moment, "SHORT_DATETIME_FORMAT") == "02/12/2026 09:05"
