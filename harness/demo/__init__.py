"""The bundled demo council, Millbrook District Council, whose suppliers' products the harness walks.

A Flask app (`app.py`, served by `server.py`) with each supplier's products: careful and legacy releases
with barriers planted on purpose, listed in `barriers.toml`, the answer sheet the harness's own tests compare
a run with. The harness never reads that file while scanning.

May import: Flask and other `harness.demo` modules only. The demo is a product under test, so it must know
nothing of the harness that tests it.
"""
