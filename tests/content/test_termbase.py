"""The termbase (content.Term), its seed, and the terminology check (manage.py check_terms)."""

import pytest
from wagtail.models import Locale, Revision

from content.models import Term
from content.seed import loader
from content.services import termbase_seed

pytestmark = pytest.mark.django_db

REQUIRED_CONCEPTS = {
    "act", "means", "purpose", "consent", "servitude", "practices-similar-to-slavery", "forced-labour",
    "exploitation", "victim", "trafficker", "case-study", "interview", "witness", "smuggling-of-migrants",
    "aggravating-circumstance", "central-authority", "mla-request", "extradition", "national-referral-mechanism",
    "non-punishment-principle", "indicators", "identification", "referral", "recruitment", "transportation",
    "harbouring", "abuse-of-vulnerability", "debt-bondage", "organ-removal", "child", "palermo-protocol",
    "training-film",
}


def locales():
    return {locale.language_code: locale for locale in Locale.objects.all()}


def test_the_seed_termbase_names_every_concept_of_the_course_in_three_languages():
    concepts = {entry["concept"]: entry for entry in loader.termbase()}
    assert REQUIRED_CONCEPTS <= set(concepts)
    assert concepts["interview"]["ru"]["preferred"] == "допрос"
    assert "опрос" in concepts["interview"]["ru"]["deprecated"]
    assert concepts["means"]["tk"]["preferred"] == "täsir ediş serişdesi"


def test_termbase_seed_makes_translated_terms_and_is_idempotent():
    count = termbase_seed(locales=locales())
    assert count >= 30
    assert Term.objects.filter(locale__language_code="en").count() == count
    means = Term.objects.get(concept="means", locale__language_code="tk")
    english = Term.objects.get(concept="means", locale__language_code="en")
    assert means.translation_key == english.translation_key
    assert means.get_translation(Locale.objects.get(language_code="ru")).preferred == "способ"
    assert means.deprecated_variants == ["serişde"]
    terms, revisions = Term.objects.count(), Revision.objects.count()
    assert termbase_seed(locales=locales()) == count
    assert (Term.objects.count(), Revision.objects.count()) == (terms, revisions)


# --- the terminology check ------------------------------------------------------------------------------

from io import StringIO  # noqa: E402

from django.core.management import call_command  # noqa: E402
from django.core.management.base import CommandError  # noqa: E402

from assessments.models import Question  # noqa: E402
from assessments.terminology import terminology_findings  # noqa: E402
from content.models import LegalProvision  # noqa: E402
from content.terminology import variant_pattern  # noqa: E402
from courses.models import LessonPage  # noqa: E402


@pytest.fixture
def termbase():
    termbase_seed(locales=locales())


def test_a_variant_matches_whole_words_ignoring_case_in_every_script():
    assert variant_pattern("опрос").search("Первый ОПРОС потерпевшей")
    assert not variant_pattern("опрос").search("вопрос и допрос, опросник")
    assert variant_pattern("söhbetdeşlik").search("Söhbetdeşlik geçirildi")
    assert not variant_pattern("usul").search("usullar we usuly")
    assert variant_pattern("gulçulyga meňzeş däpler").search("gulçulyga  meňzeş\nDäpler")


def test_the_check_finds_a_deprecated_term_planted_in_a_lesson(termbase):
    lesson = LessonPage.objects.filter(locale__language_code="ru").first()
    body = [dict(block) for block in lesson.body.raw_data if block["type"] != "text"]
    lesson.body = [{"type": "text", "value": "<p>Вопрос о том, как провести <strong>опрос</strong> потерпевшей.</p>"}, *body]
    lesson.save()
    assert "опрос" in str(LessonPage.objects.get(pk=lesson.pk).body.raw_data)
    findings = [f for f in terminology_findings(kinds=["lesson"]) if f.language == "ru"]
    assert [(f.variant, f.preferred, f.concept) for f in findings] == [("опрос", "допрос", "interview")]
    assert lesson.title in findings[0].location and findings[0].url.endswith(f"/pages/{lesson.pk}/edit/")


def test_the_check_finds_a_deprecated_term_planted_in_a_question(termbase):
    tk = Locale.objects.get(language_code="tk")
    Question.objects.create(
        locale=tk, key="planted-term", kind="single", title="Synag", prompt="<p>Sorag.</p>",
        data={"options": [{"key": "a", "text": "Pida bilen Söhbetdeşlik geçirmek"}], "correct": "a"},
    )
    findings = terminology_findings(kinds=["question"])
    assert [(f.location, f.language, f.variant, f.preferred) for f in findings] == [
        ("planted-term", "tk", "Söhbetdeşlik", "sorag")
    ]


def test_the_check_finds_a_deprecated_term_planted_in_a_provision(termbase):
    provision = LegalProvision.objects.get(code="cc-129-1-2010", locale__language_code="ru")
    provision.notes = "<p>Перевезение сумки через границу.</p>"
    provision.save()
    findings = terminology_findings(kinds=["provision"])
    assert [(f.language, f.variant, f.preferred) for f in findings] == [("ru", "Перевезение", "перевозка")]
    assert findings[0].location.startswith("cc-129-1-2010")


PLANTED_CATALOGUE = '''msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"

#: lms/example.py:1
msgid "Cascade sessions"
msgstr "Каскадные "
"обучения"

#: lms/example.py:2
msgid "Questions"
msgstr "Вопросы"
'''


def test_the_check_finds_a_catalogue_string_and_the_command_exits_non_zero(termbase, settings, tmp_path):
    folder = tmp_path / "ru" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "django.po").write_text(PLANTED_CATALOGUE, encoding="utf-8")
    settings.LOCALE_PATHS = [tmp_path]
    out = StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("check_terms", "--only", "catalogue", stdout=out)
    assert raised.value.returncode == 1
    assert "Каскадные обучения" in out.getvalue() and "каскадное занятие" in out.getvalue()
    assert "ru/LC_MESSAGES/django.po:" in out.getvalue() and "Вопросы" not in out.getvalue()


def test_the_catalogues_provisions_and_h5p_texts_of_the_project_pass(termbase):
    out = StringIO()
    call_command("check_terms", "--only", "catalogue", "--only", "provision", "--only", "h5p", stdout=out)
    assert "No deprecated terms found." in out.getvalue()


def test_the_whole_seeded_demo_passes_the_check(django_capture_on_commit_callbacks):
    """The seed (curriculum, questions, provisions, H5P packages, termbase) uses no deprecated term (slow)."""
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", verbosity=0, stdout=StringIO())
    assert Term.objects.filter(locale__language_code="ru").count() >= 30
    out = StringIO()
    call_command("check_terms", stdout=out)
    assert "No deprecated terms found." in out.getvalue()


# --- the admin report and the warning on a page with deprecated terms -------------------------------------


def test_the_admin_report_lists_the_findings(termbase, admin_client):
    tk = Locale.objects.get(language_code="tk")
    Question.objects.create(locale=tk, key="planted-in-report", kind="single", title="Synag",
                            prompt="<p>Gulçulyga meňzeş däpler.</p>", data={})
    response = admin_client.get("/admin/reports/deprecated-terms/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "planted-in-report" in content and "gulçulyga meňzeş amallar" in content


def test_a_user_without_the_termbase_permission_cannot_open_the_report(termbase, client, django_user_model):
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user("reader", password="x")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    response = client.get("/admin/reports/deprecated-terms/")
    assert response.status_code == 302 and response.url == "/admin/"  # Wagtail's answer to PermissionDenied


def test_content_editors_keep_the_termbase_and_see_the_report(termbase, client, django_user_model):
    from django.contrib.auth.models import Group

    from lms.people.roles import Role

    user = django_user_model.objects.create_user("termeditor", password="x")
    user.groups.add(Group.objects.get(name=Role.EDITOR))
    client.force_login(user)
    assert user.has_perm("content.change_term")
    assert client.get("/admin/reports/deprecated-terms/").status_code == 200


def test_saving_or_submitting_a_page_with_a_deprecated_term_warns_the_editor(termbase, rf, admin_user):
    from django.contrib.messages import get_messages
    from django.contrib.messages.storage.fallback import FallbackStorage

    from assessments.wagtail_hooks import warn_about_deprecated_terms_on_submit

    lesson = LessonPage.objects.filter(locale__language_code="tk").first()
    lesson.summary = "Pida bilen söhbetdeşlik geçirmek barada."
    lesson.save_revision(user=admin_user)
    request = rf.post("/admin/pages/1/edit/", {"action-submit": "1"})
    request.user = admin_user
    request.session = {}
    request._messages = FallbackStorage(request)
    warn_about_deprecated_terms_on_submit(request, LessonPage.objects.get(pk=lesson.pk))
    [message] = list(get_messages(request))
    assert message.level_tag == "warning" and "«söhbetdeşlik» → «sorag»" in message.message


# --- the learner glossary ------------------------------------------------------------------------------


def test_the_glossary_lists_the_terms_in_the_alphabetical_order_of_the_language(termbase, client):
    from content.selectors import glossary

    turkmen = [term.preferred for term in glossary("tk")]
    # Turkmen collation: ç after c, ä after e, ş after s, ý after y (not code-point order)
    assert turkmen.index("çaga") < turkmen.index("daşamak")
    assert turkmen.index("ejiz ýagdaýdan peýdalanmak") < turkmen.index("ekspluatasiýa")
    assert turkmen.index("sorag") < turkmen.index("şaýat")
    russian = [term.preferred for term in glossary("ru")]
    assert russian == sorted(russian, key=lambda text: text.strip("«»").casefold())
    response = client.get("/tk/learn/glossary/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "täsir ediş serişdesi" in content and content.index("çaga") < content.index("daşamak")
    assert "допрос" in client.get("/ru/learn/glossary/").content.decode()


def test_a_glossary_block_in_a_lesson_links_to_the_glossary():
    from django.template.loader import render_to_string
    from django.urls import reverse
    from django.utils import translation

    with translation.override("tk"):
        html = render_to_string("blocks/glossary_term.html", {"value": {"term": "Pida", "definition": "…"}})
        assert f'href="{reverse("courses:glossary")}"' in html
        assert reverse("courses:glossary").startswith("/tk/")


def test_the_check_finds_a_deprecated_term_planted_in_an_h5p_activity_text(termbase):
    import io

    from content.h5p.services import h5p_package_create, h5p_package_delete
    from tests.content.h5p_builders import package_bytes

    content = {"intro": "Hereket, serişde we maksat", "questions": [{"text": "Haýsy täsir ediş serişdesi?"}]}
    package = h5p_package_create(
        upload=io.BytesIO(package_bytes(title="Üç element", content=content)), locale=Locale.objects.get(language_code="tk"),
    )
    try:
        out = StringIO()
        with pytest.raises(CommandError) as raised:
            call_command("check_terms", "--only", "h5p", stdout=out)
        assert raised.value.returncode == 1
        findings = terminology_findings(kinds=["h5p"])
        assert [(f.location, f.language, f.variant, f.preferred) for f in findings] == [
            ("Üç element (content.json)", "tk", "serişde", "täsir ediş serişdesi")
        ]
        assert "h5p [tk] Üç element (content.json): «serişde» → «täsir ediş serişdesi»" in out.getvalue()
    finally:
        h5p_package_delete(package=package)


def test_the_russian_curriculum_names_the_training_film_one_way():
    """«Жертвы, а не преступники» only: the English title is a deprecated variant in Russian text."""
    film = {entry["concept"]: entry for entry in loader.termbase()}["training-film"]
    assert film["ru"]["deprecated"] == ["Victims not Villains"]
    modules = loader.curriculum()["modules"]
    russian = "\n".join(str({key: value for key, value in module["ru"].items() if key != "editor_note"}) for module in modules)
    assert "Жертвы, а не преступники" in russian and "Victims not Villains" not in russian


def test_an_editors_change_to_a_term_waits_for_review_before_the_glossary_and_the_check_use_it(termbase, client):
    from content.selectors import glossary
    from content.terminology import deprecated_terms_in

    means = Term.objects.get(concept="means", locale__language_code="en")
    published = means.preferred
    means.preferred = "means of control"
    means.save_revision()  # a draft: the row keeps the published text
    means.refresh_from_db()
    assert means.preferred == published and means.has_unpublished_changes
    new = Term(concept="draft-concept", locale=means.locale, preferred="draftterm", deprecated="draftvariant", live=False)
    new.save()
    new.save_revision()
    assert "draftterm" not in [term.preferred for term in glossary("en")]
    assert not deprecated_terms_in("A draftvariant here.", "en")
    new.get_latest_revision().publish()
    assert "draftterm" in [term.preferred for term in glossary("en")]
    assert deprecated_terms_in("A draftvariant here.", "en")


def test_the_termbase_is_under_the_review_workflow_and_reviewers_publish_it():
    from django.contrib.auth.models import Group
    from django.core.management import call_command

    from lms.people.roles import Role

    call_command("seed_demo", "--without-curriculum", verbosity=0)
    workflow = Term().get_workflow()
    assert workflow is not None and workflow.name == "Legal and methodology review"
    managers = Group.objects.get(name=Role.MANAGER).permissions.values_list("codename", flat=True)
    editors = Group.objects.get(name=Role.EDITOR).permissions.values_list("codename", flat=True)
    assert "publish_term" in managers and "publish_term" not in editors


def test_the_admin_report_names_the_language_in_the_readers_language_not_by_its_code(termbase, admin_client, admin_user):
    from wagtail.users.models import UserProfile

    tk = Locale.objects.get(language_code="tk")
    Question.objects.create(locale=tk, key="planted-for-language", kind="single", title="Synag",
                            prompt="<p>Gulçulyga meňzeş däpler.</p>", data={})
    profile = UserProfile.get_for_user(admin_user)
    profile.preferred_language = "ru"
    profile.save()
    content = admin_client.get("/admin/reports/deprecated-terms/").content.decode()
    assert "<td>Туркменский</td>" in content
    assert "<td>tk</td>" not in content
