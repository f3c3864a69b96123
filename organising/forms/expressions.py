"""A small, safe evaluator for XLSForm-style expressions in form specs.

Used for `relevant` ("show only if …") and `constraint` ("the answer must …").
It parses into a tree once at start-up and walks it; nothing is ever handed
to Python's eval, so a spreadsheet-editing coordinator cannot run code.

    ${potential_leader} = 'yes'
    selected(${issues}, 'other') and ${people_affected} >= 1
    . >= 0 and . <= 100000            (`.` is the answer being checked)
    string-length(.) <= 500 or regex(., '^[0-9 +()-]+$')
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any, Callable, Mapping


class ExpressionError(ValueError):
    """A spec's expression cannot be parsed."""


_TOKEN = re.compile(r"""
    (?P<space>\s+)
  | (?P<ref>\$\{\s*(?P<refname>[A-Za-z_][A-Za-z0-9_]*)\s*\})
  | (?P<number>\d+(?:\.\d+)?)
  | (?P<string>'(?:[^'])*'|"(?:[^"])*")
  | (?P<op><=|>=|!=|==|=|<|>|\+|-|\*|/|\(|\)|,)
  | (?P<name>[A-Za-z_][A-Za-z0-9_-]*)
  | (?P<dot>\.)
""", re.VERBOSE)

_WORD_OPS = {"and", "or", "not", "div", "mod"}


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str


def _tokenise(source: str) -> list[_Token]:
    tokens, pos = [], 0
    while pos < len(source):
        m = _TOKEN.match(source, pos)
        if not m:
            raise ExpressionError(f"unexpected {source[pos]!r} at position {pos + 1} in {source!r}")
        pos = m.end()
        kind = m.lastgroup
        if kind == "space":
            continue
        if kind == "ref":
            tokens.append(_Token("ref", m.group("refname")))
        elif kind == "name" and m.group() in _WORD_OPS:
            tokens.append(_Token("op", m.group()))
        else:
            tokens.append(_Token(kind, m.group()))
    return tokens


# ---- evaluation helpers -------------------------------------------------------

def _is_empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == ()


def _as_number(value: Any) -> float | None:
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            return None
    return None


def _as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None


def _as_text(value: Any) -> str:
    if _is_empty(value):
        return ""
    if isinstance(value, (list, tuple)):
        return " ".join(str(v) for v in value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _compare(op: str, left: Any, right: Any) -> bool:
    if _is_empty(left) or _is_empty(right):
        # As in XLSForm: an unanswered question equals only an empty string.
        both_empty = _is_empty(left) and _is_empty(right)
        return {"=": both_empty, "!=": not both_empty}.get(op, False)
    pairs = [(_as_number(left), _as_number(right)), (_as_date(left), _as_date(right))]
    for a, b in pairs:
        if a is not None and b is not None:
            break
    else:
        a, b = _as_text(left), _as_text(right)
    return {"=": a == b, "!=": a != b, "<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[op]


def _selected(values: Any, choice: Any) -> bool:
    if isinstance(values, (list, tuple)):
        return _as_text(choice) in [_as_text(v) for v in values]
    return _as_text(choice) in _as_text(values).replace(",", " ").split()


def _regex(value: Any, pattern: Any) -> bool:
    try:
        return re.search(_as_text(pattern), _as_text(value)) is not None
    except re.error:
        return False


def _arith(op: str, left: Any, right: Any) -> float | None:
    a, b = _as_number(left), _as_number(right)
    if a is None or b is None:
        return None
    if op in ("/", "div", "mod") and b == 0:
        return None
    return {"+": a + b, "-": a - b, "*": a * b, "/": a / b, "div": a / b, "mod": a % b}[op]


_FUNCTIONS: dict[str, tuple[int, Callable[..., Any]]] = {
    "selected": (2, _selected),
    "count-selected": (1, lambda v: len(v) if isinstance(v, (list, tuple)) else len(_as_text(v).replace(",", " ").split())),
    "string-length": (1, lambda v: len(_as_text(v))),
    "regex": (2, _regex),
    "today": (0, None),  # filled at evaluation time so tests can fix the date
    "true": (0, lambda: True),
    "false": (0, lambda: False),
    "not": (1, lambda v: not _truthy(v)),
    "number": (1, _as_number),
    "if": (3, lambda c, a, b: a if _truthy(c) else b),
}


# The functions a spec may use; an XLSForm's others (pulldata, concat, …) cannot be carried over.
FUNCTIONS = frozenset(_FUNCTIONS)


def _truthy(value: Any) -> bool:
    if isinstance(value, str):
        return value != ""
    return bool(value)


# ---- parse tree -------------------------------------------------------------

@dataclass(frozen=True)
class _Node:
    kind: str            # literal, ref, dot, call, unary, binary, and, or
    value: Any = None
    children: tuple["_Node", ...] = ()


class _Parser:
    def __init__(self, source: str):
        self.source = source
        self.tokens = _tokenise(source)
        self.pos = 0

    def peek(self) -> _Token | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self, text: str | None = None) -> _Token:
        tok = self.peek()
        if tok is None:
            raise ExpressionError(f"{self.source!r} ends too early")
        if text is not None and tok.text != text:
            raise ExpressionError(f"expected {text!r} but found {tok.text!r} in {self.source!r}")
        self.pos += 1
        return tok

    def at_op(self, *ops: str) -> bool:
        tok = self.peek()
        return tok is not None and tok.kind == "op" and tok.text in ops

    def parse(self) -> _Node:
        if not self.tokens:
            raise ExpressionError("the expression is empty")
        node = self.or_expr()
        if self.peek() is not None:
            raise ExpressionError(f"unexpected {self.peek().text!r} in {self.source!r}")
        return node

    def _chain(self, operand, ops: tuple[str, ...], kind: str = "binary") -> _Node:
        """Left-associative operators of one precedence level."""
        node = operand()
        while self.at_op(*ops):
            op = self.take().text
            node = _Node(kind, op, (node, operand()))
        return node

    def or_expr(self) -> _Node:
        return self._chain(self.and_expr, ("or",), "or")

    def and_expr(self) -> _Node:
        return self._chain(self.not_expr, ("and",), "and")

    def not_expr(self) -> _Node:
        if self.at_op("not") and not self._next_is_paren():
            self.take()
            return _Node("unary", "not", (self.not_expr(),))
        return self.comparison()

    def _next_is_paren(self) -> bool:
        nxt = self.tokens[self.pos + 1] if self.pos + 1 < len(self.tokens) else None
        return nxt is not None and nxt.text == "("

    def comparison(self) -> _Node:
        node = self.additive()
        if self.at_op("=", "==", "!=", "<", "<=", ">", ">="):
            op = self.take().text
            node = _Node("binary", "=" if op == "==" else op, (node, self.additive()))
        return node

    def additive(self) -> _Node:
        return self._chain(self.multiplicative, ("+", "-"))

    def multiplicative(self) -> _Node:
        return self._chain(self.unary, ("*", "/", "div", "mod"))

    def unary(self) -> _Node:
        if self.at_op("-"):
            self.take()
            return _Node("unary", "-", (self.unary(),))
        return self.primary()

    def primary(self) -> _Node:
        tok = self.take()
        if tok.kind == "number":
            return _Node("literal", float(tok.text) if "." in tok.text else int(tok.text))
        if tok.kind == "string":
            return _Node("literal", tok.text[1:-1])
        if tok.kind == "ref":
            return _Node("ref", tok.text)
        if tok.kind == "dot":
            return _Node("dot")
        if tok.text == "(":
            node = self.or_expr()
            self.take(")")
            return node
        if tok.kind in ("name", "op") and tok.text in _FUNCTIONS:
            arity = _FUNCTIONS[tok.text][0]
            self.take("(")
            args = []
            if not self.at_op(")"):
                args.append(self.or_expr())
                while self.at_op(","):
                    self.take()
                    args.append(self.or_expr())
            self.take(")")
            if len(args) != arity:
                raise ExpressionError(f"{tok.text}() takes {arity} argument(s), got {len(args)} in {self.source!r}")
            return _Node("call", tok.text, tuple(args))
        if tok.kind == "name":
            raise ExpressionError(f"unknown function or word {tok.text!r} in {self.source!r} "
                                  f"(refer to other questions as ${{name}}, quote text as 'text')")
        raise ExpressionError(f"unexpected {tok.text!r} in {self.source!r}")


@dataclass(frozen=True)
class Expression:
    source: str
    _tree: _Node

    @property
    def references(self) -> set[str]:
        """Names of the questions this expression refers to as ${name}."""
        found: set[str] = set()
        stack = [self._tree]
        while stack:
            node = stack.pop()
            if node.kind == "ref":
                found.add(node.value)
            stack.extend(node.children)
        return found

    @property
    def uses_dot(self) -> bool:
        stack = [self._tree]
        while stack:
            node = stack.pop()
            if node.kind == "dot":
                return True
            stack.extend(node.children)
        return False

    def evaluate(self, answers: Mapping[str, Any], current: Any = None,
                 today: dt.date | None = None) -> Any:
        return self._eval(self._tree, answers, current, today or dt.date.today())

    def holds(self, answers: Mapping[str, Any], current: Any = None,
              today: dt.date | None = None) -> bool:
        return _truthy(self.evaluate(answers, current, today))

    def _eval(self, node: _Node, answers, current, today) -> Any:
        kind = node.kind
        if kind == "literal":
            return node.value
        if kind == "ref":
            return answers.get(node.value)
        if kind == "dot":
            return current
        if kind == "and":
            return all(_truthy(self._eval(c, answers, current, today)) for c in node.children)
        if kind == "or":
            return any(_truthy(self._eval(c, answers, current, today)) for c in node.children)
        args = [self._eval(c, answers, current, today) for c in node.children]
        if kind == "unary":
            if node.value == "not":
                return not _truthy(args[0])
            number = _as_number(args[0])
            return None if number is None else -number
        if kind == "binary":
            if node.value in ("+", "-", "*", "/", "div", "mod"):
                return _arith(node.value, *args)
            return _compare(node.value, *args)
        if node.value == "today":
            return today
        return _FUNCTIONS[node.value][1](*args)


def parse_expression(source: Any) -> Expression:
    """Parse once; raises ExpressionError with a readable reason."""
    if not isinstance(source, str):
        raise ExpressionError(f"expected an expression in quotes, got {source!r}")
    return Expression(source, _Parser(source).parse())
