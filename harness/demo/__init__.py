"""The bundled demo council, Millbrook District Council, served by two suppliers for the harness to walk."""
