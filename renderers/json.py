"""JSON rendering of a Report: its dataclasses as plain objects, dates in ISO format."""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from enum import Enum

from core.formatting import format_cell
from core.report import BulletList, Cell, FlowMap, Paragraph, Report, Section, Table

# Blocks share one list in a section, so each carries its kind for the reader to dispatch on.
_BLOCK_TYPES = {Paragraph: "paragraph", BulletList: "bullets", Table: "table", FlowMap: "flow_map"}


def to_plain(value: object) -> object:
    """Return ``value`` as JSON-ready data: dataclasses as dicts, enums as values, dates ISO."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out: dict[str, object] = {}
        if type(value) in _BLOCK_TYPES:
            out["type"] = _BLOCK_TYPES[type(value)]
        out.update({f.name: to_plain(getattr(value, f.name)) for f in dataclasses.fields(value)})
        if isinstance(value, Cell):
            out.pop("display")  # the language's writing of the value is its "text"
            out["text"] = format_cell(value)
        return out
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [to_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_plain(v) for k, v in value.items()}
    return value


def _dump(value: object) -> str:
    return json.dumps(to_plain(value), ensure_ascii=False, indent=2) + "\n"


def render_json(report: Report) -> str:
    """Return the report as JSON text."""
    return _dump(report)


def render_section_json(section: Section) -> str:
    """Return one section as JSON text."""
    return _dump(section)
