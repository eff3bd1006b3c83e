"""mkdocs hooks: publish the repository files that the documentation links to.

The pages are written to be read in the repository as much as on the built
site, so they link to source files with relative paths that leave ``docs/``
(``../plugins/markdown.py``, ``../README.md#try-it``).  mkdocs only knows the
files under ``docs/`` and, in strict mode, fails on such links.  Rather than
silence that check, these hooks copy every linked repository file into the
site under ``_repo/`` and point the links there; the README becomes a page
whose own links into ``docs/`` are rewritten to match.  A link to a file
that exists nowhere is left alone, so ``mkdocs build --strict`` still fails
on it.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path
from typing import Any

from mkdocs.structure.files import File, Files

REPO_PREFIX = "_repo/"
#: The page generated for a linked folder of pages that has no index of its own.
LISTING = "index.md"

# Fenced blocks and code spans: links inside them are examples, not links.
_CODE = re.compile(r"^(`{3,}|~{3,}).*?^\1|`[^`\n]*`", re.MULTILINE | re.DOTALL)
_LINK = re.compile(r"(\]\(<?)([^)\s>]+)(>?\))")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")


def _root(config: Any) -> Path:
    return Path(config["config_file_path"]).resolve().parent


def _docs(config: Any) -> Path:
    return Path(config["docs_dir"]).resolve()


def _real_path(src_uri: str, config: Any) -> Path:
    """Where the page's source lives in the repository."""
    if src_uri.startswith(REPO_PREFIX):
        return _root(config) / src_uri[len(REPO_PREFIX) :]
    return _docs(config) / src_uri


def _site_uri(target: Path, config: Any) -> str | None:
    """The site path of a repository file, or None when it is not publishable.

    A folder stands for its index.md or README.md; a folder of pages under
    docs/ without either gets a generated listing (see on_files).
    """
    docs, root = _docs(config), _root(config)
    if target.is_dir():
        for index in ("index.md", "README.md"):
            if (target / index).is_file():
                target = target / index
                break
        else:
            if target.is_relative_to(docs) and any(target.glob("*.md")):
                return (target.relative_to(docs) / LISTING).as_posix()
            return None
    if not target.is_file():
        return None
    if target.is_relative_to(docs):
        return target.relative_to(docs).as_posix()
    if target.is_relative_to(root) and ".git" not in target.relative_to(root).parts:
        return REPO_PREFIX + target.relative_to(root).as_posix()
    return None


def _links(text: str) -> list[str]:
    """Relative link targets of a Markdown text, outside code."""
    found = [match.group(2) for match in _LINK.finditer(_CODE.sub("", text))]
    return [target for target in found if not _SCHEME.match(target) and not target.startswith(("#", "/"))]


def github_slug(value: str, separator: str = "-") -> str:
    """A heading's anchor as GitHub makes it, so one link works in the repository and on the site.

    Python-Markdown's default collapses runs of separators ("TZID + VTIMEZONE"
    gives "tzid-vtimezone"); GitHub keeps one per space ("tzid--vtimezone").
    tests/test_docs.py checks the links with the same rule.
    """
    return re.sub(r"[^\w\- ]", "", value.strip().lower()).replace(" ", separator)


def on_config(config: Any) -> Any:
    """Make heading anchors match GitHub's."""
    config["mdx_configs"].setdefault("toc", {})["slugify"] = github_slug
    return config


def on_files(files: Files, config: Any) -> Files:
    """Add the repository files linked from the pages (and from those, for Markdown)."""
    queue = [file.src_uri for file in files.documentation_pages()]
    seen = set(queue)
    while queue:
        src_uri = queue.pop()
        page = _real_path(src_uri, config)
        for target in _links(page.read_text(encoding="utf-8")):
            path = target.partition("#")[0]
            if not path:
                continue
            target_path = (page.parent / path).resolve()
            uri = _site_uri(target_path, config)
            if uri is None or uri in seen or files.get_file_from_path(uri) is not None:
                continue
            seen.add(uri)
            if uri.startswith(REPO_PREFIX):
                source = _root(config) / uri[len(REPO_PREFIX) :]
                files.append(File.generated(config, uri, abs_src_path=str(source)))
                if uri.endswith(".md"):
                    queue.append(uri)
            else:  # a folder of pages without an index
                files.append(File.generated(config, uri, content=_listing(target_path)))
    return files


def _listing(folder: Path) -> str:
    """A page linking to every page of ``folder``, by their first heading."""
    lines = [f"# {folder.name}", ""]
    for page in sorted(folder.glob("*.md")):
        text = page.read_text(encoding="utf-8")
        heading = next((line.lstrip("# ").strip() for line in text.splitlines() if line.startswith("# ")), page.stem)
        lines.append(f"- [{heading}]({page.name})")
    return "\n".join(lines) + "\n"


def on_page_markdown(markdown: str, page: Any, config: Any, files: Files) -> str:
    """Point links that leave docs/ (or come from a copied page) at the published copies."""
    src_uri = page.file.src_uri
    real = _real_path(src_uri, config)

    def rewrite(match: re.Match[str]) -> str:
        target = match.group(2)
        if _SCHEME.match(target) or target.startswith(("#", "/")):
            return match.group(0)
        path, hash_, fragment = target.partition("#")
        resolved = (real.parent / path).resolve()
        uri = _site_uri(resolved, config)
        leaves_docs = uri is not None and uri.startswith(REPO_PREFIX)
        if uri is None or not (leaves_docs or resolved.is_dir() or src_uri.startswith(REPO_PREFIX)):
            return match.group(0)
        relative = posixpath.relpath(uri, posixpath.dirname(src_uri) or ".")
        return f"{match.group(1)}{relative}{hash_}{fragment}{match.group(3)}"

    pieces = []
    position = 0
    for code in _CODE.finditer(markdown):
        pieces.append(_LINK.sub(rewrite, markdown[position : code.start()]))
        pieces.append(code.group(0))
        position = code.end()
    pieces.append(_LINK.sub(rewrite, markdown[position:]))
    return "".join(pieces)
