"""The page-kind corpus (tests/data/page_kinds) is well formed.

Only the corpus is checked here, not any recogniser: the manifest parses, it and the folders agree, every
kind has a GOV.UK, a modern and a legacy shape, and each page is a whole document whose manifest entry
(primary control, field labels) can be found in it.
"""

import html
import re
import tomllib
from collections import defaultdict
from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parents[1] / "data" / "page_kinds"
FOLDERS = [
    "start",
    "question",
    "eligibility",
    "address-lookup",
    "address-choice",
    "manual-address",
    "who-for",
    "details",
    "date",
    "options",
    "upload",
    "amount",
    "check-answers",
    "card-payment",
    "confirmation",
    "cookie-banner",
    "interstitial",
    "error-state",
    "exit",
]
KINDS = set(FOLDERS) - {"cookie-banner"}
SHAPES = {"govuk", "modern", "legacy"}
NO_GO_ON = {"confirmation", "exit"}  # kinds whose pages have no control to go on with


def _manifest() -> list[dict]:
    with open(CORPUS / "manifest.toml", "rb") as f:
        return tomllib.load(f)["page"]


PAGES = _manifest()


def _texts(page: dict) -> tuple[str, str]:
    """The file, and its text without tags; entities decoded (twice, for an iframe's srcdoc) and whitespace
    collapsed, so a label split over lines or holding a link still matches."""
    raw = (CORPUS / page["file"]).read_text(encoding="utf-8")
    source = re.sub(r"\s+", " ", html.unescape(html.unescape(raw)))
    return source, re.sub(r"\s+", " ", re.sub(r"<[^>]*>", "", source))


def test_manifest_and_folders_agree() -> None:
    listed = [p["file"] for p in PAGES]
    assert len(listed) == len(set(listed)), "a file is listed twice"
    on_disk = {str(p.relative_to(CORPUS)) for p in CORPUS.rglob("*.html")}
    assert on_disk == set(listed)
    assert {f.name for f in CORPUS.iterdir() if f.is_dir()} == set(FOLDERS)


def test_each_kind_has_govuk_modern_and_legacy_shapes() -> None:
    shapes = defaultdict(list)
    for p in PAGES:
        shapes[p["file"].split("/")[0]].append(p["shape"])
    for folder in FOLDERS:
        assert len(shapes[folder]) >= 3, folder
        assert {"govuk", "modern", "legacy"} <= set(shapes[folder]), folder


@pytest.mark.parametrize("page", PAGES, ids=[p["file"] for p in PAGES])
def test_entry(page: dict) -> None:
    folder = page["file"].split("/")[0]
    assert folder in FOLDERS and page["file"].endswith(".html")
    assert page["shape"] in SHAPES
    assert page["kind"] in KINDS
    if folder == "cookie-banner":
        assert page.get("banner") is True
        assert page["banner_controls"] and all(isinstance(c, str) and c for c in page["banner_controls"])
    else:
        assert page["kind"] == folder
        assert "banner" not in page
    assert isinstance(page["primary"], str)
    assert (page["primary"] == "") == (page["kind"] in NO_GO_ON)
    assert isinstance(page["fields"], list) and all(isinstance(f, str) and f for f in page["fields"])
    assert all(a in KINDS and a != page["kind"] for a in page.get("also", []))
    assert isinstance(page["notes"], str) and page["notes"].strip()


@pytest.mark.parametrize("page", PAGES, ids=[p["file"] for p in PAGES])
def test_page(page: dict) -> None:
    text, visible = _texts(page)
    assert text.lstrip().lower().startswith("<!doctype html>") and "</html>" in text.lower()
    title = re.search(r"<title>([^<]*)</title>", text, re.IGNORECASE)
    assert title and title.group(1).strip(), "no <title>"
    if not re.search(r"<h1[\s>]", text, re.IGNORECASE):
        assert page["shape"] == "legacy" and "no h1" in page["notes"].lower(), "no <h1> and no legacy reason"
    for wanted in [page["primary"], *page["fields"], *page.get("banner_controls", [])]:
        assert wanted in text or wanted in visible, f"{wanted!r} not in the page"
