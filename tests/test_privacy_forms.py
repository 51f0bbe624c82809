"""A `Private` section written in every form Markdown renders as a heading,
and after every construct that makes renderers disagree: after a real
`mkdocs build` and `kith render`, no canary is in any file, and `kith
validate` names each file whose privacy kith could not place for certain.

Each case is a repro from the trust issue: before the grammar was shared
with the renderer, every one of them passed validate and was published."""

from __future__ import annotations

import json

import pytest

from sitebuild import build_site, site_text

MD_EXTENSIONS = "markdown_extensions:\n  - attr_list\n  - admonition\n  - tables\n  - toc:\n      permalink: true\n"
SUPERFENCES = MD_EXTENSIONS + "  - pymdownx.superfences\n  - pymdownx.details\n  - md_in_html\n"

# slug -> (body with {C} where the canary goes, whether kith can place it:
# "cut" means a clean section kith hides with no error, "doubt" means the
# body is withheld and validate reports private-unplaced)
CASES: dict[str, tuple[str, str]] = {
    "atx": ("Public words.\n\n## Private\n\n{C}\n", "cut"),
    "atx-no-space": ("Public words.\n\n##Private\n\n{C}\n", "cut"),
    "h1-no-space": ("Public words.\n\n#Private\n{C}\n", "cut"),
    "setext-dash": ("Public words.\n\nPrivate\n-------\n\n{C}\n", "cut"),
    "setext-equals": ("Public words.\n\nPrivate\n=======\n{C}\n", "cut"),
    "attr-list": ("Public words.\n\n## Private {{#p}}\n\n{C}\n", "cut"),
    "bold-title": ("Public words.\n\n## **Private**\n\n{C}\n", "cut"),
    "entity-title": ("Public words.\n\n## &#80;rivate\n\n{C}\n", "cut"),
    "trailing-hashes": ("Public words.\n\n## Private ##\n\n{C}\n", "cut"),
    "unclosed-fence": ("Public words.\n\n```\ncode\n\n## Private\n\n{C}\n", "cut"),
    "refused-info-string": ('Public words.\n\n```python title="x"\ncode\n```\n\n## Private\n\n{C}\n', "cut"),
    "indented-fence": ("Public words.\n\n  ```\ncode\n  ```\n\n## Private\n\n{C}\n", "cut"),
    "setext-after-fence": ("Public words.\n\n```\ncode\n```\nPrivate\n---\n{C}\n", "cut"),
    "admonition": ("Public words.\n\n!!! note\n    ## Private\n    {C}\n\nAfter.\n", "doubt"),
    "list-item": ("Public words.\n\n- item\n\n    ## Private\n    {C}\n\nAfter.\n", "doubt"),
    "blockquote": ("Public words.\n\n> ## Private\n> {C}\n\nAfter.\n", "doubt"),
    "raw-html": ("Public words.\n\n<h2>Private</h2>\n\n<p>{C}</p>\n", "doubt"),
    "odd-fence-inside": ('Public.\n\n## Private\n\nsecret\n```text title="x"\n## Notes\n```\n{C}\n', "doubt"),
    "html-inside": ("Public.\n\n## Private\n\n<div>\n## Notes\n</div>\n{C}\n", "doubt"),
    # A higher Private heading nested inside a private section: the renderer
    # cuts on past the heading that ends the section for kith.
    "higher-inside-list": ("Public.\n\n## Private\n\n- item\n\n    # Private\n    secret\n\n## Notes\n\n{C}\n", "doubt"),
    "higher-inside-quote": ("Public.\n\n### Private\n\n> Private\n> =======\n\n## Notes\n\n{C}\n", "doubt"),
    "same-inside-list": ("Public.\n\n## Private\n\n- item\n\n    ### Private\n    {C}\n\n## Notes\n\nAfter.\n", "cut"),
    "log-private": ("Public.\n\n## Log\n\n- 2026-11-01 call: public\n\n### Private\n\n- 2026-11-02 call: {C}\n", "cut"),
    "log-under-h1": ("Public.\n\n#Private\n\n## Log\n\n- 2026-11-01 call: {C}\n", "cut"),
    "task-private": ("Public.\n\n## Log\n\n###Private\n\n- [ ] 2026-12-01 {C}\n", "cut"),
}


def canary(slug: str) -> str:
    return f"CANARY-{slug.upper()}-77e1"


@pytest.fixture(scope="module")
def network(tmp_path_factory):
    root = tmp_path_factory.mktemp("forms")
    (root / "people").mkdir()
    (root / "people" / "friend.md").write_text("---\nname: Friend\n---\n\nPublic friend.\n", encoding="utf-8")
    for slug, (body, _) in CASES.items():
        text = f"---\nname: Person {slug}\n---\n\n" + body.format(C=canary(slug))
        (root / "people" / f"{slug}.md").write_text(text, encoding="utf-8")
    return root


@pytest.mark.slow
@pytest.mark.parametrize("extensions", [MD_EXTENSIONS, SUPERFENCES], ids=["python-markdown", "superfences"])
def test_no_form_of_private_section_reaches_the_site(network, extensions):
    result, site = build_site(network, extra=extensions)
    assert result.returncode == 0, result.stderr
    texts = site_text(site)
    for slug in CASES:
        for rel, text in texts.items():
            assert canary(slug) not in text, f"{canary(slug)} ({slug}) published in site/{rel}"
    # Every person still has a page, and what is public on it is there.
    for slug in CASES:
        page = texts[f"people/{slug}/index.html"]
        assert f"Person {slug}" in page
        assert "Public" in page or "kith-withheld" in page


@pytest.mark.slow
def test_no_form_of_private_section_reaches_kith_render(network, kith, tmp_path):
    out = tmp_path / "out"
    result = kith(network, "render", "--out", str(out))
    for path in out.rglob("*"):
        if path.is_file():
            text = path.read_text(encoding="utf-8", errors="replace")
            for slug in CASES:
                assert canary(slug) not in text, f"{canary(slug)} in {path.relative_to(out)}"
    assert result.exit_code in (0, 1)


def test_validate_names_what_it_cannot_place_and_nothing_else(network, kith):
    data = json.loads(kith(network, "validate", "--format", "json").stdout)
    doubtful = {f["path"].removeprefix("people/").removesuffix(".md") for f in data if f["code"] == "private-unplaced"}
    assert doubtful == {slug for slug, (_, how) in CASES.items() if how == "doubt"}
    for finding in data:
        if finding["code"] == "private-unplaced":
            assert finding["severity"] == "error" and finding["line"] > 4


def test_the_canaries_are_still_in_the_files(network):
    """Nothing was lost: kith withholds, it never edits what was written."""
    for slug in CASES:
        assert canary(slug) in (network / "people" / f"{slug}.md").read_text(encoding="utf-8")
