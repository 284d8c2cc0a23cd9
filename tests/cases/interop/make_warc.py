"""Rebuild `regional-herald.warc.gz` from the saved pages in `site/` (run from this folder).

The archive holds, as a crawler would write them: a request and a response per page, an image, a 404 page
and a redirect; only the two article responses are documents.
"""
from io import BytesIO
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

HERE = Path(__file__).resolve().parent
BASE = "https://regional-herald.example/news/2020/10/"


def response(writer, uri, status, content_type, body, extra=()):
    headers = StatusAndHeaders(status, [("Content-Type", content_type), *extra], protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record(uri, "request", payload=BytesIO(
        f"GET {uri} HTTP/1.1\r\nHost: regional-herald.example\r\n\r\n".encode())))
    writer.write_record(writer.create_warc_record(uri, "response", payload=BytesIO(body),
                                                  http_headers=headers))


def main():
    with (HERE / "regional-herald.warc.gz").open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        for name in ("barda-rocket.html", "tovuz-drone.html"):
            body = (HERE / "site/news/2020/10" / name).read_bytes()
            response(writer, BASE + name, "200 OK", "text/html; charset=utf-8", body)
        response(writer, "https://regional-herald.example/logo.png", "200 OK", "image/png",
                 b"\x89PNG\r\n\x1a\n")
        response(writer, "https://regional-herald.example/missing", "404 Not Found", "text/html",
                 b"<html><body><p>Page not found</p></body></html>")
        response(writer, "https://regional-herald.example/old", "301 Moved Permanently", "text/html", b"",
                 [("Location", BASE + "barda-rocket.html")])


if __name__ == "__main__":
    main()
