"""The Welsh catalogue is complete and compiled, and the language switcher keeps your place."""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.urls import reverse

PO = Path(settings.BASE_DIR) / "locale" / "cy" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w+\}")


@pytest.fixture(scope="module")
def catalogue():
    return polib.pofile(str(PO))


def test_every_message_has_a_welsh_translation(catalogue):
    assert len(catalogue) > 700
    assert catalogue.percent_translated() == 100, [e.msgid for e in
                                                   catalogue.untranslated_entries()][:10]
    assert not catalogue.fuzzy_entries(), [e.msgid for e in catalogue.fuzzy_entries()][:10]
    assert not catalogue.obsolete_entries()


def test_plurals_fill_all_six_welsh_forms(catalogue):
    assert catalogue.metadata["Plural-Forms"].startswith("nplurals=6;")
    plurals = [e for e in catalogue if e.msgid_plural]
    assert plurals
    for entry in plurals:
        assert sorted(entry.msgstr_plural) == list(range(6)), entry.msgid
        assert all(form.strip() for form in entry.msgstr_plural.values()), entry.msgid


def test_translations_keep_every_placeholder(catalogue):
    for entry in catalogue:
        wanted = set(PLACEHOLDER.findall(entry.msgid + (entry.msgid_plural or "")))
        forms = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        for form in forms:
            assert set(PLACEHOLDER.findall(form)) <= wanted, (entry.msgid, form)
            if not entry.msgid_plural:
                assert set(PLACEHOLDER.findall(form)) == wanted, (entry.msgid, form)


def test_the_header_says_the_catalogue_needs_review(catalogue):
    assert "needs review by a Welsh speaker" in catalogue.header


def test_the_compiled_catalogue_matches_the_source(catalogue):
    """Catches a .po edited without running compilemessages."""
    compiled = {(e.msgctxt, e.msgid): (e.msgstr or e.msgstr_plural)
                for e in polib.mofile(str(MO))}
    for entry in catalogue:
        key = (entry.msgctxt, entry.msgid)
        assert key in compiled, f"not compiled: {entry.msgid!r}"
        if entry.msgid_plural:
            assert compiled[key] == entry.msgstr_plural, entry.msgid
        else:
            assert compiled[key] == entry.msgstr, entry.msgid


# --------------------------------------------------------------------------- switching


def switch(client, language, next_url):
    response = client.post(reverse("set_language"), {"language": language, "next": next_url})
    assert response.status_code == 302
    assert response["Location"] == next_url
    return client.get(next_url)


@pytest.mark.django_db
def test_switching_to_welsh_on_the_questionnaire_keeps_the_page(login, world):
    client = login(world.user("bob"))
    url = reverse("questionnaire:section", args=[world.rounds["Alpha"].pk,
                                                 world.agencies["Alpha Fire"].pk, "enablers"])
    english = client.get(url).content.decode()
    assert '<html lang="en-gb">' in english
    assert "Evidence (optional)" in english
    assert f'<input type="hidden" name="next" value="{url}">' in english
    assert re.search(r'<button[^>]*name="language" value="cy" lang="cy"[^>]*>Cymraeg</button>',
                     english)

    welsh = switch(client, "cy", url).content.decode()
    assert '<html lang="cy">' in welsh
    assert "Tystiolaeth (dewisol)" in welsh
    assert "Cadw'r drafft" in welsh
    assert "Adran 1 o 3" in welsh
    assert "Evidence (optional)" not in welsh
    assert re.search(r'<button[^>]*value="en-gb" lang="en-GB"[^>]*>English</button>', welsh)

    back = switch(client, "en-gb", url).content.decode()
    assert "Evidence (optional)" in back and "Tystiolaeth" not in back


@pytest.mark.django_db
def test_the_switcher_keeps_the_query_string_and_refuses_other_sites(client):
    url = reverse("framework:page") + "?x=1"
    page = client.get(url).content.decode()
    assert f'name="next" value="{url}"' in page
    assert "Y fframwaith" in switch(client, "cy", url).content.decode()
    response = client.post(reverse("set_language"),
                           {"language": "en-gb", "next": "https://evil.example/"})
    assert response["Location"] == "/"


# --------------------------------------------------------------------------- framework texts


def questionnaire_url(world):
    return reverse("questionnaire:section", args=[world.rounds["Alpha"].pk,
                                                  world.agencies["Alpha Fire"].pk, "enablers"])


@pytest.mark.django_db
def test_the_questionnaire_shows_the_framework_in_welsh(login, world):
    client = login(world.user("bob"))
    url = questionnaire_url(world)
    english = client.get(url).content.decode()
    assert "E1 Clear and shared vision" in english
    assert "4 Largely in place" in english
    welsh = switch(client, "cy", url).content.decode()
    assert "E1 Gweledigaeth glir a chyffredin" in welsh
    assert "4 Ar waith i raddau helaeth" in welsh
    assert "I ba raddau y mae hyn ar waith ar gyfer y cydweithio hwn heddiw?" in welsh
    assert "Ymddiriedaeth ar bob lefel" in welsh
    assert "Clear and shared vision" not in welsh
    # The radio values and ids stay the codes and numbers, whatever the language.
    assert 'id="E1-value-4"' in welsh and 'value="4"' in welsh


@pytest.mark.django_db
def test_a_text_not_yet_in_welsh_falls_back_to_english(login, world):
    from survey.models import Item

    Item.objects.filter(framework=world.framework, code="E2").update(title_cy=None,
                                                                     help_text_cy="")
    client = login(world.user("bob"))
    welsh = switch(client, "cy", questionnaire_url(world)).content.decode()
    assert "E2 Trust at all levels" in welsh
    assert "Think beyond the chiefs" in welsh
    assert "E1 Gweledigaeth glir a chyffredin" in welsh


@pytest.mark.django_db
def test_loading_the_framework_again_keeps_it_and_its_welsh(world):
    from django.utils import translation

    from survey.framework.services import framework_definition, framework_load
    from survey.models import Framework

    with translation.override("cy"):
        english = framework_definition(world.framework)
        framework, created = framework_load()
    assert not created and framework == world.framework
    assert Framework.objects.count() == 1
    assert english["title"] == world.framework.title
    e1 = framework.items.get(code="E1")
    assert (e1.title_en_gb, e1.title_cy) == ("Clear and shared vision",
                                             "Gweledigaeth glir a chyffredin")
    scale = framework.scales.get(kind="option")
    assert [scale.label_1_cy, scale.label_5_cy] == ["Gwrthwynebu'n gryf", "Cefnogi'n gryf"]


@pytest.mark.django_db
def test_every_framework_text_has_its_welsh(world):
    items = list(world.framework.items.all())
    assert len(items) == 33
    for item in items:
        assert item.title_cy and item.help_text_cy and item.description_cy, item.code
        assert item.title_cy != item.title_en_gb, item.code
    for scale in world.framework.scales.all():
        assert scale.question_cy and all(getattr(scale, f"label_{i}_cy") for i in range(1, 6))


@pytest.mark.django_db
def test_exports_are_the_same_whatever_the_language(login, world, answer_all):
    answer_all(world, "Alpha Fire", "bob", submit=True)
    answer_all(world, "Alpha Police", "alice", submit=True)
    client = login(world.user("bob"))
    url = reverse("rounds:answers_csv", args=[world.rounds["Alpha"].pk])
    english = client.get(url).content
    switch(client, "cy", questionnaire_url(world))
    welsh = client.get(url).content
    assert b",E1," in english and b",O20," in english
    assert welsh == english


@pytest.mark.django_db
def test_administrators_edit_the_welsh_of_a_draft_and_new_drafts_keep_it(login, world):
    from survey.framework.services import framework_new_draft

    draft = framework_new_draft(framework=world.framework)
    item = draft.items.get(code="E1")
    assert item.title_cy == "Gweledigaeth glir a chyffredin"
    client = login(world.user("adam"))
    page = client.get(reverse("admin:survey_item_change", args=[item.pk])).content.decode()
    assert 'name="title_cy"' in page and "Gweledigaeth glir a chyffredin" in page
    assert 'name="help_text_cy"' in page
    page = client.get(reverse("admin:survey_framework_change", args=[draft.pk])).content.decode()
    assert 'name="scales-0-question_cy"' in page


@pytest.mark.django_db
def test_an_administrator_saves_the_welsh_of_a_draft_item(login, world):
    from survey.framework.services import framework_new_draft

    draft = framework_new_draft(framework=world.framework)
    item = draft.items.get(code="E2")
    client = login(world.user("adam"))
    url = reverse("admin:survey_item_change", args=[item.pk])
    response = client.post(url, {
        "framework": draft.pk, "kind": item.kind, "code": "E2", "title": item.title_en_gb,
        "description": item.description_en_gb, "help_text": item.help_text_en_gb,
        "order": item.order, "theme": item.theme, "weight": item.weight,
        "title_cy": "Ymddiriedaeth ym mhob rhan", "description_cy": "",
        "help_text_cy": item.help_text_cy,
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    item.refresh_from_db()
    assert item.title_cy == "Ymddiriedaeth ym mhob rhan"
    assert item.title_en_gb == "Trust at all levels"
    # Left empty, the Welsh falls back to the English description.
    from django.utils import translation

    with translation.override("cy"):
        assert item.description == item.description_en_gb
    # The published version is untouched.
    assert world.framework.items.get(code="E2").title_cy == "Ymddiriedaeth ar bob lefel"
