"""Serve the demo council from a background thread, for test runs and for trying it by hand."""

from __future__ import annotations

import threading
from types import TracebackType
from typing import Self

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from harness.demo.app import create_app


class _QuietRequestHandler(WSGIRequestHandler):
    """Drops the per-request access log, which would drown a test run's output; errors still print."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        return None


class DemoServer:
    """A running demo council; `url` has no trailing slash, for example "http://127.0.0.1:54321"."""

    def __init__(self, server: BaseWSGIServer) -> None:
        self._server = server
        self._thread = threading.Thread(target=server.serve_forever, name="demo-council", daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        """The address to put in front of "/supplier-a/..."."""
        host = self._server.host
        if ":" in host:  # an IPv6 literal needs brackets in a URL
            host = f"[{host}]"
        return f"http://{host}:{self._server.server_port}"

    def stop(self) -> None:
        """Stop serving and release the port; safe to call twice."""
        if self._thread.is_alive():
            self._server.shutdown()
            self._thread.join()
        self._server.server_close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()


def start_demo_server(host: str = "127.0.0.1", port: int = 0, *, quiet: bool = True) -> DemoServer:
    """Start the demo council on `port` (0 picks a free one) and return once it accepts requests."""
    handler = _QuietRequestHandler if quiet else WSGIRequestHandler
    server = make_server(host, port, create_app(), threaded=True, request_handler=handler)
    return DemoServer(server)
