"""The rendering environment every report page shares: templates, filters, the navigation between pages.

No HTML is built in Python: templates receive plain data and typed records, and autoescape all of it.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from harness.model.untrusted import safe_href, shown
from harness.model.wcag import title_of

TEMPLATES = Path(__file__).resolve().parent / "templates"

NAV = (("index.html", "Summary"), ("report.html", "QA report"), ("personas.html", "Personas"),
       ("comparison.html", "Supplier comparison"), ("history.html", "History"),
       ("statements.html", "Statement drafts"))
"""The run's reports, in the order the navigation lists them."""


def environment(template_dirs: Sequence[Path] = (TEMPLATES,)) -> Environment:
    """Autoescaped and strict: page-derived text can never become markup, and a template typo fails loudly.

    Every value a template writes passes `shown_value`, so a control or bidi override from a page is shown as
    a visible code; every address a template links to passes the `safe_href` filter (the `link` macro in
    macros.html.jinja), so a `javascript:` address from a page or a faked axe is shown, never linked.
    One environment per list of folders, made once: its templates are compiled once for every page.
    """
    return _environment(tuple(template_dirs))


@cache
def _environment(template_dirs: tuple[Path, ...]) -> Environment:
    env = Environment(loader=FileSystemLoader([str(d) for d in template_dirs]),
                      autoescape=select_autoescape(default=True, default_for_string=True),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, finalize=shown_value)
    env.filters["criterion_title"] = title_of
    env.filters["sentence_case"] = sentence_case
    env.filters["safe_href"] = safe_href
    return env


def shown_value(value: Any) -> Any:
    """What a template writes: text (escaped markup included) made safe to show by `untrusted.shown`."""
    return shown(value) if isinstance(value, str) else value


def sentence_case(text: str) -> str:
    """Capital first letter, the rest untouched: 'before pressing 'Find address'' keeps the button's name."""
    return text[:1].upper() + text[1:]


def run_nav() -> list[dict[str, str]]:
    return [{"href": href, "label": label} for href, label in NAV]


def render_page(template: str, current: str, **context: Any) -> str:
    """One page of the run's reports, with the navigation between them; `current` is the page's own file."""
    return environment().get_template(template).render(**context, nav=run_nav(), current=current)
