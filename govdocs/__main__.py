from govdocs.cli import run

run()
