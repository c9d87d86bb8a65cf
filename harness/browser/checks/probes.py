"""Journey probes: checks the journey makes while the persona walks, by trying what that person would.

A probe has no page function: the journey (harness/browser/journey.py) and the behaviours make its findings with
probe_finding(), so its criteria, impact and help live here with every other check's.
"""

from __future__ import annotations

from harness.browser.checks.registry import probe_spec
from harness.model.findings import Impact

WCAG = "https://www.w3.org/WAI/WCAG22/Understanding/"

probe_spec(
    "keyboard-reachable", criteria=("2.1.1",), impact=Impact.CRITICAL,
    summary="Every control the journey needs can be reached with Tab and used with Enter or Space.",
    help="Use native buttons, links and form fields, or give custom controls tabindex=\"0\" and key handlers.",
    help_url=f"{WCAG}keyboard.html")
probe_spec(
    "page-title-distinct", criteria=("2.4.2",), impact=Impact.SERIOUS,
    summary="Each step of a journey has its own page title, so people know where they are.",
    help="Give every page a title that names its question or purpose first, then the service: "
         "'Where is the bin? – Garden waste – Millbrook District Council'; prefix 'Error: ' after a failed "
         "submission.",
    help_url=f"{WCAG}page-titled.html")
probe_spec(
    "status-message", criteria=("4.1.3",), impact=Impact.SERIOUS,
    summary="Results that appear without a new page are announced to screen reader users.",
    help="Put content that appears without a page load (results, totals, 'file uploaded') in a live region "
         "such as role=\"status\", or move focus to it, or load a new page with its own title.",
    help_url=f"{WCAG}status-messages.html")
probe_spec(
    "place-name-lookup", impact=Impact.SERIOUS, council_check=True,
    summary="The address lookup accepts a town, village or street, not only a postcode.",
    help="Let people search by street and town or village as well as by postcode, or offer a route without "
         "a postcode (choose from a list, enter the address by hand, or call us): people applying for "
         "someone else often do not know the postcode.",
    help_url="https://design-system.service.gov.uk/patterns/addresses/")
probe_spec(
    "on-behalf-route", impact=Impact.SERIOUS, council_check=True,
    summary="People can say they are applying for someone else.",
    help="Ask early who the application is for ('Myself' or 'Someone else'), then word the questions about "
         "the other person ('their date of birth') and ask for the helper's own contact details separately.",
    help_url="https://www.gov.uk/service-manual/design/designing-for-different-users")
probe_spec(
    "error-recovery", criteria=("3.3.1", "3.3.3"), impact=Impact.SERIOUS,
    summary="After a typing mistake, the service says what is wrong and keeps what was typed.",
    help="Show the form again with an error summary and a message at the field that says how to fix it, and "
         "keep every value the person typed, including the wrong one, so they can correct it.",
    help_url="https://design-system.service.gov.uk/components/error-message/")
probe_spec(
    "extra-zero", criteria=("3.3.4",), impact=Impact.CRITICAL, council_check=True,
    summary="An amount typed with an extra zero is shown back, with a way to change it, before paying.",
    help="Before taking a payment, show the amount the person typed in large text with a 'Change' link, "
         "and warn when it is more than they owe.",
    help_url=f"{WCAG}error-prevention-legal-financial-data.html")
