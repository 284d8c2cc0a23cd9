"""Hostile inputs, generated: each class writes small files into its own folder and says how many inputs it made.

Every text is written here for the tests (illustrative, invented events). Classes: random bytes, broken
encodings, huge texts (huge for the limits the test sets), long lines and space-less runs, nested and
entity-flooded HTML, malformed JSONL, CSV, feeds and WARC, odd names (non-UTF-8 bytes, markup, control
characters), unreadable files, absurd numbers, impossible dates, symbolic links out of the tree.
"""
from __future__ import annotations

import gzip
import io
import json
import os
import random
from collections.abc import Callable
from pathlib import Path

PLACES = ["Kharkiv", "Odesa", "Donetsk", "Khartoum", "Goma", "Gaza City", "Aleppo", "Mogadishu", "Tartar"]
ACTS = ["a drone struck a market", "shelling hit a school", "an air strike hit a hospital",
        "gunmen attacked a checkpoint", "a missile hit an apartment block"]


def sentence(rng: random.Random, n: int) -> str:
    """An illustrative news sentence, unique by `n`."""
    return (f"Officials said on Monday that {rng.randint(1, 40)} people were killed and {rng.randint(1, 90)} "
            f"wounded when {rng.choice(ACTS)} in {rng.choice(PLACES)} (report {n}).")


def article(rng: random.Random, n: int, sentences: int = 3) -> str:
    return "\n\n".join(sentence(rng, n * 100 + i) for i in range(sentences)) + "\n\nThe text is illustrative."


def random_bytes(folder: Path, rng: random.Random, count: int) -> int:
    for i in range(count):
        suffix = rng.choice([".txt", ".html", ".jsonl", ".csv", ".xml", ".warc", ".json"])
        (folder / f"random-{i}{suffix}").write_bytes(rng.randbytes(rng.randint(1, 3000)))
    return count


def broken_encodings(folder: Path, rng: random.Random, count: int) -> int:
    for i in range(count):
        text = article(rng, 10_000 + i, 2) + " Café, naïve, Кыїв, Ağdam."
        kind = i % 6
        if kind == 0:      # UTF-8 cut in the middle of a character
            data = text.encode("utf-8")
            data = data[:data.index("Кы".encode()) + 1]
        elif kind == 1:    # a legacy code page with bytes flipped at random
            data = bytearray(text.encode("cp1251", "replace"))
            for _ in range(rng.randint(1, 40)):
                data[rng.randrange(len(data))] = rng.randrange(128, 256)
            data = bytes(data)
        elif kind == 2:    # UTF-16 without its byte-order mark
            data = text.encode("utf-16-le")
        elif kind == 3:    # a byte-order mark, then bytes of another encoding
            data = b"\xff\xfe" + text.encode("utf-8")
        elif kind == 4:    # an HTML page declaring a charset it does not use
            data = (f'<html><head><meta charset="koi8-r"></head><body><p>{text}</p></body></html>'
                    .encode("utf-8") + rng.randbytes(20))
        else:              # mixed: valid UTF-8 with stray continuation bytes
            data = text.encode("utf-8").replace(b" ", b" \x80", rng.randint(1, 5))
        (folder / f"encoding-{i}.{'html' if kind == 4 else 'txt'}").write_bytes(data)
    return count


def huge_texts(folder: Path, rng: random.Random, count: int) -> int:
    """Texts over the test's limits (max_document_chars 2,000, max_file_bytes 60,000)."""
    for i in range(count):
        if i % 4 == 3:  # over the file limit: skipped
            (folder / f"huge-{i}.txt").write_text("x " * 31_000, encoding="utf-8")
            continue
        text = "\n\n".join(article(rng, 20_000 + i * 50 + j, 4) for j in range(rng.randint(4, 12)))
        (folder / f"huge-{i}.txt").write_text(text, encoding="utf-8")
    return count


def long_lines(folder: Path, rng: random.Random, count: int) -> int:
    for i in range(count):
        kind = i % 4
        if kind == 0:    # one long line of words, no full stop
            text = " ".join(rng.choice(["drone", "killed", "town", "said", "near", "forces"]) for _ in range(1500))
        elif kind == 1:  # a run of punctuation without a space
            text = f"Report {i}: " + "".join(rng.choice("!?.,;:-_/\\|&%$#@*") for _ in range(rng.randint(200, 600)))
        elif kind == 2:  # a space-less run of letters and digits
            text = sentence(rng, 30_000 + i) + " " + "".join(rng.choice("ab0123") for _ in range(3000))
        else:            # many tiny lines
            text = "\n".join(f"{j}." for j in range(800)) + "\n" + sentence(rng, 30_000 + i)
        (folder / f"line-{i}.txt").write_text(text, encoding="utf-8")
    return count


def hostile_html(folder: Path, rng: random.Random, count: int) -> int:
    for i in range(count):
        kind = i % 5
        body = f"<p>{sentence(rng, 40_000 + i)}</p>"
        if kind == 0:    # deep nesting (some over the 400-level limit)
            depth = rng.choice([50, 300, 450, 2000])
            html = "<html><body>" + "<div>" * depth + body + "</div>" * depth + "</body></html>"
        elif kind == 1:  # an entity flood (one over the limit)
            n = 101_000 if i == 1 else rng.randint(100, 5000)
            html = f"<html><body><article>{body}<p>{'&amp;' * n}</p></article></body></html>"
        elif kind == 2:  # unclosed tags, broken attributes, script everywhere
            html = f"<html><body><div class='a><p>{body}<script>alert(1)</script><b><i><u>" * 3
        elif kind == 3:  # no text at all
            html = "<html><head><title>t</title></head><body><img src=x></body></html>"
        else:            # markup-like text and a payload in the title
            html = (f"<html><head><title>[/bold] [red]x[/red] <script>1</script></title></head><body>"
                    f"<article><p>[bold]{sentence(rng, 40_000 + i)}[/] {{{{7*7}}}} ${{7*7}}</p></article>"
                    "</body></html>")
        (folder / f"page-{i}.html").write_text(html, encoding="utf-8")
    return count


def malformed_jsonl(folder: Path, rng: random.Random, count: int) -> int:
    """Each file mixes good lines and bad ones; returns the number of files."""
    bad_lines = ['{{"text": "unclosed {n}', "[1, 2, {n}]", '{{"html": {n}}}', '{{"text": "", "n": {n}}}', "null",
                 '{{"text": "\\ud800 lone surrogate, 3 people were killed in Odesa ({n})."}}',
                 "[" * 5000 + "]" * 5000, '{{"text": "x{n}", "published": "0001-01-01"}}',
                 '{{"text": "Two killed in Goma ({n}).", "published": "9999-12-31"}}', '{{"id": ["a"], "text": 7}}',
                 '{{"text": "' + "9" * 5000 + ' people were killed ({n})."}}', "\x00\x01\x02", "{{}}" * 50]
    for i in range(count):
        lines = []
        for j in range(rng.randint(2, 4)):
            if rng.random() < 0.25:
                lines.append(json.dumps({"text": sentence(rng, 50_000 + i * 10 + j),
                                         "published": rng.choice(["2023-05-01", "0001-01-01", "9999-12-31",
                                                                  "2023-13-45", "", None, "yesterday"])}))
            else:
                lines.append(rng.choice(bad_lines).format(n=i * 10 + j))
        (folder / f"rows-{i}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8", errors="surrogatepass")
    return count


def malformed_csv(folder: Path, rng: random.Random, count: int) -> int:
    for i in range(count):
        kind = i % 10
        if kind in (0, 5):
            text = "title,body\nx,y\n"                                       # no text column
        elif kind in (1, 6):
            text = f'text,title\n"{sentence(rng, 60_000 + i)}",t\n"unclosed,quote\n'  # a quote never closed
        elif kind in (2, 7):
            text = f"text\n{sentence(rng, 60_000 + i)}\n,,,,,\n\n\x00\n"    # ragged rows, a NUL
        elif kind == 3:
            text = "text,published\n" + "".join(f'"{sentence(rng, 60_000 + i * 10 + j)}",{d}\n'
                                                 for j, d in enumerate(["0001-01-01", "9999-12-31", "2022-02-30"]))
        else:
            text = ""                                                           # empty
        (folder / f"table-{i}.csv").write_text(text, encoding="utf-8")
    return count


def malformed_feeds(folder: Path, rng: random.Random, count: int) -> int:
    for i in range(count):
        kind = i % 6
        item = (f"<item><title>Strike {i}</title><description>{sentence(rng, 70_000 + i)}</description>"
                f"<pubDate>{rng.choice(['Mon, 01 Jan 0001 00:00:00 GMT', 'Fri, 31 Dec 9999 23:59:59 GMT', 'Sat, 17 Oct 2020 10:00:00 GMT', 'never'])}</pubDate></item>")
        if kind == 0:
            xml = f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{item}'   # cut short
        elif kind == 1:
            xml = '<?xml version="1.0"?><rss version="2.0"><channel><title>empty</title></channel></rss>'
        elif kind == 2:
            xml = ('<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
                   "<item><title></title><description></description></item></channel></rss>")
        elif kind == 3:  # an entity expansion (a small "billion laughs")
            xml = ('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">'
                   '<!ENTITY c "&b;&b;&b;&b;&b;&b;">]><rss version="2.0"><channel><title>&c;</title>'
                   f"{item}</channel></rss>")
        elif kind == 4:
            xml = "<feed xmlns='http://www.w3.org/2005/Atom'><entry><content type='html'>&lt;p&gt;" \
                  f"{sentence(rng, 70_000 + i)}</content><updated>0000-00-00</updated></entry></feed>"
        else:
            xml = f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{item}</channel></rss>'
        (folder / f"feed-{i}.{rng.choice(['rss', 'atom', 'xml'])}").write_text(xml, encoding="utf-8")
    return count


def _warc_bytes(rng: random.Random, n: int) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=False)
    for j in range(2):
        body = f"<html><body><article><p>{sentence(rng, 80_000 + n * 10 + j)}</p></article></body></html>"
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.0")
        record = writer.create_warc_record(f"http://example.org/{n}/{j}", "response",
                                           payload=io.BytesIO(body.encode()), http_headers=headers)
        writer.write_record(record)
    return out.getvalue()


def malformed_warc(folder: Path, rng: random.Random, count: int) -> int:
    for i in range(count):
        kind = i % 5
        data = _warc_bytes(rng, i)
        if kind == 0:
            data, name = data[: len(data) // 2], f"archive-{i}.warc"          # cut in the middle
        elif kind == 1:
            data, name = b"", f"archive-{i}.warc"                             # empty
        elif kind == 2:
            data, name = gzip.compress(data)[:-30], f"archive-{i}.warc.gz"     # truncated gzip
        elif kind == 3:
            data, name = gzip.compress(b"not a warc at all"), f"archive-{i}.gz"  # gzip, not a WARC
        else:
            name = f"archive-{i}.warc"                                        # a good one
        (folder / name).write_bytes(data)
    return count


def odd_names(folder: Path, rng: random.Random, count: int) -> int:
    names = [b"bold]-%d.txt", b"caf\xe9-%d.txt", b"\xff\xfe-%d.txt", b"[bold]-%d[red].txt", b"[link=x]-%d.txt", b"-%d.txt",
             b"name with spaces %d.txt", b"new\nline-%d.txt", b"tab\t-%d.txt", b"\xd0\x9a\xd0\xb8-%d.txt",
             b"\xe2\x80\xae-rtl-%d.txt", b"%d" + b"a" * 200 + b".txt", b"semi;colon'quote\"-%d.txt"]
    made = 0
    for i in range(count):
        name = names[i % len(names)] % i
        sub = folder / (f"sub-{i % 7}" if i % 5 else "markup[")  # "markup[/bold]-5.txt": a closing tag
        sub.mkdir(exist_ok=True)
        with open(os.path.join(os.fsencode(sub), name), "wb") as handle:
            handle.write(article(rng, 90_000 + i, 1).encode("utf-8"))
        made += 1
    # two index.html in two folders are two documents
    for letter in "abc":
        (folder / letter).mkdir()
        (folder / letter / "index.html").write_text(
            f"<html><body><article><p>{sentence(rng, 95_000 + ord(letter))}</p></article></body></html>",
            encoding="utf-8")
        made += 1
    return made


def unreadable(folder: Path, rng: random.Random, count: int) -> int:
    made = 0
    for i in range(count):
        kind = i % 4
        path = folder / f"unreadable-{i}.txt"
        if kind == 0:
            path.write_text(article(rng, 100_000 + i, 1), encoding="utf-8")
            path.chmod(0)                                        # unreadable (except for root)
        elif kind == 1:
            os.mkfifo(path)                                      # a pipe, not a file
        elif kind == 2:
            path.symlink_to(folder / f"missing-{i}.txt")         # a dangling link
        else:
            path.write_text("", encoding="utf-8")               # empty
        made += 1
    locked = folder / "locked-folder"
    locked.mkdir()
    (locked / "inside.txt").write_text(article(rng, 100_999, 1), encoding="utf-8")
    locked.chmod(0)
    return made + 1


def absurd_numbers(folder: Path, rng: random.Random, count: int) -> int:
    figures = ["2147483648", "9" * 5000, "-5", "1e308", "10 billion", "340282366920938463463374607431768211456",
               "99,999,999,999", "0", "12345678901234567890", "1" + "0" * 4301]
    for i in range(count):
        figure = figures[i % len(figures)]
        text = (f"The ministry said {figure} people were killed and {figure} wounded when a drone struck "
                f"{rng.choice(PLACES)}; air defence shot down {figure} drones (report {110_000 + i}).")
        (folder / f"numbers-{i}.txt").write_text(text, encoding="utf-8")
    return count


def impossible_dates(folder: Path, rng: random.Random, count: int) -> int:
    dates = ["0001-01-01", "9999-12-31", "2023-02-30", "1899-12-31", "2101-01-01", "31/12/9999", "0/0/0",
             "December 31, 9999", "Monday", "1 January 0001"]
    manifest = []
    for i in range(count):
        date = dates[i % len(dates)]
        text = (f"On {date} two people were killed in {rng.choice(PLACES)}, officials said on {date} "
                f"(report {120_000 + i}). Published {date}.")
        (folder / f"dated-{i}.txt").write_text(text, encoding="utf-8")
        manifest.append(json.dumps({"file": f"dated-{i}.txt", "published": date}))
    (folder / "manifest.jsonl").write_text("\n".join(manifest) + "\n", encoding="utf-8")
    return count


def symlinks_out(folder: Path, rng: random.Random, count: int, outside: Path) -> int:
    outside.mkdir(exist_ok=True)
    (outside / "secret.txt").write_text("A secret outside the tree: 5 people were killed in Odesa.",
                                        encoding="utf-8")
    for i in range(count):
        kind = i % 4
        link = folder / f"link-{i}.txt"
        if kind == 0:
            link.symlink_to("/etc/passwd")
        elif kind == 1:
            link.symlink_to(outside / "secret.txt")
        elif kind == 2:
            (folder / f"dirlink-{i}").symlink_to(outside, target_is_directory=True)
        else:
            link.symlink_to(link)                                # a loop
    return count


CLASSES: dict[str, tuple[Callable, int]] = {
    "random bytes": (random_bytes, 400), "broken encodings": (broken_encodings, 300),
    "huge texts": (huge_texts, 16), "long lines": (long_lines, 60), "html": (hostile_html, 150),
    "jsonl": (malformed_jsonl, 200), "csv": (malformed_csv, 200), "feeds": (malformed_feeds, 100),
    "warc": (malformed_warc, 150), "odd names": (odd_names, 80), "unreadable": (unreadable, 200),
    "absurd numbers": (absurd_numbers, 60), "impossible dates": (impossible_dates, 60),
    "symlinks": (symlinks_out, 200),
}


def generate(root: Path, seed: int = 13) -> dict[str, int]:
    """Write every class into `root/<class>/`; returns the number of inputs of each class."""
    rng = random.Random(seed)
    made = {}
    for name, (make, count) in CLASSES.items():
        folder = root / name.replace(" ", "-")
        folder.mkdir(parents=True)
        if make is symlinks_out:
            made[name] = make(folder, rng, count, root.parent / "outside")
        else:
            made[name] = make(folder, rng, count)
    return made
