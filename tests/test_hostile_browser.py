"""Nothing from a contact file runs in the browser: pages built from hostile
values (tags, names, organisations, notes with raw HTML, `javascript:`
links, event handlers, a file named like markup) are opened in Chromium,
searched for, and hovered on the map; any dialog, any script of theirs, is
a failure."""

from __future__ import annotations

import pytest

from browser import PageWatch, chromium, serve
from sitebuild import build_site

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PAYLOAD = "<img src=x onerror=alert(1)>"
EXTENSIONS = "markdown_extensions:\n  - attr_list\n  - md_in_html\n  - admonition\n"

NOTES = f"""Ordinary words about kites.

<script>alert(2)</script>

<img src="x" onerror="alert(3)">

[click me](javascript:alert(4)) and <a href="javascript:alert(5)">this</a>

<div onmouseover="alert(6)" style="position:fixed;inset:0">cover</div>

<iframe src="javascript:alert(7)"></iframe>

<svg onload="alert(8)"></svg>

Click here {{onclick="alert(9)"}}

<details open ontoggle="alert(10)"><summary>more</summary>x</details>

[[hostile-two]] and [[x) <img src=x onerror=alert(11)> (]]
"""


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("xss")
    people = root / "people"
    people.mkdir()
    (people / "hostile-one.md").write_text(
        "---\n"
        f'name: "Eve {PAYLOAD}"\n'
        f'company: "Acme {PAYLOAD}"\n'
        f'title: "<script>alert(12)</script>"\n'
        f'tags: ["{PAYLOAD}", "kites"]\n'
        f'interests: ["{PAYLOAD}"]\n'
        f'location: "{PAYLOAD}"\n'
        'links: {web: "javascript:alert(13)", site: "https://example.org/\\"><img src=x onerror=alert(14)>"}\n'
        "met:\n"
        f'  event: "Conf {PAYLOAD}"\n'
        f'  where: "Place {PAYLOAD}"\n'
        "---\n\n" + NOTES + "\n## Log\n\n- 2026-11-01 call: " + PAYLOAD + " kites\n"
        "- [ ] 2026-11-20 " + PAYLOAD + "\n",
        encoding="utf-8",
    )
    (people / "hostile-two.md").write_text(
        "---\nname: Two\ntags: [kites]\nrelationships:\n  - {with: hostile-one, type: friend}\n---\n\nKites.\n",
        encoding="utf-8",
    )
    (people / "x) <img src=x onerror=alert(11)> (.md").write_text("---\nname: Markup\n---\n", encoding="utf-8")
    (root / "docs").mkdir()
    (root / "mkdocs.yml").write_text(
        "site_name: Hostile\ndocs_dir: docs\ntheme:\n  name: material\n  font: false\n"
        "plugins:\n  - search\n  - tags\n  - kith\n" + EXTENSIONS,
        encoding="utf-8",
    )
    result, site = build_site(root, keep_config=True)
    assert result.returncode == 0, result.stderr
    return site


def _visit(page, url: str, dialogs: list[str]) -> None:
    page.goto(url)
    page.wait_for_load_state("load")
    page.wait_for_timeout(150)  # onload, onerror and timers get their chance


def test_no_hostile_value_runs_anywhere(hostile_site):
    pages = [
        "people/hostile-one/",
        "people/hostile-two/",
        "people/",
        "",
        "followups/",
        "organisations/",
        "tags/",
        "events/",
        "places/",
        "introductions/",
        "network/",
    ]
    with serve(hostile_site) as base, chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        dialogs: list[str] = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        watch = PageWatch(page)
        for path in pages:
            _visit(page, base + path, dialogs)
        # Every organisation, tag, event and place page, wherever it lives.
        links = page.evaluate("[]")
        for index in ("organisations/", "tags/", "events/", "places/"):
            page.goto(base + index)
            links += page.eval_on_selector_all("main a[href]", "as => as.map(a => a.href)")
        for url in sorted(set(links)):
            if url.startswith(base):
                _visit(page, url, dialogs)
        assert dialogs == [], f"script from a contact ran: {dialogs}"
        # Hover and click everything on the person page.
        page.goto(base + "people/hostile-one/")
        for element in page.query_selector_all("main a, main div, main summary"):
            try:
                element.hover(timeout=200)
            except Exception:  # noqa: BLE001 - hidden or detached elements
                continue
        # Search for the payload and for the person: results must not run it.
        page.goto(base)
        search = page.locator("input.md-search__input")
        search.click()
        for query in ("kites", "Eve", "Acme", "img", "alert"):
            search.fill("")
            search.press_sequentially(query, delay=20)
            if query in ("kites", "Eve"):
                # Typed before the index has loaded, a query waits for it.
                page.wait_for_selector(".md-search-result__item", timeout=15_000)
            page.wait_for_timeout(300)
        assert dialogs == []
        assert watch.outside_requests == []
        # The notes' harmless text is still there, and the markup is gone.
        page.goto(base + "people/hostile-one/")
        assert "Ordinary words about kites." in page.inner_text("article")
        live = page.evaluate(
            r"""() => {
                const found = [];
                for (const el of document.querySelectorAll("article *")) {
                    if (["SCRIPT", "IFRAME", "OBJECT", "EMBED", "SVG"].includes(el.tagName.toUpperCase()))
                        found.push(el.tagName);
                    for (const attr of el.attributes) {
                        if (attr.name.startsWith("on") || attr.name === "style" && el.closest(".kith-notes"))
                            found.push(el.tagName + " " + attr.name);
                        if (/^\s*javascript:/i.test(attr.value)) found.push(el.tagName + " " + attr.name + "=javascript:");
                    }
                }
                return found;
            }"""
        )
        assert live == []


def test_raw_html_can_be_allowed_on_purpose(tmp_path):
    """`raw_html: true` keeps the user's own HTML as written (documented)."""
    root = tmp_path / "raw"
    (root / "people").mkdir(parents=True)
    (root / "people" / "ada.md").write_text(
        '---\nname: Ada\n---\n\n<span class="mine" data-x="1">widget</span>\n', encoding="utf-8"
    )
    result, site = build_site(root, kith_options={"raw_html": True})
    assert result.returncode == 0, result.stderr
    assert 'data-x="1"' in (site / "people" / "ada" / "index.html").read_text(encoding="utf-8")
    result, site = build_site(root)
    assert 'data-x="1"' not in (site / "people" / "ada" / "index.html").read_text(encoding="utf-8")
