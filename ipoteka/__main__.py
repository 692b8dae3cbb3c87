"""Allow `python -m ipoteka`."""

from ipoteka.cli import main

if __name__ == "__main__":  # not when a worker process loads the parent's main module (bot/drawing.py)
    main()
