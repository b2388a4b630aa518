"""A minimal RFC 5545 reader written for the tests, independent of the `icalendar` library the
backend writes with: unfolding, content lines, components, TEXT unescaping."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

_ESCAPES = re.compile(r"\\([\\;,nN])")


@dataclass
class Component:
    name: str
    props: list[tuple[str, dict[str, str], str]] = field(default_factory=list)
    children: list[Component] = field(default_factory=list)

    def get(self, name: str) -> str:
        return next(v for n, _, v in self.props if n == name)

    def params(self, name: str) -> dict[str, str]:
        return next(p for n, p, _ in self.props if n == name)

    def text(self, name: str) -> str:
        return _ESCAPES.sub(lambda m: "\n" if m[1] in "nN" else m[1], self.get(name))

    def walk(self, name: str) -> list[Component]:
        found = [self] if self.name == name else []
        for child in self.children:
            found += child.walk(name)
        return found


def raw_lines(data: bytes) -> list[bytes]:
    """Physical lines: every one must end with CRLF (RFC 5545 §3.1)."""
    assert data.endswith(b"\r\n")
    return data[:-2].split(b"\r\n")


def unfold(data: bytes) -> list[str]:
    """Content lines: a CRLF followed by one space or tab continues the previous line."""
    text = data.replace(b"\r\n ", b"").replace(b"\r\n\t", b"").decode("utf-8")
    assert text.endswith("\r\n")
    return text[:-2].split("\r\n")


def _split(line: str) -> tuple[str, dict[str, str], str]:
    in_quotes = False
    for i, ch in enumerate(line):
        if ch == '"':
            in_quotes = not in_quotes
        elif ch == ":" and not in_quotes:
            head, value = line[:i], line[i + 1:]
            break
    else:
        raise AssertionError(f"no value in {line!r}")
    name, *params = head.split(";")
    return name.upper(), dict(p.split("=", 1) for p in params), value


def parse(data: bytes) -> Component:
    stack: list[Component] = []
    root: Component | None = None
    for line in unfold(data):
        name, params, value = _split(line)
        if name == "BEGIN":
            component = Component(value.upper())
            if stack:
                stack[-1].children.append(component)
            else:
                assert root is None, "one VCALENDAR per file"
                root = component
            stack.append(component)
        elif name == "END":
            assert stack and stack.pop().name == value.upper(), f"unbalanced END:{value}"
        else:
            assert stack, f"property outside a component: {line!r}"
            stack[-1].props.append((name, params, value))
    assert root is not None and not stack
    return root


def local_time(value: str) -> dt.datetime:
    """A DATE-TIME in local (TZID) form: 20260914T090000."""
    return dt.datetime.strptime(value, "%Y%m%dT%H%M%S")
