"""The generated site, as plain data and HTML strings: which pages exist and
what each shows. The MkDocs plugin and `kith render` both call this package;
neither adds content of its own."""

from .context import SiteContext
from .pages import ASSET_DIR, Asset, Page, site_assets, site_pages

__all__ = ["ASSET_DIR", "Asset", "Page", "SiteContext", "site_assets", "site_pages"]
