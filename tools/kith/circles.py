"""How close someone is: the values of `circle`, closest first.

Part of the model (kith.model re-exports it), in a module of its own so
that a command's options can offer the choices without importing the model.
"""

CIRCLES = ("inner", "close", "friend", "acquaintance")
"""Closest first: the order in which ties are broken and counts are shown."""
