"""python -m release"""

from release.cli.entry import main

main()
