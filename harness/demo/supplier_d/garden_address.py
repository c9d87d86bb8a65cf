"""Garden waste: the address lookup, where the same page shows the matches as a list of links.

Like many bin-service lookups, the search and the results share one page: type a postcode or a
street and press "Look up", then pick an address from the links that appear. People applying for
a relative often know the street and town but not the postcode, so both are found. Anyone not
listed can type their address in by hand.
"""

from __future__ import annotations

from flask import Blueprint, request
from werkzeug.wrappers import Response

from harness.demo import council
from harness.demo.supplier_d import forms, release
from harness.demo.supplier_d.garden import GARDEN, page
from harness.demo.supplier_d.release import Errors

_MANUAL = ("address_line", "town", "postcode")


def address() -> str | Response:
    """The lookup: a POST runs the search and the following GET shows the matches."""
    answers = GARDEN.answers()
    if (back := GARDEN.guard("garden_address", answers)) is not None:
        return back
    if request.method == "POST":
        query = forms.text(request.form, "query")
        matches = council.find_addresses(query) if query else []
        if not matches:
            release.keep_form("address", {"query": query}, {"query": _no_match(query)})
            answers.pop("lookup_results", None)
            release.store(GARDEN.key, answers)
            return release.go("garden_address")
        answers["lookup_query"] = query
        answers["lookup_results"] = [a.uprn for a in matches]
        release.store(GARDEN.key, answers)
        return release.go("garden_address", _anchor="results")
    values, errors = release.take_form("address")
    values.setdefault("query", str(answers.get("lookup_query", "")))
    results = [] if errors else _addresses(answers.get("lookup_results", []))
    return page(
        "address.html",
        "Your address",
        "garden_address",
        values=values,
        errors=errors,
        results=results,
        searched=str(answers.get("lookup_query", "")),
    )


def _no_match(query: str) -> str:
    """Say what was searched for, so a typo is easy to spot."""
    if not query:
        return "Enter a postcode or street name"
    if council.looks_like_postcode(query):
        postcode = forms.tidy_postcode(query)
        return f"We could not find any addresses for {postcode}. Check it, or enter your address yourself"
    return f"We could not find any addresses matching “{query}”. Check the spelling or search by postcode"


def _addresses(uprns: object) -> list[council.Address]:
    """The addresses behind the property references kept in the session."""
    if not isinstance(uprns, list):
        return []
    found = (council.address_by_uprn(str(uprn)) for uprn in uprns)
    return [a for a in found if a is not None]


def choose(uprn: str) -> Response:
    """One of the address links: remember it and go on to the details page."""
    answers = GARDEN.answers()
    if (back := GARDEN.guard("garden_address", answers)) is not None:
        return back
    chosen = council.address_by_uprn(uprn)
    if chosen is None:
        return release.go("garden_address")
    answers.update(address=chosen.label, uprn=chosen.uprn)
    return GARDEN.saved(answers, "garden_details")


def manual() -> str | Response:
    """I can't find my address: building and street, town, postcode."""
    answers = GARDEN.answers()
    if (back := GARDEN.guard("garden_address", answers)) is not None:
        return back
    if request.method == "POST":
        values = forms.values_of(request.form, _MANUAL)
        errors: Errors = {}
        if not values["address_line"]:
            errors["address_line"] = "Enter the building and street"
        if not values["town"]:
            errors["town"] = "Enter the town or city"
        if (problem := forms.postcode_error(values["postcode"])) is not None:
            errors["postcode"] = problem
        if errors:
            release.keep_form("manual", values, errors)
            return release.go("garden_address_manual")
        postcode = forms.tidy_postcode(values["postcode"])
        answers.update(address=f"{values['address_line']}, {values['town']}, {postcode}", uprn="")
        return GARDEN.saved(answers, "garden_details")
    values, errors = release.take_form("manual")
    return page("manual_address.html", "Enter your address", "garden_address", values=values, errors=errors)


def register(bp: Blueprint) -> None:
    """Add the address pages to one release's blueprint."""
    bp.add_url_rule("/garden-waste/address", "garden_address", address, methods=["GET", "POST"])
    bp.add_url_rule("/garden-waste/address/select/<uprn>", "garden_address_choose", choose)
    bp.add_url_rule("/garden-waste/address/manual", "garden_address_manual", manual, methods=["GET", "POST"])
