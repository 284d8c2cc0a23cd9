from warledger.cli import app

app(prog_name="warledger")
