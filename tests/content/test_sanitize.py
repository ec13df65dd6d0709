"""Script, event handlers and javascript: URLs never survive, on save or on render."""

import pytest
from wagtail.blocks import StreamValue

from content.blocks import LessonStreamBlock, SafeRichTextBlock
from content.sanitize import sanitize_rendered_html, sanitize_stored_richtext
from courses.models import LessonPage

NASTY = (
    '<p onclick="steal()">Hello<script>alert(1)</script>'
    '<a href="javascript:alert(2)">link</a><img src=x onerror="alert(3)">'
    '<style>body{display:none}</style><iframe src="https://evil.example"></iframe></p>'
)


def assert_clean(html):
    lowered = html.lower()
    for bad in ("<script", "alert(", "onclick", "onerror", "javascript:", "<iframe", "<style", "display:none"):
        assert bad not in lowered, bad


def test_sanitizers_strip_dangerous_markup():
    assert_clean(sanitize_stored_richtext(NASTY))
    assert_clean(sanitize_rendered_html(NASTY))
    assert "Hello" in sanitize_rendered_html(NASTY)


def test_internal_links_and_embeds_survive_storage():
    stored = sanitize_stored_richtext('<p><a linktype="page" id="3">x</a><embed embedtype="image" id="1" format="left" alt="a"/></p>')
    assert '<a linktype="page" id="3">' in stored
    assert '<embed embedtype="image" id="1" format="left" alt="a"/>' in stored


def test_rich_text_block_cleans_on_save_and_on_render():
    block = SafeRichTextBlock()
    value = block.to_python(NASTY)
    assert_clean(block.get_prep_value(value))
    assert_clean(block.render(value))


def test_case_study_scenario_is_cleaned_inside_a_struct():
    stream = LessonStreamBlock()
    value = stream.to_python([{"type": "case_study", "value": {"title": "t", "scenario": NASTY, "questions": [], "trainer_notes": NASTY}}])
    assert_clean(str(stream.get_prep_value(value)))
    assert_clean(stream.render(value, context={"can_see_trainer_notes": True}))


@pytest.mark.django_db
def test_a_stored_revision_with_script_renders_clean(client, curriculum, agency_a):
    from tests.factories import person

    lesson = LessonPage.objects.get(slug="definitions-one", locale__language_code="en")
    # write raw JSON past the block (as an old row or a crafted import could)
    LessonPage.objects.filter(pk=lesson.pk).update(body=[{"type": "text", "value": NASTY, "id": "x1"}])
    client.force_login(person(username="reader", agency=agency_a))
    html = client.get(lesson.url).content.decode()
    assert "Hello" in html
    main = html.split('<main id="main"', 1)[1].split("</main>", 1)[0]  # the page's own scripts come after it
    assert_clean(main)


def test_raw_blocks_are_cleaned_on_save_without_losing_their_references():
    """Blocks saved as raw data (never converted) still pass the sanitiser, and keep what they point to,
    even a row that is not there yet, as while a fixture or a serialized database loads."""
    stream = LessonStreamBlock()
    raw = [
        {"type": "case_study", "id": "c1", "value": {"title": "t", "scenario": NASTY, "questions": [], "trainer_notes": NASTY}},
        {"type": "legal_provision", "id": "l1", "value": {"provision": 987654, "commentary": NASTY}},
        {"type": "h5p", "id": "h1", "value": {"package": 876543, "introduction": "Sort the facts"}},
        {"type": "trainer_notes", "id": "t1", "value": {"timing": "10", "steps": [{"type": "item", "value": "Step", "id": "s1"}], "materials": []}},
    ]
    value = StreamValue(stream, raw, is_lazy=True)
    prepped = stream.get_prep_value(value)
    assert_clean(str(prepped))
    by_id = {item["id"]: item["value"] for item in prepped}
    assert "Hello" in by_id["c1"]["scenario"]
    assert by_id["l1"]["provision"] == 987654
    assert by_id["h1"] == {"package": 876543, "introduction": "Sort the facts"}
    assert by_id["t1"]["steps"] == [{"type": "item", "value": "Step", "id": "s1"}]
