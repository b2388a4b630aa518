"""batchUpdate requests on conditional formats: add and delete a ConditionalFormatRule.

A tab keeps its rules in priority order (index 0 is applied first), as Google lists them
under `sheets[].conditionalFormats`::

    addConditionalFormatRule     {"rule": {"ranges": [GridRange…], "booleanRule": {…}}, "index": 0}
    deleteConditionalFormatRule  {"sheetId": 7, "index": 0}   -> reply {"rule": the removed rule}

The emulator stores the rules and checks what Google checks before accepting one (ranges on
one existing tab and inside its grid, one kind of rule, a condition type, an index in
range); it does not evaluate them: no cell shows a conditional colour.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from . import formulas
from .model import Sheet, Spreadsheet
from .objects import RequestError, echo_range, grid_range, sheet_by_id


def _index(payload: dict[str, Any], size: int) -> int:
    index = payload.get("index", 0)
    if not isinstance(index, int) or isinstance(index, bool) or not 0 <= index <= size:
        raise RequestError(f"Invalid index: {index!r} (the tab has {size} rules).")
    return index


def _check_rule(book: Spreadsheet, rule: Any) -> Sheet:
    """The tab a rule applies to, once the rule is found acceptable."""
    if not isinstance(rule, dict):
        raise RequestError("rule is required.")
    ranges = rule.get("ranges")
    if not isinstance(ranges, list) or not ranges:
        raise RequestError("rule.ranges must hold at least one range.")
    sheets = {grid_range(book, rng)[0].sheet_id for rng in ranges}
    if len(sheets) != 1:
        raise RequestError("All ranges of a conditional format rule must be on the same sheet.")
    kinds = [k for k in ("booleanRule", "gradientRule") if rule.get(k)]
    if len(kinds) != 1:
        raise RequestError("Exactly one of booleanRule or gradientRule must be set.")
    if kinds == ["booleanRule"]:
        boolean = rule["booleanRule"]
        if not isinstance(boolean, dict) or not (boolean.get("condition") or {}).get("type"):
            raise RequestError("booleanRule.condition.type is required.")
        refused = formulas.check_condition(
            boolean["condition"], formulas.locale_of(book.properties), "booleanRule.condition")
        if refused:
            raise RequestError(refused)
    elif not isinstance(rule["gradientRule"], dict) or not rule["gradientRule"].get("maxpoint"):
        raise RequestError("gradientRule.minpoint and maxpoint are required.")
    return sheet_by_id(book, sheets.pop())


def add_conditional_format_rule(book: Spreadsheet, payload: dict[str, Any]) -> None:
    sheet = _check_rule(book, payload.get("rule"))
    index = _index(payload, len(sheet.conditional_formats))
    rule: dict[str, Any] = copy.deepcopy(payload["rule"])
    rule["ranges"] = [echo_range(r) for r in rule["ranges"]]
    sheet.conditional_formats.insert(index, rule)


def delete_conditional_format_rule(book: Spreadsheet, payload: dict[str, Any]) -> dict[str, Any]:
    sheet = sheet_by_id(book, payload.get("sheetId", 0))
    rules = sheet.conditional_formats
    index = _index(payload, len(rules) - 1) if rules else None
    if index is None:
        raise RequestError(f"No conditional format on sheet: {sheet.sheet_id}")
    return {"rule": rules.pop(index)}


HANDLERS: dict[str, Callable[[Spreadsheet, dict[str, Any]], dict[str, Any] | None]] = {
    "addConditionalFormatRule": add_conditional_format_rule,
    "deleteConditionalFormatRule": delete_conditional_format_rule,
}
