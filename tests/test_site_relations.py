"""The relationship half of the site, built for real (GitHub issue 4):
person-page sections, organisation/event/place/tag pages, the network data,
the introductions page; privacy and pagination.

One network is built once (module fixture) and every test reads its output.
It holds 210 one-person organisations and a 205-person tag, so the listing
pages must split into numbered pages.
"""

from __future__ import annotations

import html as htmllib
import json
import re
import textwrap
from pathlib import Path

import pytest

from sitebuild import build_site, site_text

pytestmark = pytest.mark.slow

CANARIES = (
    "CANARY-PRIVNAME-91c2",
    "CANARY-PRIVORG-4d1e",
    "CANARY-PRIVEVENT-77f0",
    "CANARY-PRIVTAG-a5b3",
    "CANARY-SECTION-0e19",
)
FILLERS = 210  # people each at their own organisation, all tagged `crowd`

PEOPLE = {
    "ada-lovelace": """\
        ---
        name: Ada Lovelace
        company: Analytical Engines
        tags: [math]
        circle: close
        met:
          date: 2024-03-14
          where: Pittsburgh
          event: PyCon US 2024
          via: charles-babbage
        needs: [a publisher]
        relationships:
          - {with: mary-somerville, type: mentor}
          - {with: secret-sam, type: colleague}
        ---

        Notes about Ada.

        ## Log

        - 2026-11-02 coffee: talked poetry
        - 2026-10-01 shared: sent the article
        - 2026-09-01 ask: asked for a reference
        """,
    "mary-somerville": """\
        ---
        name: Mary Somerville
        company: Analytical Engines
        circle: friend
        ---
        """,
    "charles-babbage": """\
        ---
        name: Charles Babbage
        company: analytical  engines
        ---

        ## Log

        - 2026-09-12 intro: introduced him to [[mary-somerville]] at the society
        """,
    "grace-hopper": """\
        ---
        name: Grace Hopper
        circle: acquaintance
        met:
          date: 2024-03-15
          event: PyCon US 2024
        ---

        Everyone should meet her.

        ## Log

        - 2023-01-01 call: told me [[ada-lovelace]] is writing BACKLINK-LINE-7c1 with [[charles-babbage]]
        """,
    "percy-shelley": """\
        ---
        name: Percy Shelley
        company: Li Shi
        offers: [publishers]
        ---
        """,
    "claire-clairmont": """\
        ---
        name: Claire Clairmont
        company: 李氏
        ---
        """,
    "evil": """\
        ---
        name: Evil Eve
        company: "<b>Evil</b> & Co"
        ---
        """,
    "secret-sam": f"""\
        ---
        name: {CANARIES[0]} Sam
        private: true
        company: {CANARIES[1]}
        tags: [{CANARIES[3]}]
        met:
          date: 2024-03-14
          event: {CANARIES[2]}
        relationships:
          - {{with: ada-lovelace, type: mentee}}
        ---

        Knows [[ada-lovelace]].
        """,
    "open-olga": f"""\
        ---
        name: Open Olga
        ---

        Public notes.

        ## Private

        - 2026-01-05 intro: [[ada-lovelace]] and [[mary-somerville]] {CANARIES[4]}
        """,
}


def write_network(root: Path) -> None:
    people = root / "people"
    people.mkdir(parents=True)
    for slug, text in PEOPLE.items():
        (people / f"{slug}.md").write_text(textwrap.dedent(text), encoding="utf-8")
    for n in range(FILLERS):
        (people / f"filler-{n:03d}.md").write_text(
            f"---\nname: Filler {n:03d}\ncompany: Firm {n:03d}\ntags: [crowd]\n---\n", encoding="utf-8"
        )


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("relations")
    write_network(root)
    result, site = build_site(root)
    assert result.returncode == 0, result.stderr
    return site


def read(site: Path, rel: str) -> str:
    return (site / rel).read_text(encoding="utf-8")


def person(site: Path, slug: str) -> str:
    return read(site, f"people/{slug}/index.html")


def section_of(page: str, cls: str) -> str:
    """The text a reader sees in one kith section (tags dropped, spaces squeezed)."""
    match = re.search(rf'<section class="kith-section {re.escape(cls)}">(.*?)</section>', page, re.S)
    return text_of(match.group(1)) if match else ""


INLINE_TAG = re.compile(r"</?(?:a|span|time|code|strong|em)\b[^>]*>")


def text_of(fragment: str) -> str:
    """Text as read: inline tags vanish, block tags separate words."""
    text = re.sub(r"<[^>]+>", " ", INLINE_TAG.sub("", fragment))
    return " ".join(htmllib.unescape(text).split())


def hrefs(fragment: str) -> list[str]:
    return re.findall(r'href="([^"]+)"', fragment)


# -- person pages ------------------------------------------------------------------


def test_a_relationship_written_on_one_side_shows_its_inverse_on_the_other(built):
    ada = section_of(person(built, "ada-lovelace"), "kith-relationships")
    mary = section_of(person(built, "mary-somerville"), "kith-relationships")
    assert "Mentor Mary Somerville" in ada
    assert "Mentee Ada Lovelace" in mary
    # met.via reads both ways too
    assert "Introduced by Charles Babbage" in ada
    assert "Introduced you to Ada Lovelace" in section_of(person(built, "charles-babbage"), "kith-relationships")


def test_mentioned_by_lists_the_mentioning_line_with_links(built):
    page = person(built, "ada-lovelace")
    backlinks = section_of(page, "kith-mentioned")
    assert "Grace Hopper: 2023-01-01 call: told me Ada Lovelace is writing BACKLINK-LINE-7c1 with Charles Babbage" in backlinks
    raw = re.search(r'class="kith-section kith-mentioned">(.*?)</section>', page, re.S).group(1)
    assert "../grace-hopper/" in hrefs(raw) and "../charles-babbage/" in hrefs(raw)
    assert "[[" not in raw


def test_introductions_on_person_pages_and_the_introductions_page(built):
    charles = section_of(person(built, "charles-babbage"), "kith-introductions")
    assert "2026-09-12 You introduced them to Mary Somerville" in charles
    assert "2024-03-14 Introduced you to Ada Lovelace" in charles
    assert "Charles Babbage introduced you to them" in section_of(person(built, "ada-lovelace"), "kith-introductions")
    page = read(built, "introductions/index.html")
    listing = text_of(page)
    first = listing.index("2026-09-12 You introduced Charles Babbage and Mary Somerville")
    second = listing.index("2024-03-14 Charles Babbage introduced you to Ada Lovelace")
    assert first < second  # newest first
    assert "../people/mary-somerville/" in hrefs(page)


def test_give_and_ask_balance_counts_the_configured_kinds(built):
    balance = section_of(person(built, "ada-lovelace"), "kith-give-ask")
    assert balance == "Give and ask You gave 1 time, asked 1 time."
    assert section_of(person(built, "mary-somerville"), "kith-give-ask") == ""


def test_neighbourhood_lists_people_one_and_two_steps_away(built):
    hood = section_of(person(built, "mary-somerville"), "kith-neighbourhood")
    assert "Knows directly" in hood and "Ada Lovelace mentee" in hood and "Charles Babbage" in hood
    assert "Through Ada Lovelace" in hood or "Through Charles Babbage" in hood
    assert "Grace Hopper" in hood  # two steps: Grace mentions Ada and Charles


def test_a_need_met_by_an_offer_is_suggested_on_both_pages(built):
    ada = section_of(person(built, "ada-lovelace"), "kith-could-introduce")
    percy = section_of(person(built, "percy-shelley"), "kith-could-introduce")
    reason = "Percy Shelley offers publishers, which Ada Lovelace needs"
    assert f"Percy Shelley: {reason}" in ada
    assert f"Ada Lovelace: {reason}" in percy


def test_card_links_organisation_event_place_and_tags_to_their_pages(built):
    card = person(built, "ada-lovelace")
    card = card[card.index('<div class="kith-card"') : card.index("</dl>")]
    links = hrefs(card)
    for target in (
        "../../organisations/analytical-engines/",
        "../../events/pycon-us-2024/",
        "../../places/pittsburgh/",
        "../../tags/math/",
    ):
        assert target in links, target
        assert (built / target.replace("../../", "") / "index.html").is_file()


# -- organisations, events, places, tags -------------------------------------------------


def test_organisation_page_lists_its_members_with_circle_and_last_contact(built):
    page = read(built, "organisations/analytical-engines/index.html")
    people = section_of(page, "kith-members")
    # "analytical  engines" in Charles's file is the same organisation
    assert "3 people" in text_of(page)
    for name in ("Ada Lovelace", "Charles Babbage", "Mary Somerville"):
        assert name in people
    assert "Ada Lovelace close Analytical Engines last spoke 2026-11-02" in people
    assert "Mary Somerville friend Analytical Engines never logged" in people
    index = text_of(read(built, "organisations/index.html"))
    assert "Analytical Engines 3 people" in index


def test_event_page_lists_people_met_there_and_who_was_never_followed_up(built):
    page = read(built, "events/pycon-us-2024/index.html")
    assert "Ada Lovelace" in section_of(page, "kith-members")
    assert "Grace Hopper" in section_of(page, "kith-members")
    lonely = section_of(page, "kith-lonely")
    # Grace's only log entry is older than the day you met; Ada's are newer.
    assert "Grace Hopper" in lonely
    assert "Ada Lovelace" not in lonely
    assert "PyCon US 2024" in text_of(read(built, "events/index.html"))


def test_two_names_with_one_slug_get_separate_pages(built):
    # Two organisations whose names romanise alike: `li-shi` and `li-shi-2`.
    first = text_of(read(built, "organisations/li-shi/index.html"))
    second = text_of(read(built, "organisations/li-shi-2/index.html"))
    assert {("Claire Clairmont" in first), ("Claire Clairmont" in second)} == {True, False}
    assert {("Percy Shelley" in first), ("Percy Shelley" in second)} == {True, False}


def test_an_organisation_name_with_markup_is_escaped(built):
    page = read(built, "organisations/b-evil-b-co/index.html")
    assert "&lt;b&gt;Evil&lt;/b&gt; &amp; Co" in page
    assert "<b>Evil</b>" not in page


def directory_entries(page: str) -> int:
    listing = page.split('<ul class="kith-list kith-directory">', 1)[1].split("</ul>", 1)[0]
    return listing.count("<li>")


def test_long_index_is_split_into_pages_of_200_with_next_and_previous(built):
    first = read(built, "organisations/index.html")
    second = read(built, "organisations/page-2/index.html")
    # 210 firms, Analytical Engines, Li Shi, 李氏 and Evil & Co
    assert directory_entries(first) == 200
    assert directory_entries(second) == 14
    assert re.search(r'<a href="page-2/" rel="next">', first)
    assert re.search(r'<a href="\.\./" rel="prev">', second)
    assert "page 2 of 2" in text_of(second)
    # Only the first index page is in the navigation.
    nav = first[: first.index("<article")]
    assert "page-2" not in nav


def test_an_item_page_with_more_than_200_people_is_split(built):
    first = read(built, "tags/crowd/index.html")
    second = read(built, "tags/crowd/page-2/index.html")
    rows = lambda page: section_of(page, "kith-members").count("never logged")
    assert rows(first) == 200 and rows(second) == 10
    assert "210 people" in text_of(first)
    assert 'rel="next"' in first and 'rel="prev"' in second


def test_listing_pages_are_found_by_their_title_only_and_item_pages_stay_out_of_the_nav(built):
    index = json.loads(read(built, "search/search_index.json"))
    docs = {doc["location"].split("#")[0]: doc for doc in index["docs"]}
    for listing in ("network/", "introductions/", "organisations/page-2/"):
        assert listing not in docs, listing
    # An organisation, event, place or tag page is found by its name...
    assert docs["organisations/analytical-engines/"]["title"] == "Analytical Engines"
    assert "organisations/" in docs and "events/" in docs and "tags/crowd/" in docs
    # ...but not by the names of its people, which lead to their own pages.
    for location in ("organisations/analytical-engines/", "tags/crowd/", "organisations/", "events/"):
        text = " ".join(d["text"] for loc, d in docs.items() if loc == location)
        assert "Ada Lovelace" not in text and "Lovelace" not in text, location
    home = read(built, "index.html")
    nav = home[: home.index("<article")]
    assert "organisations/analytical-engines/" not in nav
    for page in ("organisations/", "events/", "places/", "tags/", "network/", "introductions/"):
        assert page in hrefs(nav), page


# -- the network data -----------------------------------------------------------------------------


def test_network_json_has_every_public_person_with_a_position_and_page(built):
    data = json.loads(read(built, "assets/kith/network.json"))
    ids = [n["id"] for n in data["nodes"]]
    assert len(ids) == len(PEOPLE) - 1 + FILLERS  # everyone but secret-sam
    assert "secret-sam" not in ids
    assert all(isinstance(n["x"], float) and isinstance(n["y"], float) for n in data["nodes"])
    assert len({(n["x"], n["y"]) for n in data["nodes"]}) == len(ids)  # nobody on top of someone else
    assert data["url"] == "people/{id}/"
    for node in data["nodes"][:5]:
        assert (built / data["url"].replace("{id}", node["id"]) / "index.html").is_file()
    ada, mary = ids.index("ada-lovelace"), ids.index("mary-somerville")
    assert [min(ada, mary), max(ada, mary)] in [sorted(link[:2]) for link in data["links"]]
    assert "<" not in read(built, "assets/kith/network.json")


def test_network_page_loads_only_local_files(built):
    page = read(built, "network/index.html")
    assert '<canvas id="kith-network-canvas"' in page
    assert 'data-src="../assets/kith/network.json"' in page
    assert '<script src="../assets/kith/network.js"></script>' in page
    assert (built / "assets/kith/network.js").stat().st_size > 0
    assert not re.search(r'(src|href)="(https?:)?//', page.split("<article", 1)[1].split("</article>", 1)[0])


# -- privacy -----------------------------------------------------------------------------------------


def test_private_people_and_sections_reach_no_page_no_data_no_search(built):
    for rel, text in site_text(built).items():
        for canary in CANARIES:
            assert canary not in text, f"{canary} leaked into site/{rel}"
        assert "secret-sam" not in text, rel
    assert not (built / "people" / "secret-sam").exists()
    # The private `intro` line in Olga's notes made no introduction and no backlink.
    assert "Open Olga" not in section_of(person(built, "ada-lovelace"), "kith-mentioned")
    intros = text_of(read(built, "introductions/index.html"))
    assert "Ada Lovelace and Mary Somerville" not in intros
    # Sam's relationship with Ada is gone from both sides.
    assert "Colleague" not in section_of(person(built, "ada-lovelace"), "kith-relationships")
