"""The frozen app's entry point (PyInstaller needs a script); the source install uses champions.cli:main."""

import sys

from champions.cli import main

if __name__ == "__main__":
    sys.exit(main())
