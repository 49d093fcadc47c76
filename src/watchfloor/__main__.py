"""`python -m watchfloor` runs the command line."""

from watchfloor.cli import main

main()
