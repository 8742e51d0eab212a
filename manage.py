#!/usr/bin/env python
"""Same as the `duixian` console script, for habits that expect manage.py."""

from duixian.cli import main

if __name__ == "__main__":
    main()
