"""python -m release"""

from release.entry import main

main()
