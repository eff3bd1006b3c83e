"""The bundled sample timeline (data files; this package only makes them importable resources)."""
