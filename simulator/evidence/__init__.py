"""The evidence register and the command that replays every study on the behaviour model (`main.py evidence`)."""
