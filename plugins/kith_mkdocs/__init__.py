"""The kith MkDocs plugin: a thin adapter that asks the kith core for pages."""
