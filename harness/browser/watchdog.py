"""Limits that hold when the page does not: time and size enforced from outside the page.

A page whose script never lets go (`while (true) {}`), that opens dialogs for ever or that is too large to
lay out keeps the renderer's main thread busy, and every Playwright call on it then waits for ever. A limit
checked when the next call starts never comes round, and a `setTimeout` inside the page never fires. So the
watchdog keeps time on a thread of its own and, when a limit passes, acts on the browser from outside:

1. it asks V8 to stop the script that is running (CDP `Runtime.terminateExecution`: Chromium takes this
   command between two JavaScript instructions, even inside an endless loop);
2. if the blocked call still waits `GRACE_S` later, it closes the page (the browser process does that, however
   busy the renderer is), so the call returns with an error;
3. if even that does not free it, it closes the page's browser context.

Playwright's sync API is not thread-safe. Its event loop runs in a greenlet of the main thread, and it keeps
running while the test waits on a call, so the timer thread never calls the API: it only hands coroutines of
the API's own implementation to that loop with `call_soon_threadsafe`. Tried on Debian's `chromium` and
`chromium-headless-shell`: the terminate frees a blocked `evaluate` at once, and closing the page frees it in
about half a second.

The document size cap (`DocumentCap`) counts the bytes of each document as they arrive (CDP
`Network.dataReceived`) and stops loading one that passes `DOCUMENT_MAX_BYTES`, before the renderer spends
gigabytes on it.
"""

from __future__ import annotations

import asyncio
import threading
import weakref
from collections.abc import Callable, Coroutine, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from typing import Any

from playwright.sync_api import CDPSession, Page
from playwright.sync_api import Error as PlaywrightError

GRACE_S = 3.0
"""How long each way of stopping the page is given to free the blocked call before the next, harder one."""
PROBE_S = 2.0
"""How long the renderer is given to answer `1` when a limit passes: a page that cannot is stuck."""
DOCUMENT_MAX_BYTES = 10_000_000
"""The most of one document (its HTML, as decoded) the harness lets a page load. Chromium takes a document in only
as fast as it parses it, so by the time this much has arrived the renderer has built it: the first 10 MB of a
50 MB page of text took 15 s and 1 GB; the whole of it, minutes and several GB."""


class PageUnresponsive(Exception):
    """A page held the browser past a time limit, or would not stop opening dialogs, and was stopped."""

    def __init__(self, message: str, *, kind: str) -> None:
        super().__init__(message)
        self.kind = kind
        """'script' (its script was stopped and the page let go), 'closed' (the page had to be closed) or
        'stopped' (the harness stopped it at once, e.g. a dialog storm)."""


@dataclass
class _Trip:
    """What a limit that passed did, read by the block it guarded when the block ends."""

    what: str
    seconds: float
    terminated: bool = False
    closed: bool = False
    answered: bool = False
    """The renderer answered a probe when the limit passed: the page was not stuck, the call was."""

    def error(self) -> PageUnresponsive | None:
        if self.closed and self.answered:
            return PageUnresponsive(
                f"{self.what[:1].upper()}{self.what[1:]} ran past its time limit of {self.seconds:g} s and the call under way never "
                "returned, although the page still answered the browser, so the harness closed the page.",
                kind="closed")
        if self.closed:
            return PageUnresponsive(
                f"The page stopped responding: the browser was still busy with it when {self.what} passed its "
                f"time limit of {self.seconds:g} s (a script that never ends, or a page too large for the "
                "browser), and stopping its script did not free it, so the harness closed the page.",
                kind="closed")
        if self.terminated:
            return PageUnresponsive(
                f"The page stopped responding: its script ran for more than {self.seconds:g} s during "
                f"{self.what} without letting go, so the harness stopped the script.", kind="script")
        return None


_SESSIONS: weakref.WeakKeyDictionary[Page, CDPSession] = weakref.WeakKeyDictionary()
"""One DevTools session per page, kept for its life: scan mode walks many pages in one."""


def devtools_session(page: Page) -> CDPSession | None:
    """The page's own DevTools session, made on first use; None where the browser offers none."""
    session = _SESSIONS.get(page)
    if session is None:
        try:
            session = page.context.new_cdp_session(page)
        except PlaywrightError:
            return None
        _SESSIONS[page] = session
    return session


class Watchdog:
    """Time limits for the calls a journey makes on one page, enforced from a thread of its own.

    Example:
        with watchdog.limit(120, "the step 'Pay'"):
            page.evaluate("...")   # returns, or raises PageUnresponsive soon after 120 s
    """

    def __init__(self, page: Page, grace_s: float = GRACE_S, patience_s: float = GRACE_S) -> None:
        self.page = page
        self.grace_s = grace_s
        self.patience_s = patience_s
        """How long a block that passed its limit on a page that still answers may take to end by itself (the
        next verb of a step stops it) before the page is closed under it."""
        self.session = devtools_session(page)
        self._loop: asyncio.AbstractEventLoop = page._loop  # the API's own loop, see the module's docstring
        self._tasks: set[asyncio.Task[Any]] = set()
        self.stopped = ""
        """Why the harness stopped the page at once (stop_now); every limit that ends after it raises."""

    @contextmanager
    def limit(self, seconds: float, what: str) -> Iterator[None]:
        """Run the block; past `seconds`, stop the page from outside and raise PageUnresponsive."""
        trip = _Trip(what=what, seconds=seconds)
        done = threading.Event()
        threading.Thread(target=self._keep_time, args=(max(seconds, 0.0), trip, done), daemon=True,
                         name="a11y-watchdog").start()
        failure: BaseException | None = None
        try:
            yield
        except PageUnresponsive:
            raise  # an inner limit passed first: its message is the one to keep
        except BaseException as exc:  # noqa: BLE001 - raised again below unless the page was stopped
            failure = exc
        finally:
            done.set()
        error = trip.error() or (PageUnresponsive(self.stopped, kind="stopped") if self.stopped else None)
        if error is not None:
            raise error from failure
        if failure is not None:
            raise failure

    def stop_now(self, reason: str) -> None:
        """Stop the page's script at once, from an event handler on the main thread (a dialog storm, say).

        The block under way, and any that ends before `forgive()`, ends with PageUnresponsive(reason).
        """
        if not self.stopped:
            self.stopped = reason
            # Here and now, not handed to the loop: forgive() must come after it (see there).
            self.stop_script()

    def responds(self) -> bool:
        """Whether the page's main thread answers within PROBE_S (from the main thread, outside any call)."""
        if self.session is None:
            return True  # no way to ask: assume it does, as before the watchdog
        try:
            self.session.send("Runtime.evaluate", {"expression": "1", "returnByValue": True},
                              timeout=PROBE_S * 1000)
        except PlaywrightError:
            return self.page.is_closed()  # a closed page is not a stuck one
        return True

    def stop_script(self) -> None:
        """Stop whatever script the page is running (the renderer takes this even while it is stuck)."""
        if self.session is not None:
            with suppress(PlaywrightError):
                self.session.send("Runtime.terminateExecution", timeout=PROBE_S * 1000)

    def forgive(self) -> None:
        """Let limits pass again after a stop_now, once the journey has recorded it.

        Chromium's terminate stops the current script or, when none is running, the next one: a throwaway
        script takes a termination still pending, so it cannot stop the harness's own next call.
        """
        self.stopped = ""
        if self.session is not None:
            with suppress(PlaywrightError):
                self.session.send("Runtime.evaluate", {"expression": "0"}, timeout=PROBE_S * 1000)

    def _keep_time(self, seconds: float, trip: _Trip, done: threading.Event) -> None:
        """On the timer thread: wait out the limit, then stop the page harder until the block ends."""
        if done.wait(seconds):
            return
        trip.answered = self._answers()
        if not trip.answered:
            trip.terminated = True
            self._schedule(self._terminate)
        if done.wait(max(self.grace_s, self.patience_s) if trip.answered else self.grace_s):
            return
        trip.closed = True
        self._schedule(self._close_page)
        if done.wait(self.grace_s):
            return
        self._schedule(self._close_context)

    def _answers(self) -> bool:
        """Whether the renderer's main thread answers at all (from the timer thread)."""
        if self.session is None:
            return False
        try:
            future = asyncio.run_coroutine_threadsafe(self._probe(), self._loop)
            return bool(future.result(timeout=PROBE_S + 1))
        except Exception:  # noqa: BLE001 - no answer, whatever the reason, is no answer
            return False

    def _schedule(self, make: Callable[[], Coroutine[Any, Any, Any]]) -> None:
        """Hand a coroutine to the API's event loop; from any thread, and never raising."""
        def start() -> None:
            task = self._loop.create_task(make())
            self._tasks.add(task)
            task.add_done_callback(self._forget)

        with suppress(RuntimeError):  # the loop is closed: Playwright has stopped, nothing is waiting
            self._loop.call_soon_threadsafe(start)

    def _forget(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled():
            task.exception()  # retrieved: a page that is already gone is not an error here

    async def _probe(self) -> bool:
        assert self.session is not None
        try:
            await asyncio.wait_for(self.session._impl_obj.send(
                "Runtime.evaluate", {"expression": "1", "returnByValue": True}, None), PROBE_S)
        except Exception:  # noqa: BLE001 - a closed, busy or crashed page all fail to answer
            return False
        return True

    async def _terminate(self) -> None:
        if self.session is not None:
            await self.session._impl_obj.send("Runtime.terminateExecution", None, None)

    async def _close_page(self) -> None:
        await self.page._impl_obj.close(False, "the page stopped responding")

    async def _close_context(self) -> None:
        await self.page.context._impl_obj.close("the page stopped responding")


class DocumentCap:
    """Stops loading any document of the page that passes `max_bytes`, and says so once per document.

    Chromium reports each piece of a response as it arrives (`Network.dataReceived`), so a document streamed
    without a length is caught as well as one that declares it. Only documents (pages and frames) are
    counted: a large image or video is the page's business and costs the renderer little.
    """

    def __init__(self, watchdog: Watchdog, on_cap: Callable[[str, int], None],
                 max_bytes: int = DOCUMENT_MAX_BYTES) -> None:
        self.watchdog = watchdog
        self.on_cap = on_cap
        self.max_bytes = max_bytes
        self._documents: dict[str, list[Any]] = {}
        """requestId -> [url, bytes so far] for the documents now arriving."""
        self._handlers: dict[str, Callable[[dict[str, Any]], None]] = {
            "Network.responseReceived": self._on_response, "Network.dataReceived": self._on_data,
            "Network.loadingFinished": self._on_done, "Network.loadingFailed": self._on_done}
        session = watchdog.session
        if session is None:
            return
        _enable_network(session)
        for event, handler in self._handlers.items():
            session.on(event, handler)

    def detach(self) -> None:
        """Stop counting, so a page reused for the next test (scan mode) reports to that test alone."""
        if self.watchdog.session is not None:
            for event, handler in self._handlers.items():
                self.watchdog.session.remove_listener(event, handler)

    def _on_response(self, params: dict[str, Any]) -> None:
        if params.get("type") != "Document":
            return
        url = str(params["response"].get("url", ""))
        headers = {str(k).lower(): v for k, v in (params["response"].get("headers") or {}).items()}
        declared = str(headers.get("content-length", "")).strip()
        if declared.isdigit() and int(declared) > self.max_bytes:
            # Said up front: stopped before the renderer starts on it.
            self.watchdog._schedule(self._stop_loading)
            self.on_cap(url, int(declared))
            return
        self._documents[str(params.get("requestId"))] = [url, 0]

    def _on_data(self, params: dict[str, Any]) -> None:
        document = self._documents.get(str(params.get("requestId")))
        if document is None:
            return
        document[1] += int(params.get("dataLength") or 0)
        if document[1] > self.max_bytes:
            del self._documents[str(params.get("requestId"))]
            self.watchdog._schedule(self._stop_loading)
            self.on_cap(document[0], document[1])

    def _on_done(self, params: dict[str, Any]) -> None:
        self._documents.pop(str(params.get("requestId")), None)

    async def _stop_loading(self) -> None:
        assert self.watchdog.session is not None
        await self.watchdog.session._impl_obj.send("Page.stopLoading", None, None)


_NETWORK_ON: weakref.WeakSet[CDPSession] = weakref.WeakSet()


def _enable_network(session: CDPSession) -> None:
    """Network events on this session, once; no response bodies kept for it (Playwright keeps its own)."""
    if session in _NETWORK_ON:
        return
    with suppress(PlaywrightError):
        session.send("Network.enable", {"maxTotalBufferSize": 0, "maxResourceBufferSize": 0})
        _NETWORK_ON.add(session)
