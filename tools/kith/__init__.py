"""kith: a personal CRM built from plain text.

The core library: load contacts (`kith.load`), check them (`kith.validate`),
compute follow-ups and the relationship graph, render the generated pages and
write files without losing a byte. The CLI (`kith.cli`) and the MkDocs plugin
(`kith_mkdocs`) are thin layers over it.
"""

__version__ = "0.1.0"
