"""Material's navigation is rendered once per folder of person pages
(plugins/kith_mkdocs/navcache.py). The site must be the same, byte for byte,
as when every page renders its own: built both ways here, the second with a
copy of Material's nav.html in `custom_dir`, which turns the cache off."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sitebuild import build_site, site_files

pytestmark = pytest.mark.slow

MATERIAL_NAV = Path(__import__("material").__file__).parent / "templates" / "partials" / "nav.html"


def _people(repo) -> None:
    repo.person("ada", "name: Ada\ntags: [math]\n", "Knows [[bob]].\n")
    repo.person("bob", "name: Bob\n", "- 2026-01-02 call\n")
    repo.person("cy", "name: Cy <b>\n")
    repo.write("docs/about.md", "# About\n")
    # A page of the user's under a person's URL: links to it differ per person page.
    repo.write("docs/people/ada/more.md", "# More on Ada\n")


def _tree(site: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(site)): path.read_bytes()
        for path in site_files(site)
        if path.suffix == ".html"
    }


@pytest.mark.parametrize(
    "extra",
    [
        "",
        "use_directory_urls: false\n",
        # The user's nav, naming a person page and the page nested under one.
        "nav:\n  - About: about.md\n  - Ada: people/ada.md\n  - More: people/ada/more.md\n  - Out: https://example.org/\n",
    ],
    ids=["default", "file-urls", "own-nav"],
)
def test_the_site_is_the_same_with_the_nav_rendered_once(repo, tmp_path: Path, extra: str) -> None:
    _people(repo)
    result, site = build_site(repo.root, extra=extra)
    assert result.returncode == 0, result.stderr
    cached = _tree(site)

    overrides = repo.root / "overrides" / "partials"
    overrides.mkdir(parents=True)
    shutil.copyfile(MATERIAL_NAV, overrides / "nav.html")
    (repo.root / "mkdocs.yml").write_text(
        (repo.root / "mkdocs.yml").read_text().replace("  name: material\n", "  name: material\n  custom_dir: overrides\n")
    )
    result, site = build_site(repo.root, keep_config=True)
    assert result.returncode == 0, result.stderr
    plain = _tree(site)

    assert cached.keys() == plain.keys()
    different = [name for name in cached if cached[name] != plain[name]]
    assert different == []
    # The person pages do have the nav (it is not cached away empty).
    ada = next(text for name, text in cached.items() if "ada" in name and "more" not in name)
    assert b"md-nav--primary" in ada and b"About" in ada


def test_the_cache_is_on_only_for_materials_own_nav(tmp_path: Path) -> None:
    from mkdocs.config import load_config

    from kith_mkdocs import navcache

    (tmp_path / "docs").mkdir()
    config_file = tmp_path / "mkdocs.yml"
    config_file.write_text("site_name: x\ntheme:\n  name: material\n  font: false\n")
    env = load_config(str(config_file)).theme.get_env()
    assert navcache.install(env, frozenset({"people/ada.md"}), frozenset())
    assert env.get_template("partials/nav.html") is not None

    (tmp_path / "overrides" / "partials").mkdir(parents=True)
    (tmp_path / "overrides" / "partials" / "nav-item.html").write_text("{% macro render(n, p, l) %}{% endmacro %}")
    config_file.write_text("site_name: x\ntheme:\n  name: material\n  font: false\n  custom_dir: overrides\n")
    env = load_config(str(config_file)).theme.get_env()
    assert not navcache.install(env, frozenset({"people/ada.md"}), frozenset())
