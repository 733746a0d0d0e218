from .edge import main

main()
