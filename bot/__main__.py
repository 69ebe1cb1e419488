"""``python -m bot``: the ``svbot`` command line, where the console script is not on PATH."""

from bot.cli import main

main()
