"""Load the harness plugin for a checkout that is used without installing it (PYTHONPATH=. pytest).

Installed (`pip install -e .` in ./run, or a wheel), the pytest11 entry point has already registered the
plugin under this same name, and pytest then skips this line: the plugin is never registered twice
(tests/plugin/test_wheel.py checks it).
"""

pytest_plugins = ("harness.plugin",)
