"""Property: whatever mix of headings, fences, lists, quotes, admonitions and
HTML a body holds, a canary that Python-Markdown itself places under a
heading reading "Private" is published nowhere: not by kith's pipeline
(notes, timeline, mentions), not by a real `mkdocs build`, not by `kith
render`.

The oracle is the renderer: the full body rendered with the site's
extensions shows the canary, and the same render with the Private sections
cut from its element tree does not."""

from __future__ import annotations

import itertools
from pathlib import Path

import markdown
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kith.config import Settings, markdown_config
from kith.load import parse_person
from kith.render.safety import PrivacyExtension, PrivacyState, publishable_notes
from sitebuild import build_site, site_text

EXTENSIONS = ["attr_list", "admonition", "md_in_html"]
MKDOCS_YML = "markdown_extensions:\n" + "".join(f"  - {e}\n" for e in EXTENSIONS)
SETTINGS = Settings(**dict(zip(("markdown_extensions", "markdown_options"), markdown_config(EXTENSIONS))))

_counter = itertools.count()

TITLES = ["Private", "private", "PRIVATE", "**Private**", "Private {#p}", "Notes", "Family", "Log", "Private life", "Privates"]


def heading(level: int, title: str, form: str) -> str:
    if form == "setext" and level <= 2:
        return f"{title}\n{'=' if level == 1 else '-' * 3}\n"
    hashes = "#" * level
    return f"{hashes}{'' if form == 'tight' else ' '}{title}\n"


@st.composite
def block(draw) -> str:
    kind = draw(
        st.sampled_from(
            ["para", "heading", "fence", "unclosed", "oddfence", "indentfence", "list", "quote", "admonition", "html", "log", "canary"]
        )
    )
    title = draw(st.sampled_from(TITLES))
    level = draw(st.integers(1, 4))
    form = draw(st.sampled_from(["atx", "tight", "setext"]))
    inner = heading(level, title, form)
    if kind == "para":
        return "Some public words.\n"
    if kind == "heading":
        return inner
    if kind == "fence":
        return f"```\n{inner}{{C}}\n```\n"
    if kind == "unclosed":
        return "```\ncode\n"
    if kind == "oddfence":
        return f'```python title="x"\n{inner}```\n'
    if kind == "indentfence":
        return f"  ```\n{inner}  ```\n"
    if kind == "list":
        return f"- item\n\n    {inner.replace(chr(10), chr(10) + '    ')}{{C}}\n"
    if kind == "quote":
        return "> " + inner.rstrip("\n").replace("\n", "\n> ") + "\n> {C}\n"
    if kind == "admonition":
        return "!!! note\n    " + inner.rstrip("\n").replace("\n", "\n    ") + "\n    {C}\n"
    if kind == "html":
        return f"<div markdown>\n\n{inner}\n{{C}}\n\n</div>\n"
    if kind == "log":
        head = draw(st.sampled_from(["", "## Log\n\n", "### Log\n\n"]))
        return head + "- 2026-11-01 call: {C} with [[friend]]\n- [ ] 2026-12-01 task {C}\n"
    return draw(st.sampled_from(["{C}\n", "[[friend]] {C}\n"]))


@st.composite
def body(draw) -> tuple[str, list[str]]:
    blocks = draw(st.lists(block(), min_size=1, max_size=8))
    text = "\n".join(blocks)
    canaries: list[str] = []

    def fill(_):
        name = f"CANARY{next(_counter):06d}X"
        canaries.append(name)
        return name

    import re

    return re.sub(r"\{C\}", fill, text), canaries


def _render(text: str, cut: bool) -> str:
    state = PrivacyState(active=cut)
    return markdown.Markdown(extensions=["toc", "tables", "fenced_code", *EXTENSIONS, PrivacyExtension(state)]).convert(text)


def private_by_the_renderer(text: str, canary: str) -> bool:
    return canary in _render(text, cut=False) and canary not in _render(text, cut=True)


def published(text: str) -> str:
    """Everything kith's pipeline would publish of a person with this body."""
    loaded = parse_person(f"---\nname: P\n---\n\n{text}".encode(), Path("/r/people/p.md"), "people/p.md")
    person = loaded.person
    assert person is not None
    if person.withheld:
        return ""
    # kith's own reading alone (the Markdown it hands the renderer), and the
    # notes as published after the renderer's cut and the HTML check.
    parts = [person.notes, publishable_notes(person.notes, SETTINGS)[0]]
    parts += [e.text for e in person.log if not e.private]
    parts += [t.text for t in person.tasks if not t.private]
    parts += [m.context for m in person.mentions if not m.private]
    return "\n".join(parts)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body())
def test_what_the_renderer_makes_private_kith_never_publishes(generated):
    text, canaries = generated
    out = published(text)
    for canary in canaries:
        if private_by_the_renderer(text, canary):
            assert canary not in out, f"{canary} published from:\n{text}"


@pytest.mark.slow
@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.lists(body(), min_size=12, max_size=12))
def test_a_real_build_and_kith_render_publish_no_private_canary(tmp_path_factory, kith, bodies):
    root = tmp_path_factory.mktemp("property")
    (root / "people").mkdir()
    private: list[str] = []
    for index, (text, canaries) in enumerate(bodies):
        (root / "people" / f"p{index}.md").write_text(f"---\nname: Person {index}\n---\n\n{text}", encoding="utf-8")
        private += [c for c in canaries if private_by_the_renderer(text, c)]
    result, site = build_site(root, extra=MKDOCS_YML)
    assert result.returncode == 0, result.stderr[-2000:]
    out = root / "rendered"
    kith(root, "render", "--out", str(out))
    texts = list(site_text(site).items()) + [
        (str(p), p.read_text(encoding="utf-8", errors="replace")) for p in out.rglob("*") if p.is_file()
    ]
    for canary in private:
        for where, text in texts:
            assert canary not in text, f"{canary} in {where}"
