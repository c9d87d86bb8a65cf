"""Find your bin collection day: one page that searches, lists matches, and shows the dates.

A search changes nothing, so it is a GET form: the results page can be bookmarked and the back
button works. One match goes straight to the dates; several become a list of address links.
"""

from __future__ import annotations

from flask import Blueprint, request

from harness.demo import council
from harness.demo.supplier_d import forms
from harness.demo.supplier_d.release import Errors, render

SERVICE = "Bin collection days"


def bin_day() -> str:
    """The search, its matches, or one address's next collections, all on this page."""
    query = forms.text(request.args, "q")
    chosen = council.address_by_uprn(forms.text(request.args, "uprn"))
    errors: Errors = {}
    matches: list[council.Address] = []
    if chosen is None and "q" in request.args:
        matches = council.find_addresses(query) if query else []
        if not query:
            errors["q"] = "Enter a postcode or street name"
        elif not matches:
            errors["q"] = f"We could not find any addresses matching “{query}”. Check it and search again"
        elif len(matches) == 1:
            chosen = matches[0]
    collections = []
    if chosen is not None:
        collections = [
            (c.kind, council.long_date(c.next_date), c.frequency)
            for c in council.next_collections(chosen.street)
        ]
    title = "Find your bin collection day"
    if chosen is not None:
        title = f"Collection days for {chosen.label}"
    elif matches:
        title = f"Select your address – results for {query}"
    return render(
        "bin_day.html",
        title=title,
        service=SERVICE,
        service_endpoint="bin_day",
        errors=errors,
        values={"q": query},
        matches=[] if chosen else matches,
        chosen=chosen,
        collections=collections,
    )


def register(bp: Blueprint) -> None:
    """Add the bin day page to one release's blueprint."""
    bp.add_url_rule("/bin-day/", "bin_day", bin_day)
