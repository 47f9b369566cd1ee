from tcstandards.cli.app import run

run()
