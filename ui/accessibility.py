"""What the app adds to Streamlit's pages so everyone can use them (WCAG 2.2 AA).

Streamlit draws the page and gives no way to set some things people rely
on: the page's language, an input's keyboard (inputmode), which field an
error belongs to (aria-invalid, aria-describedby), where focus goes after
Submit. `mark` sets such attributes on elements found by CSS selector, and
keeps them there as Streamlit redraws; `focus` moves focus once. Both are a
few lines of script in st.html, fed only the app's own data as JSON, never a
person's text. Checked in Chromium by the browser suite
(tests/test_browser_accessibility.py), with axe-core on every page.
"""
from __future__ import annotations

import json
import re
from typing import Mapping

import streamlit as st

# WCAG 2.5.8: each part of a date box (day, month, year) is a target of at
# least 24 × 24 px. A field's error is in the theme's red, 4.5:1 or more on white.
_STYLE = """<style>
[data-testid="stDateInputField"] [role="spinbutton"] {
  min-width: 24px; min-height: 24px; display: inline-flex; align-items: center; justify-content: center; }
.organising-field-error { color: #A4161A; font-size: 0.875rem; margin: -0.5rem 0 0.25rem 0; }
.organising-field-error::before { content: "\\26A0\\FE0E  "; }
[data-testid="stElementContainer"]:has(.organising-script) { display: none; }
</style>"""

# Keeps each scope's attributes on the elements its selectors find, now and
# after every redraw; a scope's new rules replace its old ones (an attribute
# no longer wanted is taken off).
_MARK = """<script>
(() => {
  const [scope, rules] = %s;
  const w = window;
  w.organisingMarks = w.organisingMarks || {};
  const each = (rs, act) => rs.forEach(([selector, attrs]) =>
    document.querySelectorAll(selector).forEach((el) => act(el, attrs)));
  each(w.organisingMarks[scope] || [], (el, attrs) => Object.keys(attrs).forEach((a) => el.removeAttribute(a)));
  w.organisingMarks[scope] = rules;
  const apply = () => Object.values(w.organisingMarks).forEach((rs) => each(rs, (el, attrs) => {
    for (const [a, v] of Object.entries(attrs)) if (el.getAttribute(a) !== v) el.setAttribute(a, v);
  }));
  if (!w.organisingObserver) {
    w.organisingObserver = new MutationObserver(apply);
    w.organisingObserver.observe(document.body, {childList: true, subtree: true});
  }
  apply();
})();
</script>"""

# Focus the element (made focusable) and bring it to the top of the screen,
# once it is drawn; `nonce` makes each request a new script, run once.
_FOCUS = """<script>
(() => {
  const [selector, nonce] = %s;
  let tries = 0;
  const go = () => {
    const el = document.querySelector(selector);
    if (!el) { if (tries++ < 100) setTimeout(go, 50); return; }
    if (!el.hasAttribute("tabindex")) el.setAttribute("tabindex", "-1");
    el.style.scrollMarginTop = "4.5rem";  // below Streamlit's header
    el.scrollIntoView({block: "start"});
    el.focus({preventScroll: true});
  };
  go();
})();
</script>"""

# Links in an error summary move focus to their question (its first box).
_FOCUS_ON_CLICK = """<script>
(() => {
  const [summary, targets] = %s;
  const wire = () => document.querySelectorAll(summary + " a").forEach((a) => {
    const selector = targets[a.getAttribute("href")];
    if (!selector || a.dataset.wired) return;
    a.dataset.wired = "1";
    a.removeAttribute("target");
    a.addEventListener("click", (event) => {
      event.preventDefault();
      const target = document.querySelector(selector);
      if (!target) return;
      target.scrollIntoView({block: "center"});
      const box = target.matches("input, textarea, button, [tabindex]") ? target
        : target.querySelector("input, textarea, button, [tabindex]") || target;
      box.focus();
    });
  });
  let tries = 0;
  const again = () => { wire(); if (tries++ < 20) setTimeout(again, 100); };
  again();
})();
</script>"""


def keyed(key: str) -> str:
    """The CSS selector of the element Streamlit draws for a widget or
    container with this key: the class st-key-<key>, each character but
    letters, digits, _ and - made a -."""
    return ".st-key-" + re.sub(r"[^a-zA-Z0-9_-]", "-", key.strip())


def style() -> None:
    """The app's own styles, on every page (the router calls it)."""
    st.html(_STYLE)


def _script(template: str, *data) -> None:
    # In a block the app's style hides, so it leaves no gap in the page.
    body = template % json.dumps(list(data)).replace("</", "<\\/")
    st.html(f'<div class="organising-script">{body}</div>', unsafe_allow_javascript=True)


def mark(scope: str, rules: Mapping[str, Mapping[str, str]]) -> None:
    """Give the elements each CSS selector finds these attributes, and keep
    them as Streamlit redraws; the scope's earlier rules are replaced."""
    _script(_MARK, scope, [[selector, dict(attrs)] for selector, attrs in rules.items()])


def focus(selector: str, nonce: object) -> None:
    """Move focus to the element (and scroll it to the top), once."""
    _script(_FOCUS, selector, str(nonce))


def focus_on_click(summary: str, targets: Mapping[str, str]) -> None:
    """Links in the element `summary` to "#anchor" focus the element
    `targets[anchor]` finds (a question's box), not the browser's anchor."""
    _script(_FOCUS_ON_CLICK, summary, dict(targets))


def page_language(language: str) -> None:
    """The language the page is written in (WCAG 3.1.1), for screen readers and hyphenation."""
    mark("page-language", {"html": {"lang": language.replace("_", "-")}})
