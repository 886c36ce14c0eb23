from duetto.cli import main

main()
