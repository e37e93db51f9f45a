"""The headless command line (`main.py run|check|compare|sweep|plan|…`)."""
