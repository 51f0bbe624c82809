"""The network page in a real browser (Chromium via Playwright), at 1280 px
and on a 390 px phone: the example network is built with MkDocs and served
on 127.0.0.1; a generated 5,000-person network is written through the same
core code (`kith.render.network`) without MkDocs, which would take minutes.
Nothing may be fetched from anywhere else and nothing may log an error."""

from __future__ import annotations

import datetime as dt
import json
import math
import shutil

import pytest

from browser import PageWatch, chromium, serve
from sitebuild import build_site

pytestmark = [pytest.mark.browser, pytest.mark.slow]

TARGET = "lena-hoffmann"  # a person in the example network
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def example_site(tmp_path_factory):
    from conftest import EXAMPLE_PEOPLE, PROJECT

    root = tmp_path_factory.mktemp("example")
    shutil.copytree(EXAMPLE_PEOPLE, root / "people")
    shutil.copytree(PROJECT / "docs", root / "docs")
    shutil.copy(PROJECT / "mkdocs.yml", root / "mkdocs.yml")
    result, site = build_site(root, keep_config=True)
    assert result.returncode == 0, result.stderr
    return site


def _write_people(root, n: int) -> None:
    """n people in a few dozen organisations, with partners, colleagues and
    friends: enough for a crowded map, cheap to parse."""
    people = root / "people"
    people.mkdir(parents=True)
    firsts = ["Zoë", "Åsa", "Łukasz", "Émile", "Ana", "Ben", "Chen", "Dara", "Eli", "Farah", "Gus", "Hana"]
    for i in range(n):
        rels = []
        if i % 2 == 1:
            rels.append(f"{{with: p{i - 1}, type: partner}}")
        if i >= 10:
            rels.append(f"{{with: p{(i * 7919) % i}, type: colleague}}")
        if i >= 50:
            rels.append(f"{{with: p{(i * 104729) % (i - 1)}, type: friend}}")
        circle = ["inner", "close", "friend", "acquaintance", "acquaintance"][i % 5]
        (people / f"p{i}.md").write_text(
            f"---\nname: {firsts[i % len(firsts)]} Person-{i}\ncompany: Org {i % 37}\ncircle: {circle}\n"
            f"tags: [{'climbing' if i % 3 == 0 else 'books'}]\n"
            f"relationships: [{', '.join(rels)}]\n---\n",
            encoding="utf-8",
        )


@pytest.fixture(scope="module")
def big_site(tmp_path_factory):
    """The network page and its assets for 5,000 people, as the site has them."""
    from kith.config import Settings
    from kith.load import load_network
    from kith.render import network
    from kith.render.context import SiteContext
    from kith.render.html import Linker

    root = tmp_path_factory.mktemp("big")
    _write_people(root, 5000)
    ctx = SiteContext(network=load_network(root), settings=Settings(), today=dt.date(2026, 11, 22))
    site = root / "site"
    for asset in network.assets(ctx):
        target = site / asset.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(asset.content(ctx))
    page = network.render(ctx, Linker("network.md"))
    (site / "network").mkdir(parents=True)
    (site / "network/index.html").write_text(
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Network</title>'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<link rel="icon" href="data:,"></head><body>{page}</body></html>',
        encoding="utf-8",
    )
    return site


def _open_map(browser, base, viewport, **options):
    context = browser.new_context(viewport=viewport, **options)
    page = context.new_page()
    watch = PageWatch(page)
    page.goto(base + "network/")
    page.wait_for_function("window.kithNetwork && window.kithNetwork.ready")
    page.locator("#kith-network-canvas").scroll_into_view_if_needed()
    return page, watch


def _labels(page) -> list[dict]:
    # Wait for any scheduled drawing to land, then read what was drawn.
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    return page.evaluate("window.kithNetwork.labels")


def _assert_no_overlap(labels: list[dict], width: float, height: float) -> None:
    for a in labels:
        assert a["x"] >= -0.5 and a["y"] >= -0.5, a
        assert a["x"] + a["width"] <= width + 0.5 and a["y"] + a["height"] <= height + 0.5, a
    for i, a in enumerate(labels):
        for b in labels[i + 1 :]:
            apart = (
                a["x"] + a["width"] <= b["x"]
                or b["x"] + b["width"] <= a["x"]
                or a["y"] + a["height"] <= b["y"]
                or b["y"] + b["height"] <= a["y"]
            )
            assert apart, f"{a['name']!r} overlaps {b['name']!r}"


def _check_labels_while_zooming(page) -> list[int]:
    """No overlap at the fitted view and after zooming in twice; returns
    how many names were drawn at each step."""
    view = page.evaluate("window.kithNetwork.view()")
    counts = []
    for step in range(3):
        if step:
            page.click("#kith-zoom-in")
        labels = _labels(page)
        _assert_no_overlap(labels, view["width"], view["height"])
        counts.append(len(labels))
    return counts


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "390"])
def test_names_on_the_example_map_never_overlap(example_site, viewport):
    with serve(example_site) as base, chromium() as browser:
        page, watch = _open_map(browser, base, viewport)
        counts = _check_labels_while_zooming(page)
        assert counts[0] > 0
        assert watch.outside_requests == [] and watch.console_errors == []


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "390"])
def test_names_on_a_5000_person_map_never_overlap_and_more_appear_as_you_zoom(big_site, viewport):
    with serve(big_site) as base, chromium() as browser:
        page, watch = _open_map(browser, base, viewport)
        assert page.get_attribute("#kith-network-canvas", "data-nodes-drawn") == "5000"
        counts = _check_labels_while_zooming(page)
        assert 0 < counts[0] < counts[2], counts
        assert watch.outside_requests == [] and watch.console_errors == []


def test_network_map_draws_everyone_and_a_click_opens_the_person(example_site):
    data = json.loads((example_site / "assets/kith/network.json").read_text(encoding="utf-8"))
    count = len(data["nodes"])
    assert count > 30 and TARGET in {n["id"] for n in data["nodes"]}
    with serve(example_site) as base, chromium() as browser:
        page, watch = _open_map(browser, base, DESKTOP)
        assert page.get_attribute("#kith-network-canvas", "data-nodes-drawn") == str(count)
        assert "acquaintance" in page.inner_text("#kith-network-legend")
        tags = page.eval_on_selector_all("#kith-tag option", "options => options.map(o => o.value)")
        assert len(tags) > 1

        point = page.evaluate(f"window.kithNetwork.screenOf({json.dumps(TARGET)})")
        page.mouse.move(point["x"], point["y"])
        assert page.is_visible("#kith-network-hover")
        assert page.inner_text("#kith-network-hover").startswith("Lena Hoffmann")
        page.mouse.click(point["x"], point["y"])
        page.wait_for_url(f"{base}people/{TARGET}/")
        assert page.inner_text(".kith-card h1") == "Lena Hoffmann"
        assert watch.outside_requests == [] and watch.console_errors == []


def test_the_hover_card_clears_when_the_pointer_leaves(example_site):
    with serve(example_site) as base, chromium() as browser:
        page, watch = _open_map(browser, base, DESKTOP)
        point = page.evaluate(f"window.kithNetwork.screenOf({json.dumps(TARGET)})")
        page.mouse.move(point["x"], point["y"])
        assert page.inner_text("#kith-network-hover").startswith("Lena Hoffmann")
        # Off the person, onto empty map: the card goes.
        box = page.locator("#kith-network-canvas").bounding_box()
        empty = page.evaluate(
            """([w, h]) => { const v = window.kithNetwork.view();
                 for (let y = 5; y < h; y += 10) for (let x = 5; x < w; x += 10) {
                   const near = window.kithNetwork.nodes.some(n => Math.hypot(n.x * v.scale + v.ox - x, n.y * v.scale + v.oy - y) < 30);
                   if (!near) return [x, y]; }
                 return null; }""",
            [box["width"], box["height"]],
        )
        assert empty is not None
        page.mouse.move(box["x"] + empty[0], box["y"] + empty[1])
        assert not page.is_visible("#kith-network-hover")
        assert page.inner_text("#kith-network-hover") == ""
        # Back on the person, then straight off the map.
        page.mouse.move(point["x"], point["y"])
        assert page.is_visible("#kith-network-hover")
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] - 40)
        assert not page.is_visible("#kith-network-hover")
        assert watch.outside_requests == [] and watch.console_errors == []


def test_the_tag_filter_fades_names_too(example_site):
    data = json.loads((example_site / "assets/kith/network.json").read_text(encoding="utf-8"))
    tagged = {n["id"] for n in data["nodes"] if "python" in n.get("tags", [])}
    assert tagged and len(tagged) < len(data["nodes"])
    with serve(example_site) as base, chromium() as browser:
        page, watch = _open_map(browser, base, DESKTOP)
        assert not any(label["faded"] for label in _labels(page))
        page.select_option("#kith-tag", "python")
        labels = _labels(page)
        assert labels
        for label in labels:
            assert label["faded"] == (label["id"] not in tagged), label
        # Those with the tag are named first; the others only where room is left.
        fades = [label["faded"] for label in labels]
        assert fades == sorted(fades)
        _assert_no_overlap(labels, *(page.evaluate("window.kithNetwork.view()")[k] for k in ("width", "height")))
        assert watch.outside_requests == [] and watch.console_errors == []


def test_on_a_phone_a_tap_shows_the_person_and_a_second_tap_opens_them_and_pinch_zooms(example_site):
    with serve(example_site) as base, chromium() as browser:
        page, watch = _open_map(browser, base, PHONE, has_touch=True, is_mobile=True, device_scale_factor=2)
        point = page.evaluate(f"window.kithNetwork.screenOf({json.dumps(TARGET)})")
        page.touchscreen.tap(point["x"], point["y"])
        assert page.inner_text("#kith-network-hover").startswith("Lena Hoffmann")
        assert page.get_attribute("#kith-network-hover a", "href").endswith(f"people/{TARGET}/")

        # Two fingers moving apart zoom in around them.
        before = page.evaluate("window.kithNetwork.view().scale")
        cdp = page.context.new_cdp_session(page)
        box = page.locator("#kith-network-canvas").bounding_box()
        cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2

        def fingers(kind, spread):
            points = [{"x": cx - spread, "y": cy, "id": 0}, {"x": cx + spread, "y": cy, "id": 1}]
            cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": [] if kind == "touchEnd" else points})

        fingers("touchStart", 20)
        for spread in range(30, 101, 10):
            fingers("touchMove", spread)
        fingers("touchEnd", 100)
        page.wait_for_function(f"window.kithNetwork.view().scale > {before} * 3")
        _assert_no_overlap(_labels(page), box["width"], box["height"])

        page.click("#kith-zoom-fit")
        point = page.evaluate(f"window.kithNetwork.screenOf({json.dumps(TARGET)})")
        page.touchscreen.tap(point["x"], point["y"])
        page.touchscreen.tap(point["x"], point["y"])
        page.wait_for_url(f"{base}people/{TARGET}/")
        assert watch.outside_requests == [] and watch.console_errors == []


def test_who_can_introduce_me_labels_every_step_as_kith_path_does(example_site, example_repo, kith):
    expected = json.loads(kith(example_repo, "path", "lena-hoffmann", "oliver-grant", "--format", "json").stdout)
    with serve(example_site) as base, chromium() as browser:
        page, watch = _open_map(browser, base, DESKTOP)
        # In the example, Lena and Oliver are linked only through Nadia:
        # you introduced Nadia to Lena, and Nadia introduced you to Oliver.
        page.fill("#kith-path-from", "Lena Hoffmann")
        page.fill("#kith-path-to", "Oliver Grant")
        page.click("#kith-path-form button")
        chain = page.locator("#kith-path-result ol.kith-chain li a")
        assert chain.all_inner_texts() == ["Lena Hoffmann", "Nadia Rahman", "Oliver Grant"]
        assert chain.nth(1).get_attribute("href").endswith("people/nadia-rahman/")
        steps = page.locator("#kith-path-result ol.kith-chain li .kith-step").all_inner_texts()
        assert [s["name"] for s in expected["path"]] == ["Lena Hoffmann", "Nadia Rahman", "Oliver Grant"]
        assert steps == [f"({', '.join(s['link'])})" for s in expected["path"][1:]]

        page.fill("#kith-path-to", "Nobody At All")
        page.click("#kith-path-form button")
        assert "No one on the map is called “Nobody At All”" in page.inner_text("#kith-path-result")
        assert watch.outside_requests == [] and watch.console_errors == []


def test_the_finder_accepts_names_typed_without_accents(example_site):
    with serve(example_site) as base, chromium() as browser:
        page, watch = _open_map(browser, base, DESKTOP)
        page.locator("#kith-path-from").press_sequentially("Zoe")
        # The suggestions fold accents too: "Zoe" offers Zoë.
        assert "Zoë Whitfield" in page.locator("#kith-path-from-list li").all_inner_texts()
        page.fill("#kith-path-from", "Zoe")
        page.fill("#kith-path-to", "lena hoffmann")
        page.click("#kith-path-form button")
        names = page.locator("#kith-path-result ol.kith-chain li a").all_inner_texts()
        assert names[0] == "Zoë Whitfield" and names[-1] == "Lena Hoffmann"
        assert watch.outside_requests == [] and watch.console_errors == []


def _positions(site) -> dict[str, tuple[float, float]]:
    data = json.loads((site / "assets/kith/network.json").read_text(encoding="utf-8"))
    return {n["id"]: (n["x"], n["y"]) for n in data["nodes"]}


def test_adding_30_people_moves_the_others_little(example_repo):
    from kith.render.layout import SPACING

    result, site = build_site(example_repo.root, keep_config=True)
    assert result.returncode == 0, result.stderr
    before = _positions(site)
    people = sorted(before)
    for i in range(30):
        friend = people[(i * 7) % len(people)]
        example_repo.write(
            f"people/newcomer-{i}.md",
            f"---\nname: Newcomer {i}\ncompany: {'Fernhill Labs' if i % 3 == 0 else f'New Co {i % 4}'}\n"
            f"relationships:\n  - {{with: {friend}, type: {'partner' if i == 0 else 'friend'}}}\n---\n",
        )
    result, site = build_site(example_repo.root, keep_config=True)
    assert result.returncode == 0, result.stderr
    after = _positions(site)
    assert len(after) == len(before) + 30
    moved = {slug: math.dist(before[slug], after[slug]) for slug in before}
    assert moved[TARGET] <= SPACING, moved[TARGET]
    assert max(moved.values()) <= SPACING, max(moved.items(), key=lambda item: item[1])
    # The newcomer partnered with someone sits right beside them.
    partner = people[0]
    assert math.dist(after["newcomer-0"], after[partner]) <= 1.5 * SPACING
    # Nobody on top of anybody.
    assert len(set(after.values())) == len(after)
