"""Form checks on a page state: error summaries, hints, groups, labels and autocomplete for whose details."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from playwright.sync_api import Page

from harness.browser.checks.registry import Hit, PageContext, persona_check
from harness.browser.page_facts import DESCRIBE_ELEMENT_JS
from harness.model.findings import Outcome

# Shared in-page helpers. Elements are described in the page with page_facts' own function, so selectors
# match describe_element() while the checks stay at one round trip and add no marker attributes.
_HELPERS_JS = """
  const describe = DESCRIBE;
  const norm = s => (s || '').replace(/\\s+/g, ' ').trim();
  const visible = el => {
    if (!el.getClientRects().length) return false;
    const style = getComputedStyle(el);
    return style.visibility !== 'hidden' && style.visibility !== 'collapse';
  };
  const textOf = el => norm(el ? el.textContent : '');
  const byIds = ids => norm((ids || '').split(/\\s+/).filter(Boolean)
    .map(id => textOf(document.getElementById(id))).join(' '));
  const FIELD = 'input:not([type=hidden]):not([type=submit]):not([type=button]):not([type=reset])'
    + ':not([type=image]), select, textarea';
""".replace("DESCRIBE", DESCRIBE_ELEMENT_JS.strip())

# What the form checks need to know about every visible field, in one round trip.
FORM_FACTS_JS = "() => {" + _HELPERS_JS + """
  const TEXT_LIKE = ['text', 'email', 'tel', 'number', 'search', 'url', 'password', 'date', 'month'];
  const typeOf = el => el.localName === 'input' ? (el.getAttribute('type') || 'text').toLowerCase() : el.localName;
  const isTextLike = el => el.localName !== 'input' || TEXT_LIKE.includes(typeOf(el));
  const fields = Array.from(document.querySelectorAll(FIELD)).filter(el => isTextLike(el) && visible(el));
  const controls = Array.from(document.querySelectorAll(FIELD)).filter(visible);
  const headings = Array.from(document.querySelectorAll('h1, h2, h3, h4, h5, h6, [role=heading]'));
  const h1 = document.querySelector('h1');
  // Text of an element without the text of controls inside it (a select's options are not a label).
  const ownText = root => {
    const parts = [];
    const walk = node => {
      for (const child of node.childNodes) {
        if (child.nodeType === 3) parts.push(child.textContent);
        else if (child.nodeType === 1 && !child.matches('select, textarea, button, script, style, template'))
          walk(child);
      }
    };
    walk(root);
    return norm(parts.join(' '));
  };
  // The closest ancestor (up to 3 levels) that holds no other control: the field's own little group.
  const ownContainer = el => {
    let found = null;
    let node = el.parentElement;
    for (let level = 0; node && node !== document.body && level < 3; level++, node = node.parentElement) {
      if (controls.some(c => c !== el && node.contains(c))) break;
      found = node;
    }
    return found;
  };
  // el.labels searches the whole document on every call: index label[for] once instead.
  const labelsFor = new Map();
  for (const label of document.querySelectorAll('label[for]')) {
    const id = label.getAttribute('for');
    if (!labelsFor.has(id)) labelsFor.set(id, []);
    labelsFor.get(id).push(label);
  }
  const nameOf = el => {
    const labelledby = byIds(el.getAttribute('aria-labelledby'));
    if (labelledby) return labelledby;
    const aria = norm(el.getAttribute('aria-label'));
    if (aria) return aria;
    const own = (el.id && labelsFor.get(el.id)) || [];
    const wrapping = el.closest('label');
    const labels = norm(own.concat(wrapping && !own.includes(wrapping) ? [wrapping] : []).map(ownText).join(' '));
    if (labels) return labels;
    return norm(el.getAttribute('title'));
  };
  // A lookup: a search field, or a lone field whose next control is a "Find"/"Search" button.
  const order = Array.from(document.querySelectorAll(
    FIELD + ', button, input[type=submit], input[type=button], [role=button], [onclick], .btn, .button'));
  const position = new Map(order.map((el, i) => [el, i]));
  const isLookup = el => {
    if (typeOf(el) === 'search' || el.closest('[role=search], search')) return true;
    for (let i = position.get(el) + 1; i < order.length; i++) {
      const next = order[i];
      if (el.form && next.form !== el.form && !el.form.contains(next)) break;  // past the end of its form
      if (next.matches(FIELD) && isTextLike(next)) {
        if (visible(next)) return false;
        continue;
      }
      if (next.matches(FIELD) && !isTextLike(next)) continue;
      const label = norm(next.value && next.localName === 'input' ? next.value : next.textContent);
      if (!label) continue;
      return /\\b(find|search|look ?up|go)\\b/i.test(label);
    }
    return false;
  };
  const groupOf = el => {
    const group = el.closest('[class*="form-group"], [class*="form-field"], [class*="field-wrapper"]');
    return group && group !== document.body ? group : ownContainer(el);
  };
  const describedBy = el => {
    const texts = [byIds(el.getAttribute('aria-describedby')), norm(el.getAttribute('aria-description'))];
    for (let fs = el.closest('fieldset, [role=group], [role=radiogroup]'); fs;
         fs = fs.parentElement && fs.parentElement.closest('fieldset, [role=group], [role=radiogroup]'))
      texts.push(byIds(fs.getAttribute('aria-describedby')));
    return norm(texts.join(' '));
  };
  // Ids each element refers to with aria-describedby, so a hint that belongs to another field is left alone.
  const describers = new Map();
  for (const el of document.querySelectorAll('[aria-describedby]'))
    for (const id of el.getAttribute('aria-describedby').split(/\\s+/).filter(Boolean)) {
      if (!describers.has(id)) describers.set(id, []);
      describers.get(id).push(el);
    }
  const HINT = '[class*="hint"], [class*="error-message"], [id$="-hint"], [id$="-error"]';
  // Hints and error messages inside root that belong to el: not another field's (by its aria-describedby).
  const hintsIn = (el, root) => {
    if (!root) return [];
    const found = [];
    for (const hint of root.querySelectorAll(HINT)) {
      if (!visible(hint) || hint.matches(FIELD) || hint.querySelector(FIELD)) continue;
      // GOV.UK's character count shows its live count aria-hidden and announces it through a live region.
      if (hint.closest('[aria-hidden="true"]')) continue;
      if (hint.parentElement.closest(HINT) && root.contains(hint.parentElement.closest(HINT))) continue;
      const owners = hint.id ? (describers.get(hint.id) || []) : [];
      if (owners.length && !owners.some(o => o === el || o.contains(el))) continue;
      if (textOf(hint)) found.push(hint);
    }
    return found;
  };
  const asTexts = hints => hints.map(hint => ({text: textOf(hint), error: /error/i.test(hint.className + ' ' + hint.id)}));
  const groups = new Map(fields.map(el => [el, groupOf(el)]));
  // A fieldset of text fields (a date input) may carry one hint for all of them, outside each field's group:
  // it belongs to the first field, whose description includes the fieldset's.
  const fieldsetHints = new Map();
  for (const fieldset of new Set(fields.map(el => el.closest('fieldset')).filter(Boolean))) {
    if (Array.from(fieldset.querySelectorAll(FIELD)).some(c => visible(c) && !isTextLike(c))) continue;
    const inside = fields.filter(el => el.closest('fieldset') === fieldset);
    const loose = hintsIn(inside[0], fieldset).filter(hint => hint.closest('fieldset') === fieldset
      && !inside.some(el => groups.get(el) && groups.get(el).contains(hint)));
    if (loose.length) fieldsetHints.set(inside[0], loose);
  }
  const headingBefore = el => {
    let last = null;
    for (const h of headings) {
      if (h.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING) last = h; else break;
    }
    return textOf(last);
  };
  const result = [];
  for (const el of fields) {
    const fieldset = el.closest('fieldset');
    const legend = fieldset ? fieldset.querySelector(':scope > legend') : null;
    const group = groups.get(el);
    const container = ownContainer(el);
    const named = nameOf(el);
    const nearby = named || !container ? '' : ownText(container);
    const describedIds = (el.getAttribute('aria-describedby') || '').split(/\\s+/).filter(Boolean);
    result.push({
      ...describe(el),
      tag: el.localName, type: typeOf(el),
      autocomplete: norm(el.getAttribute('autocomplete')).toLowerCase(),
      disabled: el.disabled || el.getAttribute('aria-disabled') === 'true',
      named, placeholder: norm(el.getAttribute('placeholder')),
      nearby: nearby.length <= 80 ? nearby : '',
      legend: textOf(legend), heading: headingBefore(el),
      required: el.required || el.getAttribute('aria-required') === 'true',
      invalid: el.getAttribute('aria-invalid') === 'true',
      description: describedBy(el),
      describedError: describedIds.some(id => /error/i.test(id + ' '
        + ((document.getElementById(id) || {}).className || ''))),
      groupTexts: asTexts(hintsIn(el, group).concat(fieldsetHints.get(el) || [])),
      lookup: isLookup(el),
    });
  }
  // Radios and checkboxes that share a name, with whether each sits in a named group.
  const choices = new Map();
  for (const el of document.querySelectorAll('input[type=radio], input[type=checkbox]')) {
    if (!el.name) continue;
    const label = ((el.id && labelsFor.get(el.id)) || [])[0] || el.closest('label');
    if (!visible(el) && !(label && visible(label))) continue;
    const key = (el.form ? Array.from(document.forms).indexOf(el.form) : -1) + '|' + el.type + '|' + el.name;
    if (!choices.has(key)) choices.set(key, []);
    choices.get(key).push(el);
  }
  const groupName = el => {
    const fieldset = el.closest('fieldset');
    const legend = fieldset && fieldset.querySelector(':scope > legend');
    if (legend && textOf(legend)) return textOf(legend);
    const group = el.closest('[role=radiogroup], [role=group]');
    if (!group) return '';
    return byIds(group.getAttribute('aria-labelledby')) || norm(group.getAttribute('aria-label'));
  };
  const choiceGroups = [];
  for (const members of choices.values()) {
    if (members.length < 2) continue;
    choiceGroups.push({...describe(members[0]), type: members[0].type, count: members.length,
                       unnamed: members.some(m => !groupName(m)), name: members[0].name});
  }
  const bodyText = norm(document.body ? document.body.textContent : '');
  return {fields: result, choiceGroups, h1: textOf(h1),
          byPost: /\\b(by post|by letter|post (it|them|you|the form)|send (it|them) to us)\\b/i.test(bodyText)};
}
"""

# Error summaries (GOV.UK's and look-alikes), and the first generic error message when there is none.
ERROR_SUMMARY_JS = "(lookForGeneric) => {" + _HELPERS_JS + """
  // GOV.UK starts the title of a page with errors "Error: "; "Error message: default" names a page about them.
  const ERROR_TITLE = /^error\\s*[:\\-\u2013\u2014|]/i;
  const firstField = Array.from(document.querySelectorAll(FIELD)).find(visible) || null;
  const errorWords = /\\b(errors?|problems?|invalid|required|mandatory|must|missing|incorrect|enter|select)\\b/i;
  const fieldLink = a => {
    const url = new URL(a.href, location.href);
    if (!url.hash || url.origin + url.pathname + url.search !== location.origin + location.pathname + location.search)
      return null;
    return decodeURIComponent(url.hash.slice(1));
  };
  let candidates = Array.from(document.querySelectorAll(
      '.govuk-error-summary, .error-summary, [class*="error-summary"], [role=alert]')).filter(visible);
  candidates = candidates.filter(el => el.matches('[class*="error-summary"]')
    || errorWords.test(textOf(el)) || Array.from(el.querySelectorAll('a[href]')).some(fieldLink));
  candidates = candidates.filter(el => !candidates.some(other => other !== el && other.contains(el)));
  const active = document.activeElement;
  const summaries = candidates.map(el => {
    const links = Array.from(el.querySelectorAll('a[href]')).map(fieldLink).filter(id => id !== null);
    const targets = links.map(id => document.getElementById(id));
    return {
      ...describe(el),
      text: textOf(el.querySelector('h1, h2, h3, h4, [class*="title"]') || el).slice(0, 120),
      links: links.length,
      missing: links.filter((id, i) => !targets[i]),
      notFields: links.filter((id, i) => targets[i] && !targets[i].matches(FIELD + ', fieldset, label')
        && !targets[i].querySelector(FIELD)),
      focused: !!active && active !== document.body && el.contains(active),
      alert: el.matches('[role=alert]') || !!el.querySelector('[role=alert]'),
      afterFirstField: !!firstField && !!(el.compareDocumentPosition(firstField) & Node.DOCUMENT_POSITION_PRECEDING),
    };
  });
  // Without a summary: the first generic error message (a legacy red line), else nothing.
  let generic = null;
  if (!summaries.length && (lookForGeneric || ERROR_TITLE.test(document.title.trim()))) {
    const genericText = /there (is|was|were|are|has been|have been) (an? |some )?(errors?|problems?)|errors? on (the|this) page|please (correct|complete|check|fix)/i;
    const genericClass = /(^|[\\s_-])(err|error|errors|alert|danger|warning|invalid)($|[\\s_-])/i;
    for (const el of document.body.querySelectorAll('*')) {
      if (el.matches(FIELD) || el.querySelector(FIELD) || !visible(el) || !textOf(el)) continue;
      if (/message/i.test(el.className) || /-error$/.test(el.id)) continue;  // one field's own message
      if (firstField && (el.compareDocumentPosition(firstField) & Node.DOCUMENT_POSITION_PRECEDING)) continue;
      const looks = genericText.test(textOf(el)) || (genericClass.test(String(el.className)) && errorWords.test(textOf(el)));
      if (!looks) continue;
      generic = {...describe(el), text: textOf(el).slice(0, 120)};
      if (!Array.from(el.children).some(c => genericText.test(textOf(c)))) break;
    }
  }
  // Without a summary: an error message stated beside a field and tied to it (aria-describedby on the field or
  // its fieldset, or inside its label), which tells people what went wrong and where (WCAG 3.3.1).
  let linked = null;
  if (!summaries.length) {
    const said = el => el && visible(el) && textOf(el) && /error/i.test(el.id + ' ' + el.className) ? el : null;
    for (const field of Array.from(document.querySelectorAll(FIELD)).filter(visible)) {
      const ids = [];
      for (let node = field; node; node = node.parentElement && node.parentElement.closest('fieldset, [role=group], [role=radiogroup]'))
        ids.push(...(node.getAttribute('aria-describedby') || '').split(/\\s+/).filter(Boolean));
      linked = ids.map(id => said(document.getElementById(id))).find(Boolean)
        || Array.from(field.labels || []).map(label => said(label.querySelector('[class*="error"], [id$="-error"]')))
          .find(Boolean) || null;
      if (linked) break;
    }
  }
  return {summaries, generic, hasFields: !!firstField, errorTitle: ERROR_TITLE.test(document.title.trim()),
          linked: linked ? textOf(linked).slice(0, 120) : ''};
}
"""

# Who a field is about: the first of its label, legend, nearest heading and page heading that says so.
_SELF = re.compile(r"\b(your|yours|yourself|you|my|me)\b", re.IGNORECASE)
_OTHERS = re.compile(
    r"\b(their|theirs|them|they|the person|this person|other person|someone|somebody|applicant'?s?|"
    r"resident'?s?|badge holder'?s?|holder'?s|child'?s|partner'?s|deceased|occupier'?s?|tenant'?s?|"
    r"landlord'?s?|next of kin|emergency contact|relative'?s?)\b", re.IGNORECASE)

# Personal autocomplete tokens (HTML "autofill detail tokens" for a person's own details).
_PERSONAL_TOKENS = re.compile(
    r"^(name|honorific-prefix|given-name|additional-name|family-name|honorific-suffix|nickname|"
    r"street-address|address-line[123]|address-level[1-4]|country|country-name|postal-code|"
    r"bday|bday-day|bday-month|bday-year|sex|tel|tel-.+|email)$")
# Fields with no autocomplete token: never ask for one.
_NO_TOKEN = re.compile(
    r"\b(reference|account|national insurance|ni number|council tax|membership|licence|license|"
    r"registration|passport|order|booking|customer|uprn|case|claim|badge number|sort code|"
    r"vehicle|reg(istration)? number|number plate|pin|password|code word)\b", re.IGNORECASE)
_CARD = re.compile(r"\b(card|cvv|cvc|security code|expiry|expiration|cardholder)\b", re.IGNORECASE)
_BIRTH = re.compile(r"\b(date of birth|birth ?date|birthday|dob|born)\b", re.IGNORECASE)
_ADDRESS_CONTEXT = re.compile(r"\b(address|home|live|lives|living)\b", re.IGNORECASE)
_EMAIL = re.compile(r"\be-?mail\b", re.IGNORECASE)
_PHONE = re.compile(r"\b(tele)?phone\b|\bmobile\b|\btel\b", re.IGNORECASE)

# Label (cleaned) to the purpose a person would name, and the tokens that say it.
_PURPOSES: tuple[tuple[re.Pattern[str], str, tuple[str, ...]], ...] = tuple(
    (re.compile(pattern), purpose, tuple(tokens.split())) for pattern, purpose, tokens in (
        (r"^(full |whole )?name$|^full name\b", "full name", "name"),
        (r"^(first|given|fore) ?names?\b", "first name", "given-name"),
        (r"^middle names?\b", "middle name", "additional-name"),
        (r"^(last|family|sur) ?names?\b", "last name", "family-name"),
        (r"^(confirm )?e-?mail( address)?\b|\be-?mail address\b", "email address", "email"),
        ((r"^((uk|mobile|home|work|daytime|contact|main|landline|alternative) )*(tele)?phone( number)?\b|"
          r"^mobile( phone)?( number)?\b|^(contact|telephone) number\b"), "phone number", "tel"),
    ))
_ADDRESS_PURPOSES: tuple[tuple[re.Pattern[str], str, tuple[str, ...]], ...] = tuple(
    (re.compile(pattern), purpose, tuple(tokens.split())) for pattern, purpose, tokens in (
        (r"^post ?code\b|^zip( code)?\b", "postcode", "postal-code"),
        ((r"^address line 1\b|^(building and )?street\b|^house (name|number)|^first line of (the )?address|"
          r"^(street )?address$"), "first line of the address", "address-line1 street-address"),
        (r"^address line 2\b|^second line of (the )?address", "second line of the address", "address-line2"),
        (r"^address line 3\b", "third line of the address", "address-line3"),
        (r"^(town|city|town or city|town/city)$", "town or city", "address-level2"),
        (r"^county$", "county", "address-level1"),
        (r"^country$", "country", "country country-name"),
    ))
# Card fields: the number names itself; expiry and security code only count beside a card number (a passport
# has an expiry date, and a sign-in code is a security code too).
_CARD_NUMBER = re.compile(r"^((debit|credit|debit or credit|payment|bank) )?card number\b|^long (card )?number\b")
_CARD_NAME = re.compile(r"^name on (the )?card\b|^card ?holder'?s? name\b|^name of (the )?card ?holder\b")
_CARD_PURPOSES: tuple[tuple[re.Pattern[str], str, tuple[str, ...]], ...] = tuple(
    (re.compile(pattern), purpose, tuple(tokens.split())) for pattern, purpose, tokens in (
        (_CARD_NUMBER.pattern, "card number", "cc-number"),
        (_CARD_NAME.pattern, "name on the card", "cc-name cc-given-name cc-family-name"),
        (r"^(card )?expiry( date)?$|^expiration date$|^expires( on)?$|^valid (until|to)$", "card expiry date",
         "cc-exp cc-exp-month cc-exp-year"),
        (r"^month$", "card expiry month", "cc-exp-month cc-exp"),
        (r"^year$", "card expiry year", "cc-exp-year cc-exp"),
        (r"^(card )?security code$|^cvv2?$|^cvc$|^csc$|^card verification", "card security code", "cc-csc"),
    ))
_BIRTH_PARTS = {"day": ("day of birth", "bday-day"), "month": ("month of birth", "bday-month"),
                "year": ("year of birth", "bday-year")}


@persona_check
def email_optional(page: Page, context: PageContext) -> Iterator[Hit]:
    """A service must not insist on an email address, or people who do not use email cannot apply."""
    facts = page.evaluate(FORM_FACTS_JS)
    for field in facts["fields"]:
        label = _label(field)
        if field["type"] != "email" and not _EMAIL.search(label):
            continue
        says = f"{label} {field['description']}"
        if re.search(r"\boptional\b", says, re.IGNORECASE):
            continue
        marked = field["required"] or bool(re.search(r"\*|\b(required|mandatory)\b", label, re.IGNORECASE))
        rejected = context.after_error and (field["invalid"] or field["describedError"]
                                            or any(text["error"] for text in field["groupTexts"]))
        if not (marked or rejected):
            continue  # not known to be required: a person may leave it blank
        # Another way to get in touch counts only when the page says so, not merely by asking for a phone
        # number too: a required email is still required when a phone field sits beside it.
        other_way = facts["byPost"] or bool(re.search(r"\b(or|instead)\b.*\b(phone|telephone|post)\b", says,
                                                      re.IGNORECASE))
        if other_way:
            continue
        yield Hit(message=f"The field '{_said(field)}' requires an email address and the page offers no other "
                          "way to be contacted, so people who do not use email cannot go on.",
                  selector=field["selector"], snippet=field["html"])


@persona_check
def error_summary(page: Page, context: PageContext) -> Iterator[Hit]:
    """After a mistake, people must be told at once what went wrong and be taken to each field to fix it."""
    facts = page.evaluate(ERROR_SUMMARY_JS, context.after_error)
    summaries = facts["summaries"]
    if not (context.after_error or facts["errorTitle"] or summaries):
        return
    if not summaries and facts["linked"]:
        yield Hit(message=f"The page states the error '{_short(facts['linked'])}' beside its field and ties it to "
                          "the field, which says what went wrong and where; it has no error summary at the top, "
                          "so check that people notice the error before they go on.",
                  selector="body", outcome=Outcome.NEEDS_REVIEW)
        return
    if not summaries:
        where = facts["generic"] or {"selector": "body", "html": ""}
        said = f" (it says only '{_short(facts['generic']['text'])}')" if facts["generic"] else ""
        yield Hit(message=f"The page shows errors but has no error summary linking to the fields to fix{said}, "
                          "so people may not notice the problem or know which answer is wrong.",
                  selector=where["selector"], snippet=where["html"])
        return
    for summary in summaries:
        text = _short(summary["text"])
        if summary["missing"]:
            missing = ", ".join(f"#{target}" for target in summary["missing"])
            are = "is" if len(summary["missing"]) == 1 else "are"
            yield Hit(message=f"The error summary '{text}' links to {missing}, which {are} not on the page, so "
                              "its links do not take people to the fields to fix.",
                      selector=summary["selector"], snippet=summary["html"])
        elif not summary["links"]:
            outcome = Outcome.VIOLATION if facts["hasFields"] else Outcome.NEEDS_REVIEW
            yield Hit(message=f"The error message '{text}' does not link to the fields that need fixing, so "
                              "people must hunt through the form to find what is wrong.",
                      selector=summary["selector"], snippet=summary["html"], outcome=outcome)
        elif not (summary["focused"] or summary["alert"]):
            yield Hit(message=f"The error summary '{text}' neither takes focus nor is announced (role=alert), so "
                              "screen reader users may not hear that something went wrong.",
                      selector=summary["selector"], snippet=summary["html"], outcome=Outcome.NEEDS_REVIEW)
        elif summary["afterFirstField"]:
            yield Hit(message=f"The error summary '{text}' comes after the first form field, not at the top of "
                              "the page, so people reading down may miss it.",
                      selector=summary["selector"], snippet=summary["html"], outcome=Outcome.NEEDS_REVIEW)
        elif summary["notFields"]:
            targets = ", ".join(f"#{target}" for target in summary["notFields"])
            are = "is not a form field" if len(summary["notFields"]) == 1 else "are not form fields"
            yield Hit(message=f"The error summary '{text}' links to {targets}, which {are}; check that each "
                              "link takes people to the answer to fix.",
                      selector=summary["selector"], snippet=summary["html"], outcome=Outcome.NEEDS_REVIEW)


@persona_check
def field_description(page: Page) -> Iterator[Hit]:
    """Hints and error messages beside a field must be read out with it, or screen reader users miss them."""
    for field in page.evaluate(FORM_FACTS_JS)["fields"]:
        # Read out with the field: its description, and its name (an error message inside its <label> is in it).
        heard = f"{_comparable(field['description'])} | {_comparable(field['named'])}"
        for shown in field["groupTexts"]:
            if _comparable(shown["text"]) in heard:
                continue
            kind = "error message" if shown["error"] else "hint"
            where = f" in '{_short(field['legend'])}'" if field["legend"] else ""
            yield Hit(message=f"The {kind} '{_short(shown['text'])}' is shown beside the field "
                              f"'{_said(field) or field['selector']}'{where} but is not part of its description "
                              "(aria-describedby), so screen reader users do not hear it.",
                      selector=field["selector"], snippet=field["html"])
            break


@persona_check
def fieldset_legend(page: Page) -> Iterator[Hit]:
    """Options that answer one question must be grouped with it, or screen reader users hear answers alone."""
    for group in page.evaluate(FORM_FACTS_JS)["choiceGroups"]:
        if group["unnamed"]:
            kind = "radios" if group["type"] == "radio" else "checkboxes"
            yield Hit(message=f"The {group['count']} {kind} named '{group['name']}' are not in a fieldset with a "
                              "legend (or a named group), so screen reader users hear the options without the "
                              "question they answer.", selector=group["selector"], snippet=group["html"])


@persona_check
def placeholder_label(page: Page) -> Iterator[Hit]:
    """A field named only by its placeholder loses its label as soon as people start typing."""
    for field in page.evaluate(FORM_FACTS_JS)["fields"]:
        if field["placeholder"] and not field["named"] and field["tag"] != "select":
            yield Hit(message=f"The field with placeholder '{_short(field['placeholder'])}' has no label: its "
                              "only name disappears when people type, so they forget what it asks for.",
                      selector=field["selector"], snippet=field["html"])


@persona_check
def autocomplete_purpose(page: Page, context: PageContext) -> Iterator[Hit]:
    """Fields for a person's own details must say their purpose, so browsers and assistive tools can fill them."""
    facts = page.evaluate(FORM_FACTS_JS)
    card_page = any(_field_token(field["autocomplete"]).startswith("cc-") or _CARD_NUMBER.search(_clean(_label(field)))
                    for field in facts["fields"])
    for field in facts["fields"]:
        if field["autocomplete"] and not field.get("disabled") and not valid_autocomplete(field["autocomplete"]):
            yield Hit(message=f"The field '{_said(field)}' has autocomplete=\"{field['autocomplete']}\", which is not "
                              "a value browsers know, so they cannot fill it in or tell assistive tools its purpose.",
                      selector=field["selector"], snippet=field["html"])
            continue
        purpose = _purpose(field, card_page)
        if purpose is None:
            continue
        name, accepted = purpose
        whose = _whose(field, facts["h1"])
        if whose == "others" and accepted[0] not in _CARD_TOKENS:
            continue
        if context.on_behalf and whose != "self" and accepted[0] not in _CARD_TOKENS:
            continue  # the person is applying for someone else: only fields that say "your" are theirs
        token = _field_token(field["autocomplete"])
        if token in accepted:
            continue
        having = f"autocomplete=\"{field['autocomplete']}\"" if field["autocomplete"] else "no autocomplete token"
        yield Hit(message=f"The field '{_said(field)}' asks for the person's {name} but has {having}; "
                          f"it needs autocomplete=\"{accepted[0]}\" so browsers can fill it in.",
                  selector=field["selector"], snippet=field["html"])


@persona_check
def autocomplete_others(page: Page, context: PageContext) -> Iterator[Hit]:
    """Fields about someone else must not invite the browser to fill in the helper's own details."""
    fields, h1 = _fields_on_behalf(page, context)
    for field in fields:
        tokens = field["autocomplete"].split()
        if not tokens or any(token.startswith("section-") for token in tokens):
            continue
        if not _PERSONAL_TOKENS.match(tokens[-1]) or _whose(field, h1) != "others":
            continue
        yield Hit(message=f"The field '{_said(field)}' is about someone else but has "
                          f"autocomplete=\"{field['autocomplete']}\", so the browser offers the helper's own "
                          "details for it.", selector=field["selector"], snippet=field["html"])


@persona_check
def helper_contact(page: Page, context: PageContext) -> Iterator[Hit]:
    """On behalf of someone else, a contact field must say whether it wants the helper's details or theirs."""
    fields, h1 = _fields_on_behalf(page, context)
    for field in fields:
        label = _label(field)
        if field["type"] not in ("tel", "email") and not (_PHONE.search(label) or _EMAIL.search(label)):
            continue
        if field["lookup"]:
            continue
        said = (label, field["legend"], field["heading"], h1, field["description"])
        if any(_SELF.search(text) or _OTHERS.search(text) for text in said):
            continue
        yield Hit(message=f"The field '{_said(field)}' does not say whose contact details it wants, so someone "
                          "applying for another person cannot tell whether to give their own or the other "
                          "person's.", selector=field["selector"], snippet=field["html"])


def _fields_on_behalf(page: Page, context: PageContext) -> tuple[list[dict[str, Any]], str]:
    """The page's fields and main heading when the persona applies for someone else; none otherwise."""
    if not context.on_behalf:
        return [], ""
    facts = page.evaluate(FORM_FACTS_JS)
    return facts["fields"], facts["h1"]


_CARD_TOKENS = frozenset(token for _, _, tokens in _CARD_PURPOSES for token in tokens)


def _label(field: dict[str, Any]) -> str:
    """What the field is called for a person: its label, else the words beside it, else its placeholder."""
    return str(field["named"] or field["nearby"] or field["placeholder"])


def _said(field: dict[str, Any]) -> str:
    """The field's name for a message: its label without a trailing 'mandatory' asterisk."""
    return _short(re.sub(r"\s*\*\s*$", "", _label(field)))


def _clean(label: str) -> str:
    """A label reduced to its question: no '(optional)', asterisks, colons or 'your'/'their'."""
    label = re.sub(r"\([^)]*\)|\*|:", " ", label.lower())
    label = re.sub(r"^\s*(what is |enter )?(your|their|the|applicant'?s|resident'?s|badge holder'?s|person'?s)\s+",
                   "", label)
    return re.sub(r"\s+", " ", label).strip(" ?.")


def _purpose(field: dict[str, Any], card_page: bool) -> tuple[str, tuple[str, ...]] | None:
    """The personal purpose a person would read in the field's label, with the tokens that name it."""
    if field["lookup"] or field["type"] in ("search", "password"):
        return None
    raw = _label(field)
    label, legend = _clean(raw), field["legend"].lower()
    if not label:
        return None
    if _CARD_NUMBER.search(label) or _CARD_NAME.search(label) or (card_page and (_CARD.search(label) or _CARD.search(legend))):
        for pattern, name, tokens in _CARD_PURPOSES:
            if pattern.search(label) and (label not in ("month", "year") or _CARD.search(legend)):
                return name, tokens
        return None
    if _NO_TOKEN.search(label):
        return None
    if _BIRTH.search(legend) and label in _BIRTH_PARTS:
        name, token = _BIRTH_PARTS[label]
        return name, (token,)
    if _BIRTH.search(label):
        return ("date of birth", ("bday",)) if field["type"] in ("text", "date") else None
    for pattern, name, tokens in _PURPOSES:
        if pattern.search(label):
            return name, tokens
    # Postcode or street alone may be where a problem is, not where someone lives: an address must be named.
    if _ADDRESS_CONTEXT.search(" ".join((raw, field["legend"], field["heading"]))):
        for pattern, name, tokens in _ADDRESS_PURPOSES:
            if pattern.search(label):
                return name, tokens
    return None


def _whose(field: dict[str, Any], h1: str) -> str | None:
    """'self' or 'others': the first of label, legend, nearest heading and page heading that says whose."""
    for text in (_label(field), field["legend"], field["heading"], h1):
        if _OTHERS.search(text):
            return "others"
        if _SELF.search(text):
            return "self"
    return None


_AUTOFILL_FIELDS = frozenset((
    "name", "honorific-prefix", "given-name", "additional-name", "family-name", "honorific-suffix",
    "nickname", "username", "new-password", "current-password", "one-time-code", "organization-title",
    "organization", "street-address", "address-line1", "address-line2", "address-line3", "address-level4",
    "address-level3", "address-level2", "address-level1", "country", "country-name", "postal-code",
    "cc-name", "cc-given-name", "cc-additional-name", "cc-family-name", "cc-number", "cc-exp",
    "cc-exp-month", "cc-exp-year", "cc-csc", "cc-type", "transaction-currency", "transaction-amount",
    "language", "bday", "bday-day", "bday-month", "bday-year", "sex", "url", "photo"))
_AUTOFILL_CONTACT_FIELDS = frozenset((
    "tel", "tel-country-code", "tel-national", "tel-area-code", "tel-local", "tel-local-prefix",
    "tel-local-suffix", "tel-extension", "email", "impp"))


def valid_autocomplete(value: str) -> bool:
    """Whether an autocomplete value is one the HTML standard defines: 'on', 'off', or [section-*] [shipping |
    billing] [home | work | mobile | fax | pager, before a contact field] field [webauthn]."""
    tokens = value.lower().split()
    if tokens in (["on"], ["off"]):
        return True
    if tokens[-1:] == ["webauthn"]:
        tokens = tokens[:-1]
    if tokens and tokens[0].startswith("section-"):
        tokens = tokens[1:]
    if tokens and tokens[0] in ("shipping", "billing"):
        tokens = tokens[1:]
    if len(tokens) == 2 and tokens[0] in ("home", "work", "mobile", "fax", "pager"):
        return tokens[1] in _AUTOFILL_CONTACT_FIELDS
    return len(tokens) == 1 and (tokens[0] in _AUTOFILL_FIELDS or tokens[0] in _AUTOFILL_CONTACT_FIELDS)


def _field_token(autocomplete: str) -> str:
    """The field name in an autocomplete value ('section-a shipping tel' -> 'tel')."""
    tokens = [t for t in autocomplete.split() if t != "webauthn"]
    return tokens[-1] if tokens else ""


def _comparable(text: str) -> str:
    """Text as a screen reader user would hear it, for comparing: no 'Error:' prefix, case or punctuation."""
    text = re.sub(r"[^\w\s]", " ", text.lower())
    text = re.sub(r"^\s*error\b", " ", text)
    return " ".join(text.split())


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
