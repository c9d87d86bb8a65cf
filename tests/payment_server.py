"""A local server of hostile payment pages: each one sends every keystroke and field value to the server as
it happens, the way a skimming script (or a careless analytics tag) would.

A test walks a page as a persona on a target that is not a test environment and then reads `collected`:
the harness must refuse before typing, so the server never hears a card digit. The same pages on a test
environment prove the pages really do send what is typed. `other_origin` names the same server by another
host (localhost, not 127.0.0.1), so a frame from it is cross-origin, as hosted payment pages are.
"""

from __future__ import annotations

import threading
from http.server import ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

from tests.pages_server import HtmlHandler

# Sends every key and every value typed, in this document and in its open shadow roots (composedPath reaches
# inside them), before any form is submitted.
SKIMMER = """<script>
const send = (kind, v) => fetch('/collect?' + new URLSearchParams({kind, v}), {keepalive: true});
for (const type of ['input', 'change']) {
  document.addEventListener(type, e => send(type, e.composedPath()[0].value || ''), true);
}
document.addEventListener('keydown', e => send('key', e.key), true);
</script>"""

PAGE = """<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8"><title>{title}</title>{skimmer}</head>
<body><main>
<h1>{title}</h1>
<form action="/paid" method="get">
{fields}
<button type="submit">Pay</button>
</form>
</main></body></html>"""

CARD_LABELLED = """<label for="f1">Card number</label><input id="f1" name="f1">
<label for="f2">Expiry date</label><input id="f2" name="f2">
<label for="f3">Security code</label><input id="f3" name="f3">"""

SHADOW = """<card-fields></card-fields>
<script>
customElements.define('card-fields', class extends HTMLElement {
  connectedCallback() {
    this.attachShadow({mode: 'open'}).innerHTML =
      '<label for="n">Card number</label><input id="n" name="n">'
      + '<label for="e">Expiry date</label><input id="e" name="e">'
      + '<label for="c">Security code</label><input id="c" name="c">';
  }
});
</script>"""

# Another host names the frame's address, so the frame is from another origin, as a payment provider's is.
FRAME = '<label for="email">Email address</label><input id="email" name="email">\n' \
        '<iframe title="{title}" src="{src}" style="width: 400px; height: 300px"></iframe>'

# Hides its card fields from any script of the page's own world: the guard must look from elsewhere.
TAMPERED = CARD_LABELLED.replace('name="f1"', 'name="f1" autocomplete="cc-number"') + """
<script>
const realQuery = Document.prototype.querySelectorAll;
Document.prototype.querySelector = () => null;
Document.prototype.querySelectorAll = function () { return realQuery.call(this, 'template'); };
Element.prototype.querySelector = () => null;
Element.prototype.getAttribute = () => null;
for (const label of realQuery.call(document, 'label')) label.textContent = '';
for (const [i, words] of ['Card number', 'Expiry date', 'Security code'].entries()) {
  realQuery.call(document, 'input')[i].setAttribute('aria-label', words);
}
</script>"""

# variant -> (title, the fields of the form)
VARIANTS: dict[str, tuple[str, str]] = {
    "aria-labelledby": ("Pay by card", """<span id="l1">Card number</span><input aria-labelledby="l1" name="a">
<span id="l2">Expiry date</span><input aria-labelledby="l2" name="b">
<span id="l3">Security code</span><input aria-labelledby="l3" name="c">"""),
    "shadow-dom": ("Pay by card", SHADOW),
    "long-number-cvc": ("Pay by card", """<label for="a">Long number</label><input id="a" name="a">
<label for="b">Valid until</label><input id="b" name="b">
<label for="c">CVC</label><input id="c" name="c">"""),
    "same-origin-frame": ("Pay", FRAME.format(title="Secure form", src="/frame/fields")),
    "cross-origin-frame": ("Pay", FRAME.format(title="Secure form", src="{other}/frame/fields")),
    "autocomplete-only": ("Pay", """<label for="a">Number</label><input id="a" name="a" autocomplete="cc-number">
<label for="b">Date</label><input id="b" name="b" autocomplete="cc-exp">
<label for="c">Code</label><input id="c" name="c" autocomplete="cc-csc">"""),
    # Beyond the list: a provider's hosted page whose fields say nothing (only its address does), a frame
    # whose title gives it away, placeholders only (as some card widgets draw them), text beside fields
    # that are not tied to it, and a page that hides its fields from the page's own scripts.
    "hosted-page-address": ("Pay", FRAME.format(title="Secure form", src="{other}/checkout/hosted")),
    "frame-title": ("Pay", FRAME.format(title="Card details", src="/frame/neutral")),
    "placeholders-only": ("Pay", """<input name="a" placeholder="1234 1234 1234 1234" aria-label="Number">
<input name="b" placeholder="MM / YY" aria-label="Date">
<input name="c" placeholder="CVC" aria-label="Code">"""),
    "nearby-text": ("Pay", """<div>Card number</div><input name="a">
<div>Expiry date</div><input name="b">
<div>Security code</div><input name="c">"""),
    "tampered-dom": ("Pay by card", TAMPERED),
    # The fields arrive a second and a half after the page, as a payment widget's script draws them: the guard must look
    # again once the field it was asked for is there.
    "late-fields": ("Pay", """<div id="later"></div><script>setTimeout(() => { document.getElementById('later')
  .innerHTML = '<label for="email">Email address</label><input id="email" name="email">' + `""" + "{CARD}" + """`;
}, 1500);</script>"""),
    # No card fields: the card saved on the account pays. Only the button's words give it away.
    "saved-card": ("Confirm your payment", "<p>Pay £125.50 with the card ending 1111 saved on your account.</p>"),
    # No payment fields at all: only the card number typed into an ordinary field gives it away.
    "reference-field": ("Your reference", """<label for="r">Reference</label><input id="r" name="r">"""),
}
FRAME_FIELDS = """<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>Card details</title>{skimmer}
</head><body><form action="/paid" method="get">{fields}<button type="submit">Pay</button></form></body></html>"""
NEUTRAL_FIELDS = """<label for="a">Number</label><input id="a" name="a">
<label for="b">Date</label><input id="b" name="b">
<label for="c">Code</label><input id="c" name="c">"""


class PaymentServer(ThreadingHTTPServer):
    daemon_threads = True
    other_origin = ""
    collected: list[tuple[str, str]]
    """(kind, value) of everything the pages' scripts sent: keys, field values."""
    requests: list[str]
    """Every address asked for, with its query: a form submitted with card details would show here."""


class Handler(HtmlHandler):
    server: PaymentServer

    def do_GET(self) -> None:
        self.server.requests.append(self.path)
        parts = urlsplit(self.path)
        path = parts.path.strip("/")
        if path == "collect":
            query = dict(parse_qsl(parts.query, keep_blank_values=True))
            self.server.collected.append((query.get("kind", ""), query.get("v", "")))
            return self._send("")
        if path == "frame/fields":
            return self._send(FRAME_FIELDS.format(skimmer=SKIMMER, fields=CARD_LABELLED))
        if path in ("checkout/hosted", "frame/neutral"):
            return self._send(FRAME_FIELDS.format(skimmer=SKIMMER, fields=NEUTRAL_FIELDS))
        if path == "paid":
            return self._send("<!DOCTYPE html><html lang=\"en-GB\"><title>Paid</title><h1>Payment complete</h1>")
        if path in VARIANTS:
            title, fields = VARIANTS[path]
            fields = fields.replace("{other}", self.server.other_origin).replace("{CARD}", CARD_LABELLED)
            return self._send(PAGE.format(title=title, skimmer=SKIMMER, fields=fields))
        return self._send("<!DOCTYPE html><title>Not found</title><h1>Not found</h1>", status=404)


def start_payment_server() -> tuple[PaymentServer, str]:
    server = PaymentServer(("127.0.0.1", 0), Handler)
    server.collected, server.requests = [], []
    port = server.server_address[1]
    server.other_origin = f"http://localhost:{port}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{port}"
