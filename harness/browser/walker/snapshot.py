"""Read a page's controls, headings and text in one round trip (and one per child frame), for the walker."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Frame, Page

from harness.browser.page_facts import SHOWS_ERRORS_JS
from harness.model.page_snapshot import PageSnapshot, snapshot_from

# Names are computed as a person meets them: the label, then aria, then (marked unlabelled) the placeholder or
# the text just before the field, which a sighted person reads but a screen reader does not announce.
SNAPSHOT_JS = """
() => {
  const visible = (el) => {
    if (!el.getClientRects().length) return false;
    const style = getComputedStyle(el);
    return style.visibility !== 'hidden' && style.display !== 'none';
  };
  const clean = (text) => (text || '').replace(/\\s+/g, ' ').trim().slice(0, 300);
  const textOf = (el) => clean(el ? (el.innerText || el.textContent) : '');
  const byIds = (ids) => clean((ids || '').split(/\\s+/).map(id => {
    const found = id && document.getElementById(id); return found ? textOf(found) : ''; }).join(' '));
  const labelOf = (el) => {
    const parts = [];
    if (el.labels) for (const label of el.labels) {
      const copy = label.cloneNode(true);
      copy.querySelectorAll('input, select, textarea').forEach(c => c.remove());
      parts.push(clean(copy.innerText || copy.textContent));
    }
    const named = byIds(el.getAttribute('aria-labelledby')) || clean(el.getAttribute('aria-label'))
      || parts.join(' ') || clean(el.getAttribute('title'));
    return named;
  };
  const nearbyText = (el) => {
    // A legacy form's "label": the text of the table cell or element just before (for a box to tick,
    // just after) the field.
    const cell = el.closest('td, th');
    if (cell && cell.querySelectorAll('input, select, textarea').length === 1) {
      const beside = el.type === 'checkbox' || el.type === 'radio'
        ? textOf(cell) || (cell.nextElementSibling ? textOf(cell.nextElementSibling) : '')
        : (cell.previousElementSibling ? textOf(cell.previousElementSibling) : '');
      if (beside && beside.length < 120) return beside;
    }
    if (el.type === 'checkbox' || el.type === 'radio') {
      const next = el.nextSibling && el.nextSibling.nodeType === 3 ? clean(el.nextSibling.textContent) : '';
      if (next) return next;
    }
    let prev = el.previousElementSibling;
    while (prev && !textOf(prev)) prev = prev.previousElementSibling;
    return prev ? textOf(prev).slice(0, 120) : '';
  };
  const gridOf = (el) => {
    // A grid of controls in a table (Yes and No columns beside each question, a quantity column beside each
    // item): the cell holds only the control; its column's header names it, its row's first cell asks.
    const cell = el.closest('td, th');
    if (!cell || textOf(cell) || cell.querySelectorAll('input, select, textarea').length !== 1) return null;
    const row = cell.parentElement;
    const table = cell.closest('table');
    const head = table && table.rows.length > 1 ? table.rows[0] : null;
    if (!head || head === row || head.querySelector('input, select, textarea')) return null;
    const column = head.cells[cell.cellIndex];
    const first = row.cells[0];
    return {column: column ? textOf(column).slice(0, 60) : '',
            row: first && first !== cell ? textOf(first).slice(0, 200) : ''};
  };
  const groupOf = (el) => {
    const fieldset = el.closest('fieldset');
    if (fieldset) {
      const legend = fieldset.querySelector('legend');
      if (legend) return textOf(legend);
    }
    const group = el.closest('[role=radiogroup], [role=group]');
    if (group) return byIds(group.getAttribute('aria-labelledby')) || clean(group.getAttribute('aria-label'));
    return '';
  };
  const inBanner = (el) => {
    if (el.closest('[class*=cookie i], [id*=cookie i], [aria-label*=cookie i]')) return true;
    const over = el.closest('[role=dialog], dialog, [aria-modal=true]');
    return !!over && /cookie/i.test(over.textContent || '');
  };
  // A pop-up drawn without a dialog role (a legacy time-out warning): a box fixed over the middle of the
  // window with a message and something to press, and nothing to fill in. A fixed header, a sticky bar of
  // buttons along an edge or a chat button in a corner does not cross the window's middle or has no message.
  const popups = new Map();
  const isPopup = (box) => {
    if (!popups.has(box)) {
      const rect = box.getBoundingClientRect();
      const middle = window.innerWidth / 2;
      const words = textOf(box).length;
      popups.set(box, getComputedStyle(box).position === 'fixed' && visible(box)
        && rect.left < middle && rect.right > middle && rect.width < window.innerWidth * 0.8 && words >= 40
        && !box.querySelector('input:not([type=submit]):not([type=button]):not([type=image]), select, textarea'));
    }
    return popups.get(box);
  };
  const inPopup = (el) => {
    for (let box = el.parentElement; box && box !== document.body; box = box.parentElement)
      if (isPopup(box)) return true;
    return false;
  };
  const inDialog = (el) => !inBanner(el)
    && (!!el.closest('[role=dialog], [role=alertdialog], dialog, [aria-modal=true]') || inPopup(el));
  // The site's own header, navigation, footer and search: not part of the service's form.
  const SITE_SEARCH = /sitesearch|site-search|site_search|searchbox|txtsearch|^q$|^query$|^search$|^s$/i;
  const inChrome = (el) => {
    if (el.closest('main, [role=main]')) return false;
    if (el.closest('header, nav, footer, [role=search], [role=banner], [role=navigation], [role=contentinfo]'))
      return true;
    const box = el.closest('span, div, p, td, li');
    return !!box && Array.from(box.querySelectorAll('input')).some(
      i => SITE_SEARCH.test(i.name || '') || SITE_SEARCH.test(i.id || ''));
  };
  const controls = [];
  const seen = new Set();
  const add = (el, fields) => {
    if (seen.has(el) || controls.length >= 400) return;
    seen.add(el);
    controls.push(Object.assign({in_form: !!el.closest('form'), in_banner: inBanner(el),
                                 in_dialog: inDialog(el), in_chrome: inChrome(el)}, fields));
  };
  for (const el of document.querySelectorAll('input, select, textarea')) {
    const type = (el.getAttribute('type') || el.localName).toLowerCase();
    if (el.readOnly || el.disabled) continue;  // a read-only copy of an answer is not a field to fill
    if (['hidden'].includes(type) || (!visible(el) && !['radio', 'checkbox', 'file'].includes(type))) continue;
    if (['radio', 'checkbox', 'file'].includes(type) && !visible(el)) {
      // GOV.UK hides the native radio under a drawn one: its label is what people see.
      if (!(el.labels && Array.from(el.labels).some(visible))) continue;
    }
    const described = byIds(el.getAttribute('aria-describedby'));
    const named = labelOf(el);
    const grid = gridOf(el);
    let role = 'textbox';
    if (el.localName === 'select') role = 'select';
    else if (el.localName === 'textarea') role = 'textarea';
    else if (type === 'radio' || type === 'checkbox' || type === 'file') role = type;
    else if (['submit', 'button', 'image', 'reset'].includes(type)) {
      if (type === 'reset') continue;
      const row = el.closest('li, tr, dd');
      add(el, {role: 'button', label: named || clean(el.value) || clean(el.getAttribute('alt')),
               type, submits: type !== 'button' && !!el.form, context: row ? textOf(row).slice(0, 200) : ''});
      continue;
    }
    const choice = role === 'radio' || role === 'checkbox';
    add(el, {
      role, label: named || clean(el.getAttribute('placeholder')) || (choice && grid && grid.column)
        || nearbyText(el), labelled: !!named, name: el.getAttribute('name') || '',
      type, autocomplete: el.getAttribute('autocomplete') || '', required: el.required
        || el.getAttribute('aria-required') === 'true',
      group: groupOf(el) || (grid ? (choice ? grid.row : grid.column) : ''), placeholder: el.getAttribute('placeholder') || '', hint: described,
      inputmode: el.getAttribute('inputmode') || '', value: role === 'select'
        ? clean(el.selectedOptions[0] ? el.selectedOptions[0].text : '') : clean(el.value),
      checked: !!el.checked,
      invalid: el.getAttribute('aria-invalid') === 'true' || /\berror\b/i.test(described)
        || !!el.closest('[class*=form-group--error], .error, .has-error, [class*=field--error]'),
      options: role === 'select' ? Array.from(el.options).map(o => clean(o.text)) : [],
    });
  }
  for (const el of document.querySelectorAll('button, [role=button], a[href], [onclick]')) {
    if (!visible(el) || el.closest('[hidden]')) continue;
    const label = labelOf(el) || textOf(el) || clean(el.getAttribute('alt'))
      || clean((el.querySelector('img[alt]') || {}).alt);
    if (el.localName === 'button' || el.getAttribute('role') === 'button') {
      const type = (el.getAttribute('type') || 'submit').toLowerCase();
      const row = el.closest('li, tr, dd');
      add(el, {role: 'button', label, type, context: row ? textOf(row).slice(0, 200) : '',
               submits: el.localName === 'button' && type === 'submit' && !!el.form});
    } else if (el.localName === 'a') {
      // A link that says only "Select" takes its meaning from its row or list item.
      const row = el.closest('li, tr, dd, p');
      add(el, {role: 'link', label, href: el.href, context: row ? textOf(row).slice(0, 200) : ''});
    } else if (!el.matches('input, select, textarea, form, body, html') && label && label.length < 80) {
      add(el, {role: 'clickable', label});
    }
  }
  const main = document.querySelector('main, [role=main]') || document.body;
  const h1 = document.querySelector('main h1, [role=main] h1') || document.querySelector('h1');
  let rows = 0;
  for (const dl of document.querySelectorAll('dl')) rows += dl.querySelectorAll('dt').length;
  for (const row of document.querySelectorAll('table tr')) {
    if (/\\b(change|edit|amend)\\b/i.test(textOf(row))) rows += 1;
  }
  // The page's heading as a sighted person takes it: the h1, else the first heading, else the biggest text.
  const leadOf = () => {
    if (h1 && textOf(h1)) return textOf(h1);
    const heading = Array.from(main.querySelectorAll('h2, h3, [role=heading]')).find(visible);
    if (heading) return textOf(heading);
    let lead = null;
    let biggest = 0;
    for (const el of main.querySelectorAll('b, strong, font, span, p, div, td, legend, caption, h4, h5, h6')) {
      if (el.closest('a, button, label, select, header, nav, footer, [role=navigation], [role=banner]')) continue;
      if (!Array.from(el.childNodes).some(n => n.nodeType === 3 && n.textContent.trim()) || !visible(el)) continue;
      const style = getComputedStyle(el);
      const size = parseFloat(style.fontSize) + (parseInt(style.fontWeight, 10) >= 600 ? 0.5 : 0);
      if (size > biggest) { lead = el; biggest = size; }
    }
    return lead ? textOf(lead) : '';
  };
  const panel = document.querySelector('.govuk-panel, [class*=panel i], [class*=confirmation i], [class*=success i]');
  return {
    url: location.href, title: document.title, h1: textOf(h1), lead: leadOf(),
    headings: Array.from(document.querySelectorAll('h1, h2, h3, [role=heading]')).filter(visible)
      .map(textOf).slice(0, 60),
    controls, text: (main ? (main.innerText || '') : '').slice(0, 4000), summary_rows: rows,
    panel: panel && visible(panel) ? textOf(panel) : '', shows_errors: !!(SHOWS_ERRORS)(),
    has_form: !!document.querySelector('form'),
  };
}
""".replace("SHOWS_ERRORS", SHOWS_ERRORS_JS.strip())


MAX_FRAMES = 4
"""Child frames read for controls: a hosted payment form, an embedded map; more is advertising."""


def take_snapshot(page: Page) -> PageSnapshot:
    """The page as the walker reads it now, with the controls of its child frames (a hosted card form) marked
    as inside a frame; a page or frame that will not answer reads as empty, never as an error."""
    raw = _read(page.main_frame)
    framed = [control for frame in page.main_frame.child_frames[:MAX_FRAMES]
              for control in _controls(_read(frame))]
    if framed:
        raw = {**raw, "controls": [*_controls(raw), *({**c, "in_frame": True} for c in framed)]}
    return snapshot_from(raw, url=page.url)


def _read(frame: Frame) -> dict[str, Any]:
    try:
        raw = frame.evaluate(SNAPSHOT_JS)
    except PlaywrightError:
        return {}
    return raw if isinstance(raw, dict) else {}


def _controls(raw: dict[str, Any]) -> list[dict[str, Any]]:
    controls = raw.get("controls")
    return [c for c in controls if isinstance(c, dict)] if isinstance(controls, list) else []
