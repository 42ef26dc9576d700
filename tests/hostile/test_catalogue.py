"""The catalogue of bad input: every case ends in exit 2 (bad input, nothing built) or a gate
failure (exit 1, that artifact withheld), with the file and line, never a traceback, never a hang.

Sources, snippets and PO files are written by people, and PO files arrive from translators
outside the organisation: each case here is something a careless or hostile author could send.
Cases already in tests/test_reader.py and tests/i18n/test_translate.py are not repeated.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest

from conftest import SAMPLE, cldr_plural_forms, png_bytes, set_plural_forms, translate_all
from pipeline import config, reader
from pipeline.cli import main
from pipeline.errors import PlainpressError, SourceError
from pipeline.i18n.translate import orphan_catalogs

SECONDS = 30
SOURCE = "source/sample.md"
PO = "locales/es/LC_MESSAGES/sample.po"
QUOTE = "> A quoted line."
"""Line 28 of the sample: the place cases put their body text."""
QUOTE_LINE = 28


def cli(project, capsys, *args: str) -> tuple[int, str, str]:
    """`plainpress -C ROOT build --format html …`: exit code, stdout, stderr; never a traceback
    and never longer than SECONDS."""
    started = time.monotonic()
    code = main(["-C", str(project.root), "build", "--format", "html", "-j", "1", *args])
    elapsed = time.monotonic() - started
    out, err = capsys.readouterr()
    assert "Traceback" not in err and "Traceback" not in out, err
    assert elapsed < SECONDS, f"took {elapsed:.1f} s"
    return code, out, err


def bad_source(project, capsys, line: int | None, *words: str) -> str:
    """The build stops with exit 2 and `source/sample.md:LINE: error: …` naming `words`."""
    code, out, err = cli(project, capsys)
    assert code == 2, out + err
    if line is None:
        assert err.startswith(f"{SOURCE}: error: "), err
    else:
        assert re.match(rf"{re.escape(SOURCE)}:{line}(:\d+)?: error: ", err), err
    for word in words:
        assert word in err, err
    assert not (project.root / "build/en/sample.html").exists()
    return err


def with_body(project, text: str) -> None:
    """The sample with its block quote (line 28) replaced by `text`."""
    project.write(SOURCE, SAMPLE.replace(QUOTE, text))


# ----------------------------------------------------------------------------- files


def test_empty_file(project, capsys):
    project.write(SOURCE, "")
    bad_source(project, capsys, 1, "the file is empty")


def test_whitespace_only_file(project, capsys):
    project.write(SOURCE, " \n\n\t\n")
    bad_source(project, capsys, 1, "the file is empty")


def test_binary_file_named_md(project, capsys):
    data = png_bytes()
    project.write(SOURCE, data)
    bad_source(project, capsys, data[:data.index(b"\0")].count(b"\n") + 1, "binary file")


def test_invalid_utf8_names_byte_offset_and_line(project, capsys):
    data = SAMPLE.replace(QUOTE, "Caf\u00e9 au lait.").encode("latin-1")
    offset = data.index(b"\xe9")
    project.write(SOURCE, data)
    bad_source(project, capsys, QUOTE_LINE, f"invalid UTF-8 at byte {offset}")


def test_invalid_utf8_in_a_snippet(project, capsys):
    project.write("source/_shared/contact.md", b"Call us.\n\xc3\x28 now\n")
    code, out, err = cli(project, capsys)
    assert code == 2
    assert err.startswith("source/_shared/contact.md:2: error: invalid UTF-8 at byte 9"), err


@pytest.mark.parametrize("encode", [
    pytest.param(lambda text: b"\xef\xbb\xbf" + text.encode(), id="bom"),
    pytest.param(lambda text: text.replace("\n", "\r\n").encode(), id="crlf"),
    pytest.param(lambda text: text.replace("\n", "\r").encode(), id="cr"),
])
def test_bom_and_line_endings_give_the_same_model_as_lf(project, capsys, encode):
    cfg = config.load(project.root)
    expected = reader.read_document(cfg, "sample")
    project.write(SOURCE, encode(SAMPLE))
    assert reader.read_document(cfg, "sample") == expected
    code, out, err = cli(project, capsys)
    assert code == 0, out + err


def test_five_megabyte_source_is_refused_before_it_is_read(project, capsys):
    paragraph = "A long paragraph of ordinary words that goes on. " * 20 + "\n\n"
    big = SAMPLE.replace(QUOTE, paragraph * (5 * 1024 * 1024 // len(paragraph) + 1))
    assert len(big.encode()) > 5 * 1024 * 1024
    project.write(SOURCE, big)
    bad_source(project, capsys, None, "MB, over the 1 MB limit for a source", "split it")


def test_source_just_under_the_limit_builds(project, capsys):
    paragraph = "A long paragraph of ordinary words that goes on. " * 20 + "\n\n"
    count = (reader.MAX_SOURCE_BYTES - len(SAMPLE) - 4096) // len(paragraph)
    project.write(SOURCE, SAMPLE.replace(QUOTE, paragraph * count))
    code, out, err = cli(project, capsys)
    assert code == 0, out + err


def test_symlink_to_a_file_outside_source_is_refused(project, capsys, tmp_path):
    outside = tmp_path / "elsewhere.md"
    outside.write_text(SAMPLE, "utf-8")
    (project.root / SOURCE).unlink()
    (project.root / SOURCE).symlink_to(outside)
    bad_source(project, capsys, None, "a link to a file outside source/")


# ----------------------------------------------------------------------------- structure


def nested_list(depth: int) -> str:
    return "\n".join("  " * level + f"- level {level}" for level in range(depth))


def test_deeply_nested_list_is_an_error_not_lost_text(project, capsys):
    # markdown-it alone stops at 20 levels and silently drops the rest of the file (here the
    # handout); the reader names the line where the nesting gets too deep instead.
    with_body(project, nested_list(200))
    bad_source(project, capsys, QUOTE_LINE + 5, "nested too deeply")


def test_deeply_nested_block_quotes(project, capsys):
    with_body(project, ">" * 200 + " deep")
    bad_source(project, capsys, QUOTE_LINE, "nested too deeply")


def test_deep_nesting_inside_the_handout(project, capsys):
    project.write(SOURCE, SAMPLE.replace("Short words. Short lines.", ">" * 200 + " deep"))
    bad_source(project, capsys, 33, "nested too deeply")


def test_deeply_nested_emphasis(project, capsys):
    opening = "".join(f"*w{i} _v{i} " for i in range(100))
    with_body(project, opening + "x" + " v_ w*" * 100)
    bad_source(project, capsys, QUOTE_LINE, "nested too deeply")


def test_reasonable_nesting_builds(project, capsys):
    with_body(project, nested_list(4) + "\n\n> quote\n>\n> > inner quote\n>\n> > - a list")
    code, out, err = cli(project, capsys)
    assert code == 0, out + err


def test_table_with_a_thousand_rows(project, capsys):
    rows = "".join(f"| row {i} | {i} |\n" for i in range(1000))
    with_body(project, "| Name | Value |\n| --- | --- |\n" + rows)
    code, out, err = cli(project, capsys)
    assert code == 0, out + err
    html = (project.root / "build/en/sample.html").read_text("utf-8")
    assert "<td>row 999</td>" in html
    assert html.count("<tr>") == 1000 + 1 + 3  # these rows, their header, the sample's table


# ----------------------------------------------------------------------------- links


@pytest.mark.parametrize("markdown,url", [
    ("[a](javascript:alert(1))", "javascript:alert(1)"),
    ("[a](JaVaScRiPt:alert(1))", "JaVaScRiPt:alert(1)"),
    ("[a](file:///etc/passwd)", "file:///etc/passwd"),
    ("[a](data:text/html;base64,PHNjcmlwdD4=)", "data:text/html;base64,PHNjcmlwdD4="),
    ("[a](vbscript:msgbox(1))", "vbscript:msgbox(1)"),
    ("[a](&#106;avascript:alert(1))", "javascript:alert(1)"),
    ("<javascript:alert(1)>", "javascript:alert(1)"),
    ("[a][ref]\n\n[ref]: javascript:alert(1)", "javascript:alert(1)"),
    ("[a](//evil.example/x)", "//evil.example/x"),
], ids=["javascript", "mixed-case", "file", "data", "vbscript", "entity", "autolink",
        "reference", "protocol-relative"])
def test_dangerous_links_are_refused(project, capsys, markdown, url):
    with_body(project, markdown)
    bad_source(project, capsys, QUOTE_LINE, f"the link `{url}` is not allowed")


@pytest.mark.parametrize("url", [
    "https://%5Bx%5D(javascript:alert(1))example.org/a",  # found by the fuzzer
    "https://clinic.example@evil.example/login",
    "https://example.org:port/",
    "https:///nohost",
])
def test_links_that_are_not_web_addresses_are_refused(project, capsys, url):
    with_body(project, f"[a]({url})")
    bad_source(project, capsys, QUOTE_LINE, f"the link `{url}` is not a web address")


# ----------------------------------------------------------------------------- images


def test_image_that_is_not_an_image(project, capsys):
    project.write("source/images/square.png", "<svg onload='alert(1)'></svg>")
    bad_source(project, capsys, 26, "is not a PNG, JPEG or GIF image")


def test_image_with_a_png_header_and_garbage_after_it(project, capsys):
    project.write("source/images/square.png", png_bytes()[:8] + b"\x00garbage" * 100)
    bad_source(project, capsys, 26, "is not a readable image")


def test_truncated_png(project, capsys):
    data = png_bytes(64)
    project.write("source/images/square.png", data[:len(data) // 2])
    bad_source(project, capsys, 26, "is not a readable image")


def test_image_over_the_size_limit(project, capsys):
    project.write("source/images/square.png",
                  png_bytes()[:8] + b"\x00" * (reader.MAX_IMAGE_BYTES + 1))
    bad_source(project, capsys, 26, "over the 5 MB limit")


def test_image_with_too_many_pixels(project, capsys):
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("1", (6000, 6000)).save(buffer, "PNG")  # 36 megapixels in a few kilobytes
    assert len(buffer.getvalue()) < 100_000
    project.write("source/images/square.png", buffer.getvalue())
    bad_source(project, capsys, 26, "6000×6000 pixels", "megapixel limit")


# ----------------------------------------------------------------------------- YAML


LAUGHS = "lol0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"lol{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]\n" for i in range(1, 10))


def front(extra: str = "", replace: tuple[str, str] | None = None) -> str:
    text = SAMPLE.replace("title: Sample Topic\n", "title: Sample Topic\n" + extra, 1)
    return text.replace(*replace, 1) if replace else text


def test_billion_laughs_is_refused_quickly(project, capsys):
    project.write(SOURCE, front(LAUGHS))
    bad_source(project, capsys, 3, "anchors and aliases are not allowed")


@pytest.mark.parametrize("yaml_text,line", [
    ('title: !!python/object/apply:os.system ["touch {marker}"]\n', 2),
    ('keywords: !!python/object/apply:os.system ["touch {marker}"]\n', 3),
    ('keywords: [a, !!python/object/new:os.system ["touch {marker}"]]\n', 3),
    ("keywords: !custom [a]\n", 3),
], ids=["on-title", "on-keywords", "inside-a-list", "custom"])
def test_custom_yaml_tags_are_refused_and_never_run(project, capsys, tmp_path, yaml_text, line):
    marker = tmp_path / "pwned"
    text = yaml_text.format(marker=marker)
    if text.startswith("title:"):
        project.write(SOURCE, front(replace=("title: Sample Topic\n", text)))
    else:
        project.write(SOURCE, front(text))
    bad_source(project, capsys, line, "is not allowed in front matter")
    assert not marker.exists()


def test_front_matter_that_is_a_list(project, capsys):
    project.write(SOURCE, "---\n- title: Sample Topic\n- summary: x\n---\n\n" +
                  SAMPLE.split("---\n", 2)[2])
    bad_source(project, capsys, 2, "must be a set of `key: value` fields")


def test_front_matter_that_is_a_scalar(project, capsys):
    project.write(SOURCE, "---\njust a sentence\n---\n\n" + SAMPLE.split("---\n", 2)[2])
    bad_source(project, capsys, 2, "must be a set of `key: value` fields")


def test_duplicate_front_matter_keys(project, capsys):
    project.write(SOURCE, front("title: Another title\n"))
    bad_source(project, capsys, 3, "`title` is given twice")


def test_complex_front_matter_key(project, capsys):
    project.write(SOURCE, front("? [a, b]\n: c\n"))
    bad_source(project, capsys, 3, "field name must be a word")


@pytest.mark.parametrize("value,words", [
    ("2025-02-30", "is not a date"),
    ("2025-13-01", "is not a month"),
    ("0000-08", "not a plausible review month"),
])
def test_impossible_review_dates(project, capsys, value, words):
    # 2025-02-30 used to escape as a ValueError from PyYAML's timestamp constructor, and
    # 0000-08 as a ValueError from the renderer's date formatting.
    project.write(SOURCE, SAMPLE.replace("reviewed: 2025-08", f"reviewed: {value}"))
    bad_source(project, capsys, 4, words)


# ----------------------------------------------------------------------------- characters


@pytest.mark.parametrize("text,line,words", [
    ("Take one pill \u202edaily 01 sllip 2\u202c.", f"{QUOTE_LINE}:15", "U+202E"),
    ("Take &#x202E;two&#x202C; pills.", f"{QUOTE_LINE}", "U+202E"),
    ("Bell \u0007 and escape \u001b[31m.", f"{QUOTE_LINE}:6", "control character U+0007"),
    ("One line\u2028and another.", f"{QUOTE_LINE}:9", "line separator U+2028"),
], ids=["raw-rlo", "rlo-as-reference", "control", "line-separator"])
def test_control_and_direction_characters_in_a_source(project, capsys, text, line, words):
    with_body(project, text)
    code, out, err = cli(project, capsys)
    assert code == 2
    assert err.startswith(f"{SOURCE}:{line}: error:"), err
    assert words in err


def test_direction_override_in_front_matter_escape(project, capsys):
    project.write(SOURCE, front(replace=("title: Sample Topic", 'title: "Sample \\u202eTopic"')))
    bad_source(project, capsys, 2, "`title` holds the invisible direction control U+202E")


# ----------------------------------------------------------------------------- PO files


@pytest.fixture
def es(es_project):
    """The Spanish project, every message translated."""
    translate_all(es_project, "es")
    return es_project


def po_entry(project, msgid: str, domain: str = "sample", context: str | None = None
             ) -> tuple[list[str], int, int, int]:
    """(lines, msgid line index, msgstr start, msgstr end) of an entry (by its first line)."""
    path = project.root / f"locales/es/LC_MESSAGES/{domain}.po"
    lines = path.read_text("utf-8").split("\n")
    for index, line in enumerate(lines):
        if line == f'msgid "{msgid}"' and (context is None or
                                           lines[index - 1] == f'msgctxt "{context}"'):
            break
    else:
        raise AssertionError(f"no entry {msgid!r} in {path}")
    start = index
    while not lines[start].startswith("msgstr"):
        start += 1
    end = start + 1
    while end < len(lines) and lines[end].startswith('"'):
        end += 1
    return lines, index, start, end


def set_msgstr(project, msgid: str, msgstr: str, domain: str = "sample",
               context: str | None = None) -> int:
    """Write `msgstr` (already PO-quoted content) for `msgid`; returns the msgstr's line (QA
    errors point there: it is the line the translator fixes)."""
    lines, index, start, end = po_entry(project, msgid, domain, context)
    lines[start:end] = [f'msgstr "{msgstr}"']
    (project.root / f"locales/es/LC_MESSAGES/{domain}.po").write_text("\n".join(lines), "utf-8")
    return start + 1


def withheld(project, capsys, *args: str) -> str:
    """Exit 1: the Spanish page is withheld, the English one published; stdout returned."""
    code, out, err = cli(project, capsys, *args)
    assert code == 1, out + err
    assert not (project.root / "build/es/sample.html").exists()
    assert (project.root / "build/en/sample.html").is_file()
    return out


def test_duplicate_msgid_names_both_lines(es, capsys):
    first = po_entry(es, "bullet one")[1] + 1
    path = es.root / PO
    text = path.read_text("utf-8")
    path.write_text(text + '\nmsgid "bullet one"\nmsgstr "otra viñeta"\n', "utf-8")
    second = path.read_text("utf-8").split("\n").index('msgid "bullet one"', first) + 1
    out = withheld(es, capsys)
    assert (f"{PO}:{second}: error: [translation] sample es *: `sample` catalog: the message “bullet one” is in "
            f"the catalog twice, at lines {first} and {second}") in out, out


def test_duplicate_msgid_with_the_same_msgctxt(es, capsys):
    path = es.root / PO
    text = path.read_text("utf-8")
    path.write_text(text + '\nmsgctxt "handout"\nmsgid "Short words. Short lines."\n'
                    'msgstr "Otra."\n', "utf-8")
    out = withheld(es, capsys)
    assert "with msgctxt “handout” is in the catalog twice" in out, out


def test_same_msgid_in_another_msgctxt_is_not_a_duplicate(es, capsys):
    path = es.root / PO
    path.write_text(path.read_text("utf-8") + '\nmsgctxt "other"\nmsgid "bullet one"\n'
                    'msgstr "viñeta"\n', "utf-8")
    code, out, err = cli(es, capsys)
    assert code == 0, out + err


def test_duplicate_msgid_also_stops_i18n_update(es, capsys):
    path = es.root / PO
    path.write_text(path.read_text("utf-8") + '\nmsgid "bullet one"\nmsgstr "otra"\n', "utf-8")
    assert main(["-C", str(es.root), "i18n", "update"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"{PO}:") and "twice" in err and "Traceback" not in err


@pytest.mark.parametrize("forms,words", [
    ("nplurals=abc; plural=(n !=;", "is not `nplurals=N; plural=EXPRESSION;`"),
    ("nplurals=2; plural=__import__('os').system('touch MARKER');", "invalid token"),
    ("nplurals=2; plural=" + "(" * 500 + "n" + ")" * 500 + ";", "too long"),
    ("nplurals=2; plural=n;", "picks form 2 for n=2, but nplurals=2"),
    ("nplurals=2; plural=n/0;", "fails for n=0"),
    ("nplurals=2; plural=(n == 1);", "matches no rule for `es`"),
    ("nplurals=99999999999999999999; plural=0;", "a language has 1 to 6 plural forms"),
], ids=["garbage", "code", "too-long", "out-of-range", "division-by-zero", "not-cldr",
        "huge"])
def test_wrong_plural_forms(es, capsys, tmp_path, forms, words):
    marker = tmp_path / "pwned"
    line = set_plural_forms(es, forms.replace("MARKER", str(marker)))
    out = withheld(es, capsys)
    assert f"{PO}:{line}: error:" in out, out
    assert words in out, out
    assert f"Plural-Forms: {cldr_plural_forms('es')}" in out  # the hint gives CLDR's
    assert not marker.exists()
    assert "no catalog for this message" not in out  # one error for a broken file, not 30


@pytest.mark.parametrize("forms", [
    cldr_plural_forms("es").replace(" ", ""),      # CLDR's rule, written without spaces
    "nplurals=2; plural=(n != 1);",                 # GNU gettext's msginit
    "nplurals=2; plural=n!=1;",
], ids=["cldr-compact", "msginit", "msginit-compact"])
def test_plural_rules_that_tools_write_are_accepted(es, capsys, forms):
    set_plural_forms(es, forms)
    code, out, err = cli(es, capsys)
    assert code == 0, out + err


def test_a_tool_rule_that_is_not_cldr_is_named_in_the_report(es, capsys):
    """The header a translator's tool wrote is accepted, and the report says which rule it is
    and what the running Babel's CLDR data says, so that nobody hand-edits a sound header."""
    import babel
    set_plural_forms(es, "nplurals=2; plural=(n != 1);")
    assert cli(es, capsys)[0] == 0
    report = json.loads((es.root / "build/report.json").read_text("utf-8"))
    notes = [c["message"] for c in report["checks"] if "Plural-Forms" in c["message"]]
    if cldr_plural_forms("es") == "nplurals=2; plural=(n != 1);":
        assert notes == []
    else:
        assert notes and "GNU gettext msginit" in notes[0] and babel.__version__ in notes[0]


def test_plural_message_with_too_few_forms(es, capsys):
    count = int(cldr_plural_forms("es").split(";")[0].split("=")[1])
    path = es.root / PO
    forms = "".join(f'msgstr[{i}] "forma {i}"\n' for i in range(count - 1))
    path.write_text(path.read_text("utf-8") + f'\nmsgid "one thing"\nmsgid_plural "{{n}} things"\n'
                    + forms, "utf-8")
    out = withheld(es, capsys)
    assert f"a plural message has {count - 1} msgstr[…] forms" in out, out


def test_msgstr_full_of_control_characters(es, capsys):
    controls = "".join(chr(c) for c in range(1, 32) if chr(c) not in "\n\r\t")
    line = set_msgstr(es, "bullet two", f"viñeta {controls}\x7f dos")
    out = withheld(es, capsys)
    assert f"{PO}:{line}: error: [translation] sample es article: QA: contains the control " \
           "character U+0001" in out, out


@pytest.mark.parametrize("msgid,domain", [("Sample Topic", "sample"),
                                          ("Questions? Call your care team.", "shared"),
                                          ("Key points", "ui")])
def test_right_to_left_override_in_any_catalog_is_reported(es, capsys, msgid, domain):
    line = set_msgstr(es, msgid, "ES \u202e" + "".join(reversed(msgid)), domain)
    out = withheld(es, capsys)
    assert (f"locales/es/LC_MESSAGES/{domain}.po:{line}: error: [translation] sample es *: "
            "QA: contains the invisible direction control U+202E") in out, out


def test_huge_po_file_is_refused_before_it_is_read(es, capsys):
    from pipeline.i18n import catalogs
    path = es.root / PO
    with path.open("ab") as handle:
        handle.truncate(catalogs.MAX_CATALOG_BYTES + 1)
    out = withheld(es, capsys)
    assert f"{PO}: error: [translation] sample es *: `sample` catalog: the catalog is 16.0 MB, over the 16 MB " \
           "limit" in out, out


@pytest.mark.parametrize("label,words", [
    ("Actualizado por {team} — {date} {", "the braces do not pair up"),
    ("Actualizado por {team} — {date} {0}", "`{0}` is not a placeholder"),
    ("Actualizado por {team.__class__.__mro__} {team} — {date}",
     "`{team.__class__.__mro__}` is not a placeholder"),
    ("Actualizado por {team:>100000000}{team} — {date}", "`{team:>100000000}` is not a "
                                                         "placeholder"),
], ids=["lone-brace", "positional", "attribute", "padding"])
def test_label_format_fields_are_checked(es, capsys, label, words):
    # Labels are filled in with str.format: a lone brace or {0} used to crash the renderer with
    # a traceback, {team.__class__…} read attributes, and {team:>100000000} published a
    # 100 MB page after 17 seconds.
    line = set_msgstr(es, "Updated by {team} — {date}", label, "ui")
    out = withheld(es, capsys)
    assert f"locales/es/LC_MESSAGES/ui.po:{line}: error: [translation] sample es *: QA: " \
           f"{words}" in out, out


def test_invalid_utf8_in_a_po_file_names_byte_and_line(es, capsys):
    path = es.root / PO
    data = path.read_bytes()
    offset = data.index(b"ES bullet one")
    path.write_bytes(data[:offset] + b"\xff" + data[offset + 1:])
    line = data[:offset].count(b"\n") + 1
    out = withheld(es, capsys)
    assert f"{PO}:{line}: error: [translation] sample es *: `sample` catalog: invalid UTF-8 at byte {offset}" \
        in out, out


EVIL = "https://evil.example/x.png"


@pytest.mark.parametrize("msgid,domain,context", [
    ("Sample Topic", "sample", None),
    ("A blue square used as a test picture", "sample", None),
    ("alpha", "sample", None),
    ("Short words. Short lines.", "sample", "handout"),
    ("Questions? Call your care team.", "shared", None),
    ("Key points", "ui", None),
], ids=["title", "alt-text", "table-cell", "handout", "snippet", "ui-label"])
def test_translation_injecting_an_image_is_refused(es, capsys, msgid, domain, context):
    line = set_msgstr(es, msgid, f"ES <img src=\\\"{EVIL}\\\" onerror=\\\"alert(1)\\\">",
                      domain, context)
    if context == "handout":  # only the handouts show it: the page is published
        code, out, _ = cli(es, capsys, "--format", "handout")
        assert code == 1 and "raw HTML" in out
        assert not (es.root / "build/es/sample-handout.pdf").exists()
        assert (es.root / "build/es/sample.html").is_file()
    elif domain == "ui":
        out = withheld(es, capsys)
        assert "HTML markup" in out
    else:
        out = withheld(es, capsys)
        assert "raw HTML" in out
    assert f"locales/es/LC_MESSAGES/{domain}.po:{line}: error:" in out, out
    for page in (es.root / "build").glob("*/*.html"):  # the published pages
        html = page.read_text("utf-8")
        assert "evil.example" not in html and "onerror" not in html, page
    for page in (es.root / "build").rglob("*.html"):  # the build report quotes it, escaped
        assert "<img src=\"https://evil" not in page.read_text("utf-8"), page


def test_injected_image_never_reaches_a_draft_either(es, capsys):
    set_msgstr(es, "A quoted line.", f"ES <img src=\\\"{EVIL}\\\">")
    code, out, err = cli(es, capsys, "--allow-incomplete")
    assert code == 0, out + err
    html = (es.root / "build/es/sample.html").read_text("utf-8")
    assert "DRAFT" in html
    assert "evil.example" not in html and "<p>A quoted line.</p>" in html


def test_po_file_for_a_document_that_does_not_exist(es):
    (es.root / "locales/es/LC_MESSAGES/gone.po").write_bytes((es.root / PO).read_bytes())
    warnings = orphan_catalogs(config.load(es.root))
    assert [(w.severity, w.location, w.blocks) for w in warnings] == [
        ("warning", "locales/es/LC_MESSAGES/gone.po", False)]
    assert "`gone` that is not in source/" in warnings[0].message


def test_po_file_for_a_document_that_does_not_exist_is_reported_by_build(es, capsys):
    (es.root / "locales/es/LC_MESSAGES/gone.po").write_bytes((es.root / PO).read_bytes())
    code, out, err = cli(es, capsys)
    assert code == 0
    assert "locales/es/LC_MESSAGES/gone.po: warning:" in out, out


# ----------------------------------------------------------------------------- config


BASE = """\
[tool.plainpress]
organisation = "Test Clinic"
source_locale = "en"
locales = ["en"]
"""


@pytest.mark.parametrize("toml,line,words", [
    (BASE + "page_size = 3\n", 5, "`page_size` must be text in quotes, not a whole number"),
    (BASE.replace('locales = ["en"]', 'locales = "es"'), 4,
     "`locales` must be a list in brackets [ ], not text in quotes"),
    (BASE + 'colour = "blue"\n', 5, "unknown setting `colour`"),
    (BASE + 'pagesize = "a4"\n', 5, "did you mean `page_size`?"),
    (BASE.replace('locales = ["en"]', 'locales = ["en", "xx_YY"]'), 4,
     "unknown locale `xx_YY`: unknown locale 'xx_YY'"),
    (BASE.replace('locales = ["en"]', 'locales = ["en", "../../etc"]'), 4,
     "`../../etc` is not a locale code"),
    (BASE.replace('locales = ["en"]', 'locales = ["en", ""]'), 4, "`` is not a locale code"),
    (BASE.replace('source_locale = "en"', 'source_locale = "qq"'), 3, "unknown locale `qq`"),
    (BASE + "[tool.plainpress.reading_level]\nhandout_max_grade = nan\n", 6,
     "must be a finite number"),
    (BASE + "[tool.plainpress.reading_level]\nhandout_max_grade = \"six\"\n", 6,
     "must be a number"),
    (BASE + "email_size_limit_kb = -5\n", 5, "must be at least 1"),
    (BASE + 'theme = "/etc/passwd"\n', 5, "is not a file under styles/"),
    (BASE + 'reference_docx = "../../secret.docx"\n', 5, "is not a file under styles/"),
    (BASE + "jargon = [1, 2]\n", 5, "`jargon` must be a list of words"),
    (BASE + "page_size = \n", 5, "not valid TOML"),
], ids=["page-size-int", "locales-string", "unknown-key", "typo", "unknown-locale",
        "path-as-locale", "empty-locale", "unknown-source-locale", "nan", "number-as-text",
        "negative-limit", "theme-outside", "reference-docx-outside", "jargon-numbers",
        "broken-toml"])
def test_bad_config(project, capsys, toml, line, words):
    project.write("pyproject.toml", toml)
    code, out, err = cli(project, capsys)
    assert code == 2, out + err
    assert err.startswith(f"pyproject.toml:{line}: error:"), err
    assert words in err, err
    assert "(hint: " in err
    assert not (project.root / "build/en").exists()


def test_config_invalid_utf8(project, capsys):
    project.write("pyproject.toml", BASE.encode() + b"# caf\xe9\n")
    code, out, err = cli(project, capsys)
    assert code == 2
    assert err.startswith(f"pyproject.toml:5: error: pyproject.toml is not UTF-8: invalid byte "
                          f"at byte {len(BASE) + 5}"), err


# ----------------------------------------------------------------------------- reader API


def test_every_reader_error_is_a_plainpress_error_with_a_line(project):
    """The same inputs through the reader API: a SourceError with file and line."""
    cfg = config.load(project.root)
    for body in (nested_list(50), ">" * 50, "[x](javascript:x)", "\u202e", "<b>x</b>",
                 "```\ncode\n```", "---", "::: nope\nx\n:::", "![](images/square.png)"):
        with_body(project, body)
        with pytest.raises(SourceError) as caught:
            reader.read_document(cfg, "sample")
        assert isinstance(caught.value, PlainpressError)
        assert caught.value.loc.path == SOURCE and caught.value.loc.line, body
        assert QUOTE_LINE <= caught.value.loc.line <= QUOTE_LINE + 50, (body, caught.value)


def test_no_file_is_left_in_build_after_bad_input(project, capsys):
    project.write(SOURCE, "")
    cli(project, capsys)
    leftovers = [p for p in (project.root / "build").rglob("*") if p.is_file()] \
        if (project.root / "build").exists() else []
    assert not [p for p in leftovers if p.suffix in (".html", ".pdf", ".docx", ".tmp")]


def test_paths_in_errors_are_relative(project, capsys):
    project.write(SOURCE, "")
    code, out, err = cli(project, capsys)
    assert str(Path(project.root)) not in err
