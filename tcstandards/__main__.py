from tcstandards.cli import main

main(prog_name="tcstandards")
