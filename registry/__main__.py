from registry.cli import app

app(prog_name="registry")
