import datetime as dt

import pytest

from organising.forms.expressions import ExpressionError, parse_expression


@pytest.mark.parametrize("source, answers, current, expected", [
    ("${leader} = 'yes'", {"leader": "yes"}, None, True),
    ("${leader} = 'yes'", {"leader": "no"}, None, False),
    ("${leader} = 'yes'", {}, None, False),
    ("${leader} != ''", {"leader": ""}, None, False),
    ("selected(${issues}, 'other')", {"issues": ["housing", "other"]}, None, True),
    ("selected(${issues}, 'other')", {"issues": "housing, health"}, None, False),
    ("count-selected(${issues}) >= 2", {"issues": ["a", "b"]}, None, True),
    (". >= 1 and . <= 100", {}, 40, True),
    (". >= 1 and . <= 100", {}, 0, False),
    (". >= 1 and . <= 100", {}, "", False),
    ("${a} + ${b} * 2 = 7", {"a": 1, "b": 3}, None, True),
    ("not(${a} = 'x') or ${b} > 3", {"a": "x", "b": 5}, None, True),
    ("not ${a} = 'x'", {"a": "y"}, None, True),
    ("string-length(.) <= 5", {}, "abcdef", False),
    ("regex(., '^[0-9 +]+$')", {}, "+44 7700 900123", True),
    (". <= today()", {}, dt.date(2026, 11, 23), False),
    (". <= today()", {}, "2026-11-22", True),
    ("${n} div 0 = 1", {"n": 4}, None, False),
    ("if(${a} = 'y', 1, 2) = 2", {"a": "n"}, None, True),
])
def test_expressions_evaluate_as_xlsform_does(source, answers, current, expected):
    assert parse_expression(source).holds(answers, current, today=dt.date(2026, 11, 22)) is expected


def test_references_are_found_for_spec_checks():
    assert parse_expression("${a} = 'x' and selected(${b}, 'y') or . > 1").references == {"a", "b"}


@pytest.mark.parametrize("source, reason", [
    ("", "empty"),
    ("${a} = ", "ends too early"),
    ("${a} = 'x' )", "unexpected ')'"),
    ("__import__('os').system('x')", "unknown function or word '__import__'"),
    ("open('x')", "unknown function or word 'open'"),
    ("${a} ; 1", "unexpected ';'"),
    ("selected(${a})", "takes 2 argument"),
    ("${a} = x", "unknown function or word 'x'"),
])
def test_bad_expressions_are_refused_with_a_reason(source, reason):
    with pytest.raises(ExpressionError, match=reason.replace("(", r"\(").replace(")", r"\)")):
        parse_expression(source)


def test_non_text_expression_is_refused():
    with pytest.raises(ExpressionError, match="in quotes"):
        parse_expression(42)
