"""Bytes to text: refuse binary files, try UTF-8, then the page's declared charset, then a guess.

Every failure raises `IngestError` with a one-line message; the reader turns it into a `Skipped`.
"""
from __future__ import annotations

import codecs
import re
import unicodedata

from warledger.errors import IngestError

# Control characters other than tab, newline, carriage return and form feed: a text file has almost none.
_CONTROL = set(range(0, 9)) | {11} | set(range(14, 32)) | {127}
_SAMPLE = 8192
_MAX_CONTROL_SHARE = 0.05
_MAX_CHAOS = 0.25          # charset_normalizer's "mess" ratio above which the guess is garbage
_MIN_TEXT_SHARE = 0.6      # share of letters, digits, spaces and punctuation a decoded text must reach
_MIN_PLAUSIBILITY = 0.8     # share of well-formed non-ASCII words a guessed decoding must reach
_MAX_ACCENTED_SHARE = 0.3   # accented share of Latin letters beyond which the words are mojibake
_LETTER_RUN = re.compile(r"(?:[^\W\d_]|[\u0300-\u036f\u064b-\u065f])+")  # letters and their marks
_ODD_CATEGORIES = {"So", "Sm", "Sk", "No", "Co", "Cn", "Cc", "Cf"}  # symbols text seldom has, bar a few
_EAST_ASIAN = {"CJK", "HIRAGANA", "KATAKANA", "HALFWIDTH", "HANGUL"}  # written together without spaces
# Code pages tried besides charset_normalizer's guesses, most common on news sites first (ties go first).
_COMMON_CODE_PAGES = ["cp1252", "cp1251", "koi8_r", "cp1250", "cp1254", "cp1256", "iso8859_15", "cp1253",
                      "cp1255", "cp1257", "koi8_u", "mac_roman"]
_WEB_ENCODING = re.compile(r"^(cp125\d|iso8859_\d+|koi8_[ru]|mac_roman|gb2312|gbk|gb18030|big5|big5hkscs|"
                           r"shift_jis|shift_jis_2004|cp932|euc_jp|euc_kr|cp949|iso2022_jp|tis_620|cp874|"
                           r"utf_\d+)$")
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{2,40})""", re.I)
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def looks_binary(data: bytes) -> bool:
    """True for bytes that are not text: NUL bytes, or many control characters, in the first 8 KiB."""
    sample = data[:_SAMPLE]
    if not sample:
        return False
    if b"\x00" in sample:
        return True
    controls = sum(1 for byte in sample if byte in _CONTROL)
    return controls / len(sample) > _MAX_CONTROL_SHARE


def text_share(text: str) -> float:
    """Share of characters that ordinary text is made of (letters, digits, spaces, punctuation)."""
    if not text:
        return 0.0
    sample = text[:_SAMPLE]
    good = sum(1 for ch in sample if ch.isalnum() or ch.isspace() or (ch.isprintable() and ch != "\ufffd"))
    return good / len(sample)


def decode_bytes(data: bytes, name: str, html: bool = False) -> str:
    """Decode `data` read from the file `name`; raises IngestError when it is binary or undecodable."""
    for bom, encoding in _BOMS:  # UTF-16/32 text is full of NUL bytes: recognise it before the binary test
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise IngestError(f"{name}: invalid {encoding} text ({exc.reason})") from exc
    if looks_binary(data):
        raise IngestError(f"{name}: binary file, not text")
    try:
        return data.decode("utf-8-sig")  # also plain UTF-8; drops a byte-order mark
    except UnicodeDecodeError:
        pass
    if html:
        declared = _declared_charset(data)
        if declared:
            try:
                return _checked(data.decode(declared), name, declared)
            except (LookupError, UnicodeDecodeError, IngestError):
                pass  # a wrong or unknown declaration: guess instead
    return _guess(data, name)


def _declared_charset(data: bytes) -> str | None:
    match = _META_CHARSET.search(data[:4096])
    return match.group(1).decode("ascii").lower() if match else None


def _guess(data: bytes, name: str) -> str:
    """The most plausible decoding among charset_normalizer's guesses and the common web code pages.

    charset_normalizer alone misreads short texts (cp1252 French as cp775, KOI8-R Russian as Shift-JIS).
    Code pages that web pages never use (DOS, HP) are left out; the others are ranked by how word-like
    the text they give is, then by charset_normalizer's language coherence, then by how common they are.
    """
    from charset_normalizer import from_bytes  # pulled in by trafilatura; imported late (slow import)

    candidates: dict[str, tuple[str, float]] = {
        m.encoding: (str(m), m.coherence) for m in list(from_bytes(data))[:12]
        if m.chaos <= _MAX_CHAOS and _WEB_ENCODING.match(m.encoding)}
    for encoding in _COMMON_CODE_PAGES:
        if encoding not in candidates:
            try:
                candidates[encoding] = (data.decode(encoding), 0.0)
            except UnicodeDecodeError:
                continue
    ranked = sorted(((round(_plausibility(text), 2), coherence, -_preference(encoding), encoding, text)
                     for encoding, (text, coherence) in candidates.items()), reverse=True)
    for plausibility, _, _, _, text in ranked:
        if plausibility >= _MIN_PLAUSIBILITY and text_share(text) >= _MIN_TEXT_SHARE:
            return text
    best = ranked[0][3] if ranked else "any character set"
    raise IngestError(f"{name}: undecodable: not UTF-8, and decoding as {best} gives garbage")


def _preference(encoding: str) -> int:
    return _COMMON_CODE_PAGES.index(encoding) if encoding in _COMMON_CODE_PAGES else len(_COMMON_CODE_PAGES)


def _plausibility(text: str) -> float:
    """How much `text` looks like words, 0..1: its non-ASCII characters are letters rather than odd symbols
    (box drawing, superscripts: a wrong code page), its non-ASCII words are one script and cased like a
    word (noël, Noël, NOËL), and accented letters do not outnumber plain ones (Cyrillic read as cp1252)."""
    sample = text[:_SAMPLE]
    foreign = [ch for ch in sample if not ch.isascii()]
    if not foreign:
        return 1.0
    odd = sum(1 for ch in foreign if unicodedata.category(ch) in _ODD_CATEGORIES)
    words = [w for w in _LETTER_RUN.findall(sample) if not w.isascii()]
    word_share = sum(1 for w in words if _is_word(w)) / len(words) if words else 1.0
    latin = [ch for w in words for ch in w if ch.isalpha() and _script(ch) == "LATIN"]
    accented = sum(1 for ch in latin if not ch.isascii())
    penalty = 0.5 if latin and accented / len(latin) > _MAX_ACCENTED_SHARE else 1.0
    return penalty * word_share * (1 - odd / len(foreign))


def _is_word(word: str) -> bool:
    cased = word.islower() or word.isupper() or word.istitle() or word.lower() == word.upper()
    return cased and len({_script(ch) for ch in word if ch.isalpha()}) == 1


def _script(ch: str) -> str:
    if ch.isascii():
        return "LATIN"
    script = unicodedata.name(ch, "UNKNOWN").split(" ")[0]
    return "CJK" if script in _EAST_ASIAN else script


def _checked(text: str, name: str, encoding: str) -> str:
    if text_share(text) < _MIN_TEXT_SHARE:
        raise IngestError(f"{name}: undecodable: decoding as {encoding} gives garbage")
    return text
