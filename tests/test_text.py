"""kith.text: one folding, one sort order, one A to Z for every part of kith."""

from __future__ import annotations

from kith import find, text
from kith.importers import clean


def test_fold_drops_case_and_accents_and_spells_out_letters():
    assert text.fold("Zoë ÅNGSTRÖM") == "zoe angstrom"
    assert text.fold("Łukasz Søren Straße Æsir") == "lukasz soren strasse aesir"
    assert text.words("Émile-Zola, Jr.") == ["emile", "zola", "jr"]


def test_the_finder_and_the_importers_fold_with_kith_text():
    assert find.fold is text.fold
    assert clean.fold("  Łukasz   NOWAK ") == "lukasz nowak"


def test_names_sort_by_the_unicode_collation_algorithm():
    names = ["Zoë", "Łukasz Nowak", "Émile Zola", "eve", "Ada", "Lena", "Ørsted", "Åsa", "Oliver"]
    assert sorted(names, key=text.sort_key) == [
        "Ada",
        "Åsa",
        "Émile Zola",
        "eve",
        "Lena",
        "Łukasz Nowak",
        "Oliver",
        "Ørsted",
        "Zoë",
    ]


def test_initial_is_the_letter_of_the_a_to_z():
    assert text.initial("Łukasz") == "L"
    assert text.initial("Émile") == "E"
    assert text.initial("ßeta") == "S"
    assert text.initial("  zoë") == "Z"
    assert text.initial("3M") == "#"
    assert text.initial("李小龍") == "#"
    assert text.initial("") == "#"


def test_group_key_joins_case_accent_and_spacing_variants():
    assert text.group_key("Café  Nord") == text.group_key("cafe nord") == "cafe nord"
    assert text.group_key("Café-Nord") != text.group_key("Café Nord")


def test_slugs_come_from_kith_slug():
    from kith import slug

    assert text.slugify is slug.slugify and text.unique_slug is slug.unique_slug
    assert text.slugify("Zoë Ångström") == "zoe-angstrom"


def test_with_names_writes_people_by_name():
    class P:
        def __init__(self, name: str) -> None:
            self.name = name

    people = {"ada": P("Ada Lovelace")}
    assert text.with_names("intro to [[ada]] and [[ada|her]]; [[nobody]]", people) == (
        "intro to Ada Lovelace and her; [[nobody]]"
    )
    # In a code span it is code, as on the site.
    assert text.with_names("`[[ada]]` is how", people) == "`[[ada]]` is how"


def test_the_ascii_sort_key_is_pyucas(monkeypatch):
    import random

    import pyuca

    collator = pyuca.Collator()
    alphabet = [chr(c) for c in range(0x20, 0x7F)]
    rng = random.Random(15)
    samples = ["", "Ada Lovelace", "O'Connor", "Ashdown-Vale", "a  b", "Zz~!"] + [
        "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 12))) for _ in range(2000)
    ]
    for sample in samples:
        assert text._ascii_key(sample) == tuple(collator.sort_key(sample)), repr(sample)
