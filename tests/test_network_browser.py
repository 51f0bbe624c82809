"""The network page in a real browser (Chromium via Playwright): the example
network is built, served on 127.0.0.1, drawn on the canvas, and a click on a
person opens their page. Nothing may be fetched from anywhere else."""

from __future__ import annotations

import json

import pytest

from browser import PageWatch, chromium, serve
from sitebuild import build_site

pytestmark = [pytest.mark.browser, pytest.mark.slow]

TARGET = "lena-hoffmann"  # a person in the example network


@pytest.fixture
def example_site(example_repo):
    result, site = build_site(example_repo.root, keep_config=True)
    assert result.returncode == 0, result.stderr
    return site


def test_network_map_draws_everyone_and_a_click_opens_the_person(example_site):
    data = json.loads((example_site / "assets/kith/network.json").read_text(encoding="utf-8"))
    count = len(data["nodes"])
    assert count > 30 and TARGET in {n["id"] for n in data["nodes"]}
    with serve(example_site) as base, chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        watch = PageWatch(page)
        page.goto(base + "network/")
        page.wait_for_function(f"window.kithNetwork && window.kithNetwork.drawn === {count}")
        assert page.get_attribute("#kith-network-canvas", "data-nodes-drawn") == str(count)

        # The legend and the tag filter come from the data.
        assert "acquaintance" in page.inner_text("#kith-network-legend")
        tags = page.eval_on_selector_all("#kith-tag option", "options => options.map(o => o.value)")
        assert len(tags) > 1

        page.locator("#kith-network-canvas").scroll_into_view_if_needed()
        point = page.evaluate(f"window.kithNetwork.screenOf({json.dumps(TARGET)})")
        page.mouse.move(point["x"], point["y"])
        assert page.inner_text("#kith-network-hover").startswith("Lena Hoffmann")
        page.mouse.click(point["x"], point["y"])
        page.wait_for_url(f"{base}people/{TARGET}/")
        assert page.inner_text(".kith-card h1") == "Lena Hoffmann"

        assert watch.outside_requests == []
        assert watch.console_errors == []


def test_who_can_introduce_me_finds_the_chain(example_site):
    with serve(example_site) as base, chromium() as browser:
        page = browser.new_page()
        watch = PageWatch(page)
        page.goto(base + "network/")
        page.wait_for_function("window.kithNetwork && window.kithNetwork.ready")
        # In the example, Lena and Oliver are linked only through Nadia:
        # you introduced Nadia to Lena, and Nadia introduced you to Oliver.
        page.fill("#kith-path-from", "Lena Hoffmann")
        page.fill("#kith-path-to", "Oliver Grant")
        page.click("#kith-path-form button")
        chain = page.locator("#kith-path-result ol.kith-chain li a")
        assert chain.all_inner_texts() == ["Lena Hoffmann", "Nadia Rahman", "Oliver Grant"]
        assert chain.nth(1).get_attribute("href").endswith("people/nadia-rahman/")

        page.fill("#kith-path-to", "Nobody At All")
        page.click("#kith-path-form button")
        assert page.inner_text("#kith-path-result") == "Pick two people from the list."
        assert watch.outside_requests == []
        assert watch.console_errors == []
