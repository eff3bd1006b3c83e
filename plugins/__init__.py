"""The formats ``timeline`` ships with.

Each module is an ordinary plugin, registered through the same ``timeline``
entry-point group a third party uses (see ``pyproject.toml``), and installed
as ``timeline.plugins``.  They use only the public API: read them as
examples of how to write your own.
"""
