"""Message templates: Jinja2 in its sandbox, with strict undefined.

Every template is compiled when the workflows load, and the names it uses
are checked there (spec.py), so a misspelt field is a configuration error,
never a blank in someone's inbox. Four flavours, one per place a message
goes, each keeping a submitted value inert where it lands:

- text: e-mail subjects, plain bodies, addresses and appended cells, as typed;
- html: the HTML part of an e-mail, every value escaped (autoescape);
- chat: Slack, Teams and Google Chat text, where <, > and & in a value are
  escaped (Slack's rules), so a value cannot mention @channel or make a link;
- json: a webhook body, where each {{ value }} becomes a JSON literal.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Mapping

from babel.dates import format_date
from jinja2 import StrictUndefined, TemplateError, nodes
from jinja2.meta import find_undeclared_variables
from jinja2.sandbox import SandboxedEnvironment

from ..cells import DateReader

KINDS = ("text", "html", "chat", "json")


class TemplateProblem(ValueError):
    """A template cannot be compiled or filled; the message says why."""


def chat_escape(value: Any) -> str:
    """A value as chat text: Slack's three control characters escaped."""
    return str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _finalize(kind: str):
    if kind == "chat":
        return lambda value: chat_escape("" if value is None else value)
    if kind == "json":
        return lambda value: json.dumps(value, ensure_ascii=False, default=str)
    return lambda value: "" if value is None else value


@lru_cache(maxsize=None)
def environment(kind: str, dates: DateReader = DateReader()) -> SandboxedEnvironment:
    """The environment of one flavour, its `date` filter reading and writing
    dates as the alliance does (`dates`: its locale and time zone)."""
    env = SandboxedEnvironment(undefined=StrictUndefined, autoescape=kind == "html", finalize=_finalize(kind),
                               keep_trailing_newline=True)

    def date(value: Any, pattern: str = "EEEE d MMMM y") -> str:
        """A date (or a cell holding one) in the alliance's words: Tuesday 1 December 2026."""
        day = value if isinstance(value, dt.date) else dates.read(value).value
        return format_date(day, pattern, locale=dates.locale) if day else ("" if value is None else str(value))

    env.filters["date"] = date
    env.filters["lines"] = lambda value: [line.strip() for line in str(value or "").splitlines() if line.strip()]
    return env


@dataclass(frozen=True)
class Template:
    source: str
    kind: str
    dates: DateReader                                       # the alliance's locale and time zone
    names: frozenset[str]                                   # top-level variables it uses
    attributes: frozenset[tuple[str, str]] = field(default=frozenset())  # (variable, attribute) pairs

    def uses(self, variable: str, attribute: str) -> bool:
        return (variable, attribute) in self.attributes

    def render(self, context: Mapping[str, Any]) -> str:
        try:
            return _compiled(self.source, self.kind, self.dates).render(context)
        except TemplateError as exc:
            raise TemplateProblem(f"the template could not be filled: {exc}") from None
        except (TypeError, ValueError, ArithmeticError) as exc:
            raise TemplateProblem(f"the template could not be filled: {exc}") from None


@lru_cache(maxsize=1024)
def _compiled(source: str, kind: str, dates: DateReader):
    return environment(kind, dates).from_string(source)


def compile_template(source: Any, kind: str, dates: DateReader = DateReader()) -> Template:
    """Parse a template once; TemplateProblem with the line and reason when it cannot be."""
    if not isinstance(source, str):
        raise TemplateProblem(f"expected text, got {source!r}")
    env = environment(kind, dates)
    try:
        tree = env.parse(source)
        _compiled(source, kind, dates)
    except TemplateError as exc:
        line = getattr(exc, "lineno", None)
        raise TemplateProblem(f"{exc}" + (f" (line {line})" if line else "")) from None
    attributes = set()
    for node in tree.find_all((nodes.Getattr, nodes.Getitem)):
        if isinstance(node.node, nodes.Name):
            key = node.attr if isinstance(node, nodes.Getattr) else getattr(node.arg, "value", None)
            if isinstance(key, str):
                attributes.add((node.node.name, key))
    return Template(source, kind, dates, frozenset(find_undeclared_variables(tree)), frozenset(attributes))
