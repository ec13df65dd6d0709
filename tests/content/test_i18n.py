from types import SimpleNamespace

from django.utils import translation

from content.i18n import localized_value, sort_key_for, turkmen_sort_key


def test_turkmen_letters_sort_after_their_base_letters():
    words = ["Ýazmyradow", "Çaryýewa", "Öwezowa", "Şamyradow", "Ataýewa", "Zähmet", "Ussa", "Üçünji", "Nury", "Ňagt", "Cem", "Yglas", "Orazowa", "Saparowa", "Jeren", "Žurnal"]
    assert sorted(words, key=turkmen_sort_key) == [
        "Ataýewa", "Cem", "Çaryýewa", "Jeren", "Žurnal", "Nury", "Ňagt", "Orazowa", "Öwezowa",
        "Saparowa", "Şamyradow", "Ussa", "Üçünji", "Yglas", "Ýazmyradow", "Zähmet",
    ]


def test_sort_key_depends_on_language():
    with translation.override("tk"):
        assert sort_key_for() is turkmen_sort_key
    with translation.override("ru"):
        assert sorted(["Яр", "Ав", "ёж"], key=sort_key_for()) == ["Ав", "Яр", "ёж"]


def test_localized_value_falls_back_to_english():
    obj = SimpleNamespace(name_en="Supreme Court", name_ru="Верховный суд", name_tk="")
    assert localized_value(obj, "name", "ru") == "Верховный суд"
    assert localized_value(obj, "name", "tk") == "Supreme Court"
    assert localized_value(obj, "name", "de") == "Supreme Court"
