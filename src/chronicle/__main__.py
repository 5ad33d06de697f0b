"""``python -m chronicle`` runs the CLI."""

from chronicle.cli import main

main()
