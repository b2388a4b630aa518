"""Text-level edits of small XML parts of an .xlsx package, leaving every other byte as it was.

The graft (graft.py) edits a few parts of someone's package (the tab list, relationships,
content types, styles) without re-serialising them: a parser would rewrite namespaces,
quotes and whitespace that other programs may rely on. These helpers find an element by its
local name (any prefix), read or set one attribute, append children, and say which prefixes
are in scope at a spot (each tool declares namespaces in its own places: tests/data/tools/),
on the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from xml.etree.ElementTree import Element

from defusedxml import ElementTree as SafeET

_ATTRS = r"""(?:[^>"']|"[^"]*"|'[^']*')*"""


class GraftError(ValueError):
    """The package is not laid out as expected: nothing is written."""


def parse(data: bytes) -> Element:
    try:
        root: Element = SafeET.fromstring(data)
    except Exception as exc:  # defusedxml raises several kinds
        raise GraftError(f"XML illisible ({type(exc).__name__})") from None
    return root


def decode(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise GraftError("partie XML non UTF-8") from None


def tag(local: str, prefix: str | None = None) -> re.Pattern[str]:
    """An element's start (or empty) tag, any namespace prefix unless one is given."""
    pfx = r"((?:[A-Za-z_][\w.-]*:)?)" if prefix is None else f"({re.escape(prefix)})"
    return re.compile(rf"<{pfx}{local}(?=[\s/>]){_ATTRS}>")


def element(text: str, local: str, start: int = 0) -> tuple[int, int, int, int, str] | None:
    """(start, end of start tag, start of end tag, end, prefix) of the first such element."""
    found = tag(local).search(text, start)
    if found is None:
        return None
    prefix = found.group(1)
    if found.group(0).endswith("/>"):
        return found.start(), found.end(), found.end(), found.end(), prefix
    close = text.find(f"</{prefix}{local}>", found.end())
    if close < 0:
        raise GraftError(f"élément {local} non fermé")
    return found.start(), found.end(), close, close + len(f"</{prefix}{local}>"), prefix


def children(text: str, local: str, prefix: str) -> re.Pattern[str]:
    """Whole child elements <p:local …/> or <p:local …>…</p:local> (no nesting of the same)."""
    p = re.escape(prefix)
    return re.compile(rf"<{p}{local}(?=[\s/>]){_ATTRS}?(?:/>|(?<!/)>.*?</{p}{local}>)", re.S)


def attr(tag: str, name: str) -> str | None:
    found = re.search(rf"""\s{re.escape(name)}\s*=\s*(?:"([^"]*)"|'([^']*)')""", tag)
    if found is None:
        return None
    return unescape(found.group(1) if found.group(1) is not None else found.group(2))


def set_attr(tag: str, name: str, value: str | None) -> str:
    """The start tag with attribute `name` set where it was, else last (or removed when value
    is None)."""
    rx = re.compile(rf"""(\s){re.escape(name)}\s*=\s*(?:"[^"]*"|'[^']*')""")
    if value is None:
        return rx.sub("", tag, count=1)
    if rx.search(tag):
        return rx.sub(lambda m: f'{m.group(1)}{name}="{escape(value)}"', tag, count=1)
    end = len(tag) - (2 if tag.endswith("/>") else 1)
    return f'{tag[:end]} {name}="{escape(value)}"{tag[end:]}'


def escape(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def unescape(text: str) -> str:
    out = text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')
    return out.replace("&apos;", "'").replace("&amp;", "&")


def append(text: str, local: str, items: list[str], total: int, after: Iterable[str] = ()) -> str:
    """Append child elements to the first <local> element and set its count to `total`; the
    element is created when missing, right after the first of `after` found, else after the
    root's start tag."""
    if not items:
        return text
    span = element(text, local)
    if span is None:
        prefix = root_prefix(text)
        spot = insertion_point(text, after)
        new = f'<{prefix}{local} count="{total}">{"".join(items)}</{prefix}{local}>'
        return text[:spot] + new + text[spot:]
    start, open_end, close, end, prefix = span
    head = text[start:open_end]
    if head.endswith("/>"):
        head = head[:-2] + ">"
        tail = f"</{prefix}{local}>"
    else:
        tail = text[close:end]
    head = set_attr(head, "count", str(total))
    return text[:start] + head + text[open_end:close] + "".join(items) + tail + text[end:]


def root_prefix(text: str) -> str:
    found = re.search(r"<(?![?!])((?:[A-Za-z_][\w.-]*:)?)[A-Za-z_][\w.-]*", text)
    return found.group(1) if found else ""


def insertion_point(text: str, after: Iterable[str]) -> int:
    for local in after:
        span = element(text, local)
        if span is not None:
            return span[3]
    root = re.search(rf"<(?![?!])[A-Za-z_][\w.:-]*{_ATTRS}>", text)
    if root is None:
        raise GraftError("racine introuvable")
    return root.end()


XML_NS = "http://www.w3.org/XML/1998/namespace"
_MARKUP = re.compile(
    rf"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<[?!][^>]*>|</[^>]*>|<[A-Za-z_][\w.:-]*{_ATTRS}>", re.S
)
_XMLNS = re.compile(r"""\sxmlns(?::([\w.-]+))?\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def namespaces(text: str, pos: int) -> dict[str, str]:
    """Prefix -> namespace in scope at `pos` ("" for the default namespace), as XML defines
    scope: the declarations of every element still open there, the innermost winning.

    A declaration may sit on any element (openpyxl with lxml declares xmlns:r on each
    <sheet>, Excel on the root): a prefix seen on a sibling is not in scope.
    """
    stack: list[dict[str, str]] = []
    for found in _MARKUP.finditer(text, 0, pos):
        token = found.group(0)
        if token.startswith("</"):
            if stack:
                stack.pop()
        elif not token.startswith(("<!", "<?")) and not token.endswith("/>"):
            # findall gives "" for the quote style not used
            stack.append({p: unescape(dq + sq) for p, dq, sq in _XMLNS.findall(token)})
    scope = {"xml": XML_NS}
    for declared in stack:
        scope.update(declared)
    return scope


def prefix_in_scope(text: str, pos: int, namespace: str) -> str | None:
    """A prefix bound to `namespace` at `pos` (never the default namespace), or None."""
    scope = namespaces(text, pos)
    return next((p for p, uri in scope.items() if p and uri == namespace), None)


def append_plain(text: str, local: str, items: list[str]) -> str:
    """Append children to an element that has no count attribute."""
    span = element(text, local)
    if span is None:
        raise GraftError(f"élément {local} introuvable")
    start, open_end, close, end, prefix = span
    head = text[start:open_end]
    if head.endswith("/>"):
        return text[:start] + head[:-2] + ">" + "".join(items) + f"</{prefix}{local}>" + text[end:]
    return text[:close] + "".join(items) + text[close:]


def replace_inner(text: str, local: str, inner: str) -> str:
    span = element(text, local)
    if span is None or span[1] == span[3]:
        return text
    _, open_end, close, _, _ = span
    return text[:open_end] + inner + text[close:]
