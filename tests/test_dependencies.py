"""Every declared runtime dependency is used: a dependency nothing imports costs every install for nothing."""

from __future__ import annotations

import re
import sys
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).parent.parent
#: Distribution name -> the module name code imports it by.
IMPORT_NAMES = {"attrs": "attrs", "click": "click", "pluggy": "pluggy", "markdown-it-py": "markdown_it",
                "pyyaml": "yaml", "tomli": "tomli", "icalendar": "icalendar",
                "python-dateutil": "dateutil", "pendulum": "pendulum"}
#: Data packages used without an import statement, with the reason.
USED_WITHOUT_IMPORT = {"tzdata": "the tz database zoneinfo falls back to where the system has none"}


def _declared() -> list[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return [re.split(r"[<>=!~; \[]", spec, maxsplit=1)[0].lower() for spec in project["dependencies"]]


def test_every_declared_dependency_is_imported():
    source = "\n".join(p.read_text(encoding="utf-8") for d in ("timeline", "plugins") for p in (ROOT / d).rglob("*.py"))
    unused = []
    for name in _declared():
        if name in USED_WITHOUT_IMPORT:
            continue
        module = IMPORT_NAMES.get(name)
        assert module is not None, f"add the import name of {name!r} to IMPORT_NAMES"
        if not re.search(rf"^\s*(import|from)\s+{module}\b", source, re.MULTILINE):
            unused.append(name)
    assert not unused, f"declared in pyproject.toml but imported nowhere: {unused}"


def test_zoneinfo_finds_zones_through_tzdata_when_the_system_has_none(monkeypatch):
    """The reason tzdata is declared: with no system database, zoneinfo reads the package."""
    import zoneinfo

    monkeypatch.setattr(zoneinfo, "TZPATH", ())
    zoneinfo.reset_tzpath(to=[])
    try:
        zoneinfo.ZoneInfo.clear_cache()
        import datetime

        summit = datetime.datetime(2024, 6, 19, 2, 22, tzinfo=zoneinfo.ZoneInfo("Asia/Pyongyang"))
        assert summit.utcoffset() == datetime.timedelta(hours=9)
    finally:
        zoneinfo.reset_tzpath()
        zoneinfo.ZoneInfo.clear_cache()
