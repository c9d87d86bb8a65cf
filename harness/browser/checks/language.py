"""Plain language: a reading-ease estimate of a page's main text, for a person to review."""

from __future__ import annotations

import re
from collections.abc import Iterator

from playwright.sync_api import Page

from harness.browser.checks.registry import Hit, persona_check
from harness.model.findings import Outcome

READING_EASE_THRESHOLD = 50.0
"""Flesch reading ease below 50 is 'fairly difficult': older secondary school reading age and up."""
MIN_WORDS = 80
"""Shorter texts give estimates too rough to be worth a person's time."""

_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_SENTENCE_END = re.compile(r"[.!?]+(?:\s|$)|\n{1,}")


def syllables(word: str) -> int:
    """A rough English syllable count: vowel groups, less a silent final e; at least one."""
    word = word.lower().strip("'’-")
    groups = re.findall(r"[aeiouy]+", word)
    count = len(groups)
    if word.endswith("e") and not word.endswith(("le", "ee", "ye")) and count > 1:
        count -= 1
    return max(count, 1)


def reading_ease(text: str) -> tuple[float, int]:
    """Flesch reading ease of a text, and its number of words."""
    words = _WORD.findall(text)
    if not words:
        return 100.0, 0
    sentences = max(1, len([s for s in _SENTENCE_END.split(text) if _WORD.search(s)]))
    score = 206.835 - 1.015 * (len(words) / sentences) - 84.6 * (sum(map(syllables, words)) / len(words))
    return round(score, 1), len(words)


@persona_check
def plain_language(page: Page) -> Iterator[Hit]:
    """Hard-to-read instructions lose people with low literacy or low digital skills: a person should judge."""
    main = page.locator("main")
    if not main.count() and not page.evaluate("() => !!document.body"):
        return  # an SVG or XML document: no body text to read (inner_text would wait for one)
    text = main.first.inner_text() if main.count() else page.locator("body").inner_text()
    score, words = reading_ease(text)
    if words < MIN_WORDS or score >= READING_EASE_THRESHOLD:
        return
    yield Hit(message=f"The main text may be hard to read: Flesch reading ease {score:g} over {words} words "
                      f"(below {READING_EASE_THRESHOLD:g} is fairly difficult).",
              selector="main" if main.count() else "body", outcome=Outcome.NEEDS_REVIEW)
