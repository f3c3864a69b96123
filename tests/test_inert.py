"""Text from a person or a cell, escaped before Streamlit or Plotly render it."""
import re

from hypothesis import given, strategies as st

from organising import inert


def test_markup_characters_are_escaped_so_nothing_renders():
    assert inert.markdown("![x](https://e.example)") == r"\!\[x\]\(https\:\/\/e\.example\)"
    assert inert.markdown(":red[Overdue]") == r"\:red\[Overdue\]"
    assert inert.markdown("St Aidan's Church") == r"St Aidan\'s Church"
    assert inert.markdown(None) == "" and inert.markdown(42) == "42"


def test_html_is_escaped_for_charts_and_mail():
    assert inert.html("<a href='x'>Ann & Bo</a>") == "&lt;a href=&#x27;x&#x27;&gt;Ann &amp; Bo&lt;/a&gt;"


@given(st.text())
def test_every_markup_character_is_escaped_and_the_text_reads_as_typed(text):
    escaped = inert.markdown(text)
    assert re.sub(r"\\(.)", r"\1", escaped, flags=re.DOTALL) == text
    unescaped_left = re.sub(r"\\.", "", escaped, flags=re.DOTALL)
    assert not set(unescaped_left) & set("![]()*_`<>:$#|~\\")
