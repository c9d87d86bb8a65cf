"""Blue badge application, first half: start, photo (or photo by post), the applicant, PIP.

The old release has no way round the photo upload: people who cannot take or upload a photo
must phone. The current release offers to take the photo by post instead.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, request
from werkzeug.utils import secure_filename
from werkzeug.wrappers import Response

from harness.demo import council
from harness.demo.supplier_d import forms, release
from harness.demo.supplier_d.journey import Journey, Step
from harness.demo.supplier_d.release import Errors, render

SERVICE = "Blue Badge application"
BADGE = Journey(
    "blue-badge",
    (
        Step("badge_photo", "photo"),
        Step("badge_applicant", "full_name"),
        Step("badge_eligibility", "pip"),
        Step("badge_address", "address"),
        Step("badge_declaration", "declaration"),
    ),
    review="badge_review",
)
MAX_PHOTO_BYTES = 5 * 1024 * 1024
_PHOTO_SIGNATURES = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")
_APPLICANT = ("who", "full_name", "dob_day", "dob_month", "dob_year", "ni_number")
PIP_ANSWERS = {"yes": "Yes", "no": "No", "unsure": "I don't know"}


def page(template: str, title: str, endpoint: str | None = None, **context: Any) -> str:
    """Render a blue badge page with the service name and, for steps, the stepper."""
    step = BADGE.number(endpoint) if endpoint else None
    return render(
        f"blue_badge/{template}",
        title=title,
        service=SERVICE,
        service_endpoint="badge_start",
        step=step,
        steps=BADGE.count if step else None,
        **context,
    )


def start() -> str | Response:
    """The start page, with the phone and post route; Apply starts a fresh application."""
    if request.method == "POST":
        release.store(BADGE.key, {"started": True})
        return release.go("badge_photo")
    return page("start.html", "Apply for a Blue Badge", postal_address=council.POSTAL_ADDRESS)


def photo() -> str | Response:
    """Upload a photo of yourself: JPG or PNG, under 5MB, checked by its first bytes."""
    answers = BADGE.answers()
    if (back := BADGE.guard("badge_photo", answers)) is not None:
        return back
    if request.method == "POST":
        upload = request.files.get("photo")
        problem: str | None
        if upload is None or not upload.filename:
            problem = "Select a photo to upload"
        else:
            data = upload.stream.read(MAX_PHOTO_BYTES + 1)
            problem = _photo_problem(upload.filename, data)
        if problem is not None or upload is None:
            release.keep_form("photo", {}, {"photo": problem or "Select a photo to upload"})
            return release.go("badge_photo")
        answers["photo"] = "upload"
        answers["photo_name"] = secure_filename(upload.filename or "") or "photo"
        return BADGE.saved(answers, "badge_applicant")
    values, errors = release.take_form("photo")
    return page("photo.html", "Upload a photo of yourself", "badge_photo", values=values, errors=errors)


def _photo_problem(filename: str, data: bytes) -> str | None:
    """Why an uploaded file cannot be used, in words that say what to do about it."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if not data:
        return "The selected file is empty. Choose a different photo"
    if extension not in ("jpg", "jpeg", "png") or not data.startswith(_PHOTO_SIGNATURES):
        return "The photo must be a JPG or PNG file"
    if len(data) > MAX_PHOTO_BYTES:
        return "The photo must be smaller than 5MB"
    return None


def photo_by_post() -> str | Response:
    """The way round the upload: confirm the photo will come by post, then carry on."""
    if release.current().barriers:
        abort(404)  # the old release never offered this
    answers = BADGE.answers()
    if (back := BADGE.guard("badge_photo", answers)) is not None:
        return back
    if request.method == "POST":
        answers["photo"] = "post"
        answers.pop("photo_name", None)
        return BADGE.saved(answers, "badge_applicant")
    return page(
        "photo_by_post.html", "Send your photo by post", "badge_photo", postal_address=council.POSTAL_ADDRESS
    )


def applicant() -> str | Response:
    """About the applicant: who it is for, their name, date of birth and (optional) NI number."""
    answers = BADGE.answers()
    if (back := BADGE.guard("badge_applicant", answers)) is not None:
        return back
    if request.method == "POST":
        values = forms.values_of(request.form, _APPLICANT)
        errors = _applicant_errors(values)
        if errors:
            release.keep_form("applicant", values, errors)
            return release.go("badge_applicant")
        if values["ni_number"]:
            values["ni_number"] = forms.normalise_ni_number(values["ni_number"])
        answers.update(values)
        return BADGE.saved(answers, "badge_eligibility")
    values, errors = release.take_form("applicant")
    if not values:
        values = {name: str(answers.get(name, "")) for name in _APPLICANT}
    return page("applicant.html", "About the applicant", "badge_applicant", values=values, errors=errors)


def _applicant_errors(values: dict[str, str]) -> Errors:
    """What is missing or wrong about the applicant, in page order."""
    errors: Errors = {}
    if values["who"] not in ("myself", "someone_else"):
        errors["who-myself"] = "Select whether the badge is for you or someone else"
    if not values["full_name"]:
        errors["full_name"] = "Enter the full name of the person who needs the badge"
    dob = forms.date_of_birth_error(values["dob_day"], values["dob_month"], values["dob_year"])
    if dob is not None:
        errors[f"dob_{dob[0]}"] = dob[1]
    if values["ni_number"] and not forms.is_ni_number(values["ni_number"]):
        errors["ni_number"] = "Enter a National Insurance number in the correct format, like QQ 12 34 56 C"
    return errors


def eligibility() -> str | Response:
    """Do you get the higher rate mobility component of PIP? Every answer carries on."""
    answers = BADGE.answers()
    if (back := BADGE.guard("badge_eligibility", answers)) is not None:
        return back
    if request.method == "POST":
        choice = forms.text(request.form, "pip")
        if choice not in PIP_ANSWERS:
            release.keep_form(
                "eligibility",
                {},
                {"pip-yes": "Select whether you get the higher rate mobility component of PIP"},
            )
            return release.go("badge_eligibility")
        answers["pip"] = choice
        return BADGE.saved(answers, "badge_address")
    values, errors = release.take_form("eligibility")
    values.setdefault("pip", str(answers.get("pip", "")))
    return page(
        "eligibility.html",
        "Do you get the higher rate mobility component of PIP?",
        "badge_eligibility",
        values=values,
        errors=errors,
        pip_answers=PIP_ANSWERS,
    )


def register(bp: Blueprint) -> None:
    """Add these blue badge pages to one release's blueprint."""
    both = ["GET", "POST"]
    bp.add_url_rule("/blue-badge/", "badge_start", start, methods=both)
    bp.add_url_rule("/blue-badge/photo", "badge_photo", photo, methods=both)
    bp.add_url_rule("/blue-badge/photo/by-post", "badge_photo_by_post", photo_by_post, methods=both)
    bp.add_url_rule("/blue-badge/applicant", "badge_applicant", applicant, methods=both)
    bp.add_url_rule("/blue-badge/eligibility", "badge_eligibility", eligibility, methods=both)
