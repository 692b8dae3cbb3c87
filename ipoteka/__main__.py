"""Allow `python -m ipoteka`."""

from ipoteka.cli import main

main()
