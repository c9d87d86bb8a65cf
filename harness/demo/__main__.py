"""Run the demo council by hand: `python -m harness.demo [--port N]`."""

from __future__ import annotations

import argparse
import threading

from harness.demo.server import start_demo_server


def main(argv: list[str] | None = None) -> None:
    """Serve until Ctrl+C, printing the address to open."""
    parser = argparse.ArgumentParser(prog="python -m harness.demo", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1", help="interface to listen on (default: %(default)s)")
    parser.add_argument("--port", type=int, default=0, help="port to listen on (default: any free port)")
    args = parser.parse_args(argv)
    server = start_demo_server(args.host, args.port, quiet=False)
    print(f"Millbrook District Council demo running at {server.url}/ (press Ctrl+C to stop)", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()


if __name__ == "__main__":
    main()
