"""A local server that misbehaves on purpose: slow, endless, crashing, looping, hostile pages.

Every fault is a variant of one small bin-day service, so one scenario walks them all. Imported by the
fault-injection tests; `FAULTS` lists the entry path of each fault.
"""

from __future__ import annotations

import socket
import threading
import time
from http.server import ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from tests.pages_server import HtmlHandler

SERVICE = """<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8"><title>{title}</title></head>
<body>{head_extra}
<main>
<h1>Find your bin collection day</h1>
<form action="{action}" method="get">
<label for="q">Postcode, or street and town</label>
<input id="q" name="q" autocomplete="postal-code">
<button type="submit" {button_extra}>Find collection days</button>
</form>
{body_extra}
</main>
</body></html>"""

RESULTS = """<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8"><title>Collection days for Mill Lane</title></head>
<body><main><h1>Collection days for Mill Lane</h1>
<table><caption>Next collections</caption>
<thead><tr><th scope="col">Bin</th><th scope="col">Day</th></tr></thead>
<tbody><tr><td>Garden waste</td><td>Tuesday</td></tr></tbody></table>
</main></body></html>"""

HOSTILE = '<script>window.__pwned = 1</script>"><img src=x onerror="window.__pwned=1">'

# fault id -> what the start page adds: (title, head_extra, button_extra, body_extra, action)
VARIANTS: dict[str, tuple[str, str, str, str, str]] = {
    "healthy": ("Find your bin collection day", "", "", "", "/results"),
    "endless-loading": ("Find your bin collection day", "", "", '<img src="/hang" alt="">', "/results"),
    "alert-on-load": ("Find your bin collection day", "<script>alert('Welcome! Cookies are used.')</script>",
                      "", "", "/results"),
    "confirm-on-submit": ("Find your bin collection day", "",
                          "onclick=\"return confirm('Are you sure?')\"", "", "/results"),
    "popup": ("Find your bin collection day", "", "onclick=\"window.open('/results', '_blank')\"", "",
              "/results"),
    "download": ("Find your bin collection day", "", "", "", "/days.csv"),
    "redirect-loop": ("Find your bin collection day", "", "", "", "/loop"),
    "outside-origin": ("Find your bin collection day", "", "", "", "{other}/results"),
    "huge-page": ("Find your bin collection day", "", "", "{huge}", "/results"),
    "crash": ("Find your bin collection day", "", "", "", "/crashing"),
    "hostile": (f"Find your bin collection day {HOSTILE}", "", f'data-x=\'{HOSTILE}\'',
                f"<p>{HOSTILE}</p>", "/results"),
    # A service that takes card details on its first page: pressing its button could take money.
    # A same-origin frame holding an unlabelled field (scanned), and another site's frame (not tested).
    "frames": ("Find your bin collection day", "", "", ('<iframe title="Map" src="/frame-content"></iframe>'
               '<iframe title="Payment" src="{other}/frame-content"></iframe>'), "/results"),
    # An image without alt text inside an open shadow root, as web components render it.
    "shadow-dom": ("Find your bin collection day", "", "", ('<council-logo></council-logo><script>'
                   'customElements.define("council-logo", class extends HTMLElement { connectedCallback() {'
                   ' this.attachShadow({mode: "open"}).innerHTML = \'<img src="/logo.png">\'; } });</script>'),
                   "/results"),
    "live-payment": ("Find your bin collection day", "", "", ('<label for="card">Card number</label>'
                     '<input id="card" name="card" autocomplete="cc-number">'), "/results"),
}

CRASH = """<!DOCTYPE html><html lang="en-GB"><head><title>Loading</title></head><body><h1>Loading</h1>
<script>
// Grows until the renderer runs out of memory and the tab crashes, as runaway pages do.
const hoard = [];
setTimeout(() => { while (true) hoard.push(new Array(1e7).fill(Math.random())); }, 50);
</script></body></html>"""

FLAKY_DROPS = 2


class FaultServer(ThreadingHTTPServer):
    daemon_threads = True
    other_origin = ""
    flaky_seen: dict[str, int]


class Handler(HtmlHandler):
    server: FaultServer

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        path = parts.path.strip("/")
        if path == "results":
            return self._send(RESULTS)
        if path == "hang":
            time.sleep(120)  # an image that never arrives: the page's load event never fires
            return None
        if path == "loop":
            self.send_response(302)
            self.send_header("Location", "/loop?" + str(time.monotonic_ns()))
            self.end_headers()
            return None
        if path == "days.csv":
            return self._send("postcode,day\nMB1 4QX,Tuesday\n", headers={
                "Content-Type": "text/csv", "Content-Disposition": 'attachment; filename="days.csv"'})
        if path == "frame-content":
            return self._send('<!DOCTYPE html><html lang="en-GB"><head><title>Map</title></head><body>'
                              '<input name="where"></body></html>')
        if path == "crashing":
            return self._send(CRASH)
        if path == "slow-start":
            time.sleep(float(parse_qs(parts.query).get("s", ["3"])[0]))
            path = "healthy"
        if path == "flaky":
            self.server.flaky_seen[self.path] = self.server.flaky_seen.get(self.path, 0) + 1
            if self.server.flaky_seen[self.path] <= FLAKY_DROPS:
                # Drop the connection without a response, as an overloaded server does. Chromium quietly
                # retries a dropped connection once itself, so drop it often enough to reach the harness.
                self.connection.shutdown(socket.SHUT_RDWR)
                return None
            path = "healthy"
        if path in VARIANTS:
            title, head, button, body, action = VARIANTS[path]
            body = body.replace("{huge}", "".join(f"<p>Collection note {i}</p>" for i in range(5_000)))
            body = body.replace("{other}", self.server.other_origin)
            return self._send(SERVICE.format(title=title, head_extra=head, button_extra=button,
                                             body_extra=body, action=action.format(other=self.server.other_origin)))
        return self._send("<!DOCTYPE html><title>Not found</title><h1>Not found</h1>", status=404)


def start_fault_server() -> tuple[FaultServer, str]:
    """Serve on 127.0.0.1; 'outside-origin' sends people to the same server named 'localhost'."""
    server = FaultServer(("127.0.0.1", 0), Handler)
    server.flaky_seen = {}
    port = server.server_address[1]
    server.other_origin = f"http://localhost:{port}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{port}"


FAULTS = [*VARIANTS, "slow-start", "flaky"]
