"""Issues found in the data, and the report that collects them."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field

from . import messages


@dataclass(frozen=True)
class Issue:
    """One problem in what was typed, spoken as the principal sees it."""

    code: str
    severity: str
    tab: str
    cell: str | None
    field: str | None
    value: str | None
    message: str
    row: int | None = None

    def as_dict(self) -> dict[str, object]:
        data = asdict(self)
        data.pop("row")
        return data


def make_issue(
    code: str,
    *,
    tab: str,
    cell: str | None = None,
    field: str | None = None,
    label: str | None = None,
    value: object = None,
    row: int | None = None,
    **extra: object,
) -> Issue:
    """Build an issue with its severity and French message taken from the catalogue."""
    shown = None if value is None else str(value)
    text = messages.render(code, label=label or field or "", cell=cell or "", tab=tab,
                           value=shown, **extra)
    return Issue(code, messages.severity_of(code), tab, cell, field, shown, text, row)


@dataclass
class Report:
    """All issues of one run, in the order they were found."""

    issues: list[Issue] = field(default_factory=list)

    def add(self, issue: Issue) -> None:
        self.issues.append(issue)

    def extend(self, issues: Iterable[Issue]) -> None:
        self.issues.extend(issues)

    def __iter__(self) -> Iterator[Issue]:
        return iter(self.issues)

    def __len__(self) -> int:
        return len(self.issues)

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == messages.ERROR]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == messages.WARNING]

    def flatten(self, keys: Sequence[str]) -> list[list[object]]:
        """Issues as rows of chosen attributes: handy to assert on codes and cells."""
        return [[getattr(i, k) for k in keys] for i in self.issues]
