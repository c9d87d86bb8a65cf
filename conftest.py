"""Load the harness plugin for every pytest run from this checkout."""

pytest_plugins = ("harness.plugin",)
