"""Relative links between generated pages, with and without directory URLs."""

import pytest

from kith.render.html import Linker, e, page_url, relative_url


@pytest.mark.parametrize(
    "here, target, expected",
    [
        ("people/a/", "people/b/", "../b/"),
        ("", "people/ada/", "people/ada/"),
        ("people/ada/", "", "../../"),
        ("followups/", "assets/kith/network.js", "../assets/kith/network.js"),
        ("people/a/", "people/a/", "./"),
        ("", "", "./"),
        ("organisations/page-2/", "organisations/", "../"),
        ("people/ada.html", "people/bob.html", "bob.html"),
        ("index.html", "people/bob.html", "people/bob.html"),
        ("people/index.html", "index.html", "../index.html"),
    ],
)
def test_relative_url(here, target, expected):
    assert relative_url(here, target) == expected


def test_page_url_follows_mkdocs():
    assert page_url("index.md") == ""
    assert page_url("people/index.md") == "people/"
    assert page_url("people/ada.md") == "people/ada/"
    assert page_url("people/ada.md", directory_urls=False) == "people/ada.html"


def test_linker_from_a_person_page():
    linker = Linker("people/ada.md")
    assert linker.person("bob") == "../bob/"
    assert linker.to("index.md") == "../../"
    assert Linker("people/ada.md", directory_urls=False).person("bob") == "bob.html"


def test_escape_covers_attributes():
    assert e('"<x>&') == "&quot;&lt;x&gt;&amp;"
