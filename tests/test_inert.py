"""Text from a person or a cell, escaped before Streamlit or a PDF renders it."""
import re

from hypothesis import given, strategies as st

from organising import inert
from organising.inert import WORD_JOINER as WJ
from tests.hostile import as_read

# What Streamlit's Markdown rewrites in the text it has already read (where a
# backslash no longer counts), from its frontend's StreamlitMarkdown: GFM
# autolink literals, emoji, Material icons, its logo, typographic arrows.
REWRITTEN_IN_TEXT = [re.compile(r"(https?://|www(?=\.))", re.IGNORECASE), re.compile(r"[-.\w+]@[-\w]"),
                     re.compile(r":[\w+-]+:"), re.compile(r":streamlit:"),
                     re.compile(r"(^|\s)(<->|->|<-|--|>=|<=|~=)(\s|$)")]


def test_markup_characters_are_escaped_so_nothing_renders():
    assert inert.markdown("![x](https://e.example)") == rf"\!\[x\]\(https\:{WJ}\/\/e\.example\)"
    assert inert.markdown(":red[Overdue]") == rf"\:{WJ}red\[Overdue\]"
    assert inert.markdown("St Aidan's Church") == r"St Aidan\'s Church"
    assert inert.markdown(None) == "" and inert.markdown(42) == "42"


def test_what_streamlit_rewrites_after_reading_markdown_is_broken_by_an_invisible_joiner():
    assert inert.markdown("see www.example.org") == rf"see www{WJ}\.example\.org"
    assert inert.markdown("ann@example.org") == rf"ann\@{WJ}example\.org"
    assert inert.markdown(":material_warning: :streamlit:") == rf"\:{WJ}material\_warning\:{WJ} \:{WJ}streamlit\:{WJ}"
    assert inert.markdown("a -> b") == rf"a \-{WJ}\> b"


def test_line_breaks_stay_line_breaks_and_indentation_opens_no_code_block():
    assert inert.markdown("first\r\n    second\rthird\n\nfourth") == \
        "first\\\n&#32;   second\\\nthird\\\n\\\nfourth"
    assert inert.markdown("first\n\tsecond", one_line=True) == "first &#9;second"


def test_html_is_escaped_for_charts_pdfs_and_mail():
    assert inert.html("<a href='x'>Ann & \"Bo\"</a>") == "&lt;a href=&#39;x&#39;&gt;Ann &amp; &#34;Bo&#34;&lt;/a&gt;"
    assert inert.html(None) == ""


@given(st.text())
def test_every_markup_character_is_escaped_and_the_text_reads_as_typed(text):
    escaped = inert.markdown(text)
    read = as_read(escaped, joiners=True)  # the text Streamlit's plugins see
    assert read.replace(WJ, "") == re.sub(r"\r\n?", "\n", text).replace(WJ, "")
    unescaped_left = re.sub(r"\\.|&#32;|&#9;", "", escaped, flags=re.DOTALL)
    assert not set(unescaped_left) & set("![]()*_`<>:$#|~\\&@")
    assert not any(pattern.search(read) for pattern in REWRITTEN_IN_TEXT)
    assert not any(line[:1] in (" ", "\t") for line in escaped.split("\n"))  # no indented code block
    assert "\n\n" not in escaped  # one block: no new paragraph, heading or list can start


@given(st.text())
def test_html_escaping_reads_back_as_typed(text):
    import html
    escaped = inert.html(text)
    assert not set(escaped) & set("<>\"'") and html.unescape(escaped) == text
