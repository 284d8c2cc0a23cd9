"""The dashboard (`create_app`, `serve`) and the static HTML report (`write_report`).

    from warledger.serve import create_app, serve, write_report
    write_report("warledger.duckdb", "report.html")      # one file, opens offline
    serve("warledger.duckdb", port=8000)                  # http://127.0.0.1:8000/
"""
from warledger.serve.app import create_app, serve
from warledger.serve.queries import EventFilters, Ledger
from warledger.serve.report import write_report

serve_store = serve  # the name `warledger demo --serve` calls

__all__ = ["EventFilters", "Ledger", "create_app", "serve", "serve_store", "write_report"]
