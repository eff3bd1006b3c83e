"""``python -m timeline`` runs the command-line tool."""

from timeline.cli import main

if __name__ == "__main__":  # pragma: no cover
    main()
