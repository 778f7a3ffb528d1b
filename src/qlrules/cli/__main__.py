"""`python -m qlrules.cli`: the command line."""

from . import main

main()
