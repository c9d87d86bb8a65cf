"""The reading-ease estimate behind the plain-language check."""

from __future__ import annotations

import pytest

from harness.browser.checks.language import reading_ease, syllables


@pytest.mark.parametrize(("word", "count"), [("bin", 1), ("garden", 2), ("collection", 3), ("make", 1),
                                             ("table", 2), ("eligibility", 6), ("a", 1)])
def test_syllables(word: str, count: int) -> None:
    assert syllables(word) == count


def test_plain_text_reads_easier_than_official_prose() -> None:
    plain, plain_words = reading_ease("We collect your bin every week. Put it out by 7am. Call us if we miss it.")
    hard, _ = reading_ease("Notwithstanding the aforementioned considerations, applicants must demonstrate "
                           "substantiated eligibility through comprehensive documentation.")
    assert plain_words == 17
    assert plain > 80
    assert hard < 20


def test_no_words_is_not_hard_to_read() -> None:
    assert reading_ease("") == (100.0, 0)
