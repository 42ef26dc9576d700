"""The catalogue of bad input: every case ends in exit 2 (bad input, nothing built) or a gate
failure (exit 1, that artifact withheld), with the file and line, never a traceback, never a hang.

Sources, snippets and PO files are written by people, and PO files arrive from translators
outside the organisation: each case here is something a careless or hostile author could send.
Cases already in tests/test_reader.py and tests/i18n/test_translate.py are not repeated.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import re
import subprocess
import time
from pathlib import Path

import pytest

from conftest import SAMPLE, cldr_plural_forms, png_bytes, set_plural_forms, translate_all
from pipeline.settings import config
from pipeline.read import reader
from pipeline.cli import main
from pipeline.errors import PlainpressError, SourceError
from pipeline.translate.apply import orphan_catalogs

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


def test_symlink_loop_as_a_source(project, capsys):
    (project.root / "source/a.md").symlink_to("b.md")
    (project.root / "source/b.md").symlink_to("a.md")
    code, out, err = cli(project, capsys)
    assert code == 2, out + err
    assert err.startswith("source/a.md: error: the file is a symbolic link that leads back to "
                          "itself (a link loop)"), err


def test_symlink_loop_as_a_shared_block(project, capsys):
    (project.root / "source/_shared/contact.md").unlink()
    (project.root / "source/_shared/contact.md").symlink_to("contact.md")
    code, out, err = cli(project, capsys)
    assert code == 2, out + err
    assert err.startswith("source/_shared/contact.md: error: the file is a symbolic link"), err


def test_symlink_loop_as_an_image(project, capsys):
    (project.root / "source/images/loop.png").symlink_to("loop.png")
    project.write(SOURCE, SAMPLE.replace("images/square.png", "images/loop.png"))
    bad_source(project, capsys, 26, "the image `images/loop.png` is a symbolic link that leads "
                                    "back to itself")


def test_nul_byte_inside_an_image_reference(project, capsys):
    # the job fingerprint, computed before the reader runs, used to crash on it
    project.write(SOURCE, SAMPLE.replace("images/square.png", "images/squ\0are.png"))
    bad_source(project, capsys, 26, "binary file")


@pytest.mark.parametrize("out_dir,words", [
    ("pyproject.toml", "--out pyproject.toml is a file, not a folder"),
    ("source/sample.md", "--out source/sample.md is not allowed"),
    (".git", "--out .git is not allowed"),
    (".venv", "--out .venv is not allowed"),
    ("outputs/.cache", "--out outputs/.cache is not allowed"),
], ids=["pyproject", "a-source", "git", "venv", "hidden-inside"])
def test_out_that_is_a_file_or_a_hidden_folder(project, capsys, out_dir, words):
    (project.root / ".git").mkdir()
    (project.root / ".git/HEAD").write_text("ref: refs/heads/main\n")
    before = (project.root / "pyproject.toml").read_bytes()
    code, out, err = cli(project, capsys, "--out", out_dir)
    assert code == 2, out + err
    assert err.startswith(f"plainpress: error: {words}"), err
    assert (project.root / "pyproject.toml").read_bytes() == before
    assert sorted(p.name for p in (project.root / ".git").iterdir()) == ["HEAD"]


def test_out_inside_the_running_python_environment(project, capsys, monkeypatch):
    venv = project.root / "env"
    venv.mkdir()
    monkeypatch.setattr("sys.prefix", str(venv))
    code, out, err = cli(project, capsys, "--out", "env/build")
    assert code == 2, out + err
    assert "--out env/build is not allowed" in err


@contextlib.contextmanager
def read_only(folder: Path):
    """`folder` read-only for real: a read-only bind mount as root (root ignores file modes),
    the file modes otherwise."""
    if os.geteuid() == 0:
        if subprocess.run(["mount", "--bind", str(folder), str(folder)]).returncode != 0 or \
                subprocess.run(["mount", "-o", "remount,ro,bind", str(folder)]).returncode:
            subprocess.run(["umount", str(folder)], stderr=subprocess.DEVNULL)
            pytest.skip("cannot make a read-only mount here")
        try:
            yield
        finally:
            subprocess.run(["umount", str(folder)], check=True)
        return
    modes = {p: p.stat().st_mode for p in [folder, *folder.rglob("*")] if p.is_dir()}
    for path in modes:
        path.chmod(0o555)
    try:
        yield
    finally:
        for path, mode in modes.items():
            path.chmod(mode)


def test_read_only_build_folder(project, capsys):
    assert cli(project, capsys)[0] == 0
    before = (project.root / "build/en/sample.html").read_bytes()
    with_body(project, "A changed line.")
    with read_only(project.root / "build"):
        code, out, err = cli(project, capsys)
    assert code == 1, out + err
    assert re.match(r"build/(\.lock|en/sample\.html): error: cannot write this file: "
                    r"(Read-only file system|Permission denied) \(hint: make the output "
                    r"folder writable", err), err
    assert (project.root / "build/en/sample.html").read_bytes() == before


def test_read_only_empty_build_folder(project, capsys):
    (project.root / "build").mkdir()
    with read_only(project.root / "build"):
        code, out, err = cli(project, capsys)
    assert code == 1, out + err
    assert re.match(r"build/\S+: error: cannot write this file: ", err), err


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


@pytest.mark.parametrize("name,markdown", [
    ("ü.png", "images/ü.png"),
    ("a b.png", "<images/a b.png>"),
    ("50%.png", "images/50%.png"),
    ("a b.png", "images/a%20b.png"),
    ("Ωμέγα 100% ok.PNG", "<images/Ωμέγα 100% ok.PNG>"),
], ids=["non-ascii", "space", "percent", "escaped-space", "everything"])
@pytest.mark.slow
def test_image_names_with_letters_spaces_and_percent(project, capsys, name, markdown):
    import io
    import zipfile

    import pikepdf

    picture = png_bytes(colour=(200, 30, 30))
    project.write(f"source/images/{name}", picture)
    project.write(SOURCE, SAMPLE.replace("images/square.png", markdown))
    code = main(["-C", str(project.root), "build", "-q", "-j", "1", "--format", "html",
                 "--format", "pdf", "--format", "docx"])
    out, err = capsys.readouterr()
    assert code == 0, out + err
    build = project.root / "build/en"
    html = (build / "sample.html").read_text("utf-8")
    found = re.search(r'<img src="data:image/png;base64,([^"]+)"', html)
    assert found and base64.b64decode(found.group(1)) == picture
    with pikepdf.open(build / "sample.pdf") as pdf:
        images = [image for page in pdf.pages for image in page.get_images().values()]
        assert len(images) == 1 and images[0].Width == 16
    with zipfile.ZipFile(io.BytesIO((build / "sample.docx").read_bytes())) as docx:
        media = [n for n in docx.namelist() if n.startswith("word/media/")]
        assert [docx.read(n) for n in media] == [picture]
    # the image is part of the job's fingerprint under its real name
    project.write(f"source/images/{name}", png_bytes(colour=(30, 200, 30)))
    assert main(["-C", str(project.root), "build", "-q", "-j", "1", "--format", "html"]) == 0
    html = (build / "sample.html").read_text("utf-8")
    found = re.search(r'<img src="data:image/png;base64,([^"]+)"', html)
    assert base64.b64decode(found.group(1)) == png_bytes(colour=(30, 200, 30))


def test_a_missing_image_is_named_as_written(project, capsys):
    project.write(SOURCE, SAMPLE.replace("images/square.png", "images/ü.png"))
    bad_source(project, capsys, 26, "the image `images/ü.png` does not exist",
               "looked for source/images/ü.png")


@pytest.mark.parametrize("name", ["real.svg", "real.html", "real.gif", "real.jpg", "real"])
def test_image_bytes_must_match_the_name(project, capsys, name):
    project.write(f"source/images/{name}", png_bytes())
    project.write(SOURCE, SAMPLE.replace("images/square.png", f"images/{name}"))
    suffix = name.partition(".")[2]
    bad_source(project, capsys, 26, f"`images/{name}` holds a PNG image but its name ends in "
                                    f"`{'.' + suffix if suffix else '(nothing)'}`",
               "rename the file to end in .png")
    assert not (project.root / "build/en/sample.html").exists()


def test_jpeg_and_gif_with_their_own_names_are_embedded_as_themselves(project, capsys):
    import io

    from PIL import Image

    for kind, name, mime in (("JPEG", "photo.jpeg", "image/jpeg"), ("GIF", "anim.gif",
                                                                       "image/gif")):
        buffer = io.BytesIO()
        Image.new("RGB", (16, 16), (10, 10, 200)).save(buffer, kind)
        project.write(f"source/images/{name}", buffer.getvalue())
        project.write(SOURCE, SAMPLE.replace("images/square.png", f"images/{name}"))
        code, out, err = cli(project, capsys)
        assert code == 0, out + err
        assert f'src="data:{mime};base64,' in (project.root / "build/en/sample.html").read_text()


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


def test_keywords_nested_a_thousand_deep(project, capsys):
    project.write(SOURCE, front("keywords: " + "[" * 1000 + "a" + "]" * 1000 + "\n"))
    bad_source(project, capsys, 3, "nested too deeply in the front matter")


def test_a_flow_map_nested_deeply(project, capsys):
    project.write(SOURCE, front("keywords: [" + "{a: " * 500 + "b" + "}" * 500 + "]\n"))
    bad_source(project, capsys, 3, "nested too deeply in the front matter")


@pytest.mark.parametrize("value", ["yes", "No", "on", "OFF", "true"])
def test_a_yaml_boolean_where_text_belongs(project, capsys, value):
    project.write(SOURCE, front(replace=("title: Sample Topic", f"title: {value}")))
    bad_source(project, capsys, 2, f"`title: {value}` must be text, but YAML reads `{value}` "
                                   "as the value true or false", f'`title: "{value}"`')


def test_a_quoted_yes_is_text(project, capsys):
    project.write(SOURCE, front(replace=("title: Sample Topic", 'title: "yes"')))
    code, out, err = cli(project, capsys)
    assert code == 0, out + err


@pytest.mark.parametrize("url,host", [
    ("https://good.org@evil.example/", "evil.example"),
    ("https://good.org:443@evil.example/page", "evil.example"),
    ("http://user:pw@example.org/", "example.org"),
    ("https://good.org%40evil.example@evil.example/", "evil.example"),
], ids=["userinfo", "userinfo-with-port", "password", "encoded-at"])
def test_front_matter_url_that_hides_its_host(project, capsys, url, host):
    project.write(SOURCE, SAMPLE.replace("url: https://example.org/sample", f"url: {url}"))
    bad_source(project, capsys, 6, f"`url: {url}` leads to {host}", "nothing before `@`")


def test_body_link_that_hides_its_host(project, capsys):
    with_body(project, "[the clinic](https://clinic.example@evil.example/login)")
    bad_source(project, capsys, QUOTE_LINE, "leads to evil.example, not to `clinic.example`")


def test_an_at_sign_in_the_path_or_a_mail_address_is_fine(project, capsys):
    project.write(SOURCE, SAMPLE.replace("url: https://example.org/sample",
                                         "url: https://example.org/@team/sample").replace(
        QUOTE, "Write to [us](mailto:care@example.org)."))
    code, out, err = cli(project, capsys)
    assert code == 0, out + err


def months_after(months: int) -> str:
    from pipeline.read.frontmatter import latest_review_month
    year, month = latest_review_month()
    year, month = divmod(year * 12 + month - 1 + months, 12)
    return f"{year}-{month + 1:02d}"


@pytest.mark.parametrize("after", [1, 12, 900], ids=["next-month", "next-year", "2099ish"])
def test_review_month_in_the_future(project, capsys, after):
    value = months_after(after)
    project.write(SOURCE, SAMPLE.replace("reviewed: 2025-08", f"reviewed: {value}"))
    bad_source(project, capsys, 4, f"`reviewed: {value}` is in the future")


def test_review_month_2099(project, capsys):
    project.write(SOURCE, SAMPLE.replace("reviewed: 2025-08", "reviewed: 2099-01"))
    bad_source(project, capsys, 4, "`reviewed: 2099-01` is in the future")


def test_review_this_month_is_fine(project, capsys):
    import datetime as dt
    today = dt.datetime.now(dt.timezone.utc)
    project.write(SOURCE, SAMPLE.replace("reviewed: 2025-08",
                                         f"reviewed: {today.year}-{today.month:02d}"))
    code, out, err = cli(project, capsys)
    assert code == 0, out + err


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
    from pipeline.translate import catalogs
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
    assert [(w.severity, str(w.location), w.blocks) for w in warnings] == [
        ("warning", "locales/es/LC_MESSAGES/gone.po", False)]
    assert "`gone` that is not in source/" in warnings[0].message


def test_po_file_for_a_document_that_does_not_exist_is_reported_by_build(es, capsys):
    (es.root / "locales/es/LC_MESSAGES/gone.po").write_bytes((es.root / PO).read_bytes())
    code, out, err = cli(es, capsys)
    assert code == 0
    assert "locales/es/LC_MESSAGES/gone.po: warning:" in out, out


# ----------------------------------------------------------------------------- ui labels

UI = "locales/es/LC_MESSAGES/ui.po"
DRAFT = "DRAFT — translation incomplete"
PHISH = 'Escanee <a href="https://evil.example/phish" x=<>aquí'
SCRIPT_LINK = 'Puntos clave <a href="javascript:app.alert(1)" x=<>'
ONERROR = "BORRADOR <img src=x onerror=alert(document.domain)//<>"


def po_quoted(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


@pytest.mark.parametrize("msgid,msgstr", [
    ("Scan for the full article", PHISH),
    ("Key points", SCRIPT_LINK),
    (DRAFT, ONERROR),
    ("Key points", "Puntos clave <b"),
    ("Key points", "Puntos clave <!-- x -->"),
    ("Page {page} of {pages}", "Página {page} de {pages}</style>"),
], ids=["phishing-link", "javascript-link", "onerror-image", "unclosed-tag", "comment",
        "end-tag"])
def test_markup_in_a_label_withholds_the_locale(es, capsys, msgid, msgstr):
    # These were published (exit 0): the handout PDF carried a /URI to evil.example or seven
    # `javascript:` links, and the HTML page ran the onerror script. The QA's tag pattern
    # missed `… x=<>`; an HTML parser does not.
    line = set_msgstr(es, msgid, po_quoted(msgstr), "ui")
    out = withheld(es, capsys, "--format", "handout")
    assert f"{UI}:{line}: error: [translation] sample es *: QA: HTML markup `<" in out, out
    assert "labels are plain text" in out


def test_markup_in_the_draft_label_never_reaches_a_draft(es, capsys):
    set_msgstr(es, "A quoted line.", "")  # incomplete: published as a draft
    set_msgstr(es, DRAFT, po_quoted(ONERROR), "ui")
    code, out, err = cli(es, capsys, "--allow-incomplete")
    assert code == 0, out + err
    page = (es.root / "build/es/sample.html").read_text("utf-8")
    assert "onerror" not in page and DRAFT in page  # the source label fills the gap


STAMP = "Updated by {team} — {date}"


def shown_stamp(label: str) -> str:
    """A stamp label as the Spanish sample page shows it."""
    return label.replace("{team}", "ES Test Review Team").replace(
        "{date}", "agosto de 2025").replace("{{", "{").replace("}}", "}")


@pytest.mark.parametrize("msgstr", [
    "Actualizado por {team} — {date} &lt;a href=x&gt;",
    "Actualizado por {team} < {date} > 3",
    "(a < b) Actualizado por {team} — {date} <3",
])
def test_angle_brackets_that_are_not_markup_are_fine_in_a_label(es, capsys, msgstr):
    set_msgstr(es, STAMP, po_quoted(msgstr), "ui")
    code, out, err = cli(es, capsys, "--format", "html")
    assert code == 0, out + err
    page = (es.root / "build/es/sample.html").read_text("utf-8")
    assert html_text(page).count(shown_stamp(msgstr)) == 1, page  # shown as written, as text


@pytest.mark.parametrize("msgid,text", [
    ("Sample Topic", "Tema <a href=\"https://evil.example/\" x=<>"),
    ("bullet one", "viñeta &lt;img src=x onerror=alert(1)&gt;"),
    ("Questions? Call your care team.", "¿Preguntas? <svg onload=alert(1) x=<>"),
])
def test_markup_the_markdown_parser_reads_as_text_is_refused_too(es, capsys, msgid, text):
    domain = "shared" if msgid.startswith("Questions") else "sample"
    line = set_msgstr(es, msgid, po_quoted(text), domain)
    out = withheld(es, capsys)
    assert f"locales/es/LC_MESSAGES/{domain}.po:{line}: error:" in out, out
    assert "QA: HTML markup `<" in out, out


def test_autolinks_and_code_spans_are_not_markup(es, capsys):
    # `<https://…>` is an autolink and `<b>` in a code span is code: neither is HTML.
    project = es
    text = SAMPLE.replace(QUOTE, "See <https://example.org/x> and `<b>` here.")
    project.write(SOURCE, text)
    main(["-C", str(project.root), "i18n", "update"])
    capsys.readouterr()
    set_msgstr(project, "See <https://example.org/x> and `<b>` here.",
               "Vea <https://example.org/x> y `<b>` aquí.")
    code, out, err = cli(project, capsys)
    assert code == 0, out + err


def html_text(page: str) -> str:
    from html.parser import HTMLParser

    class Text(HTMLParser):
        def __init__(self):
            super().__init__(convert_charrefs=True)
            self.parts, self.skip = [], 0

        def handle_starttag(self, tag, attrs):
            self.skip += tag in ("style", "title")

        def handle_endtag(self, tag):
            self.skip -= tag in ("style", "title")

        def handle_data(self, data):
            if not self.skip:
                self.parts.append(data)

    parser = Text()
    parser.feed(page)
    return "".join(parser.parts)


@pytest.mark.parametrize("msgid,label", [
    ("Scan for the full article", "Escanee para ver el artículo (100 %)"),
    ("Scan for the full article", "Escanee 100% %s %d %(x)s %%"),
    (STAMP, "Actualizado 100% por {team} — {date} %s %(team)s %%"),
])
@pytest.mark.slow
def test_percent_in_a_label_is_a_percent(es, capsys, msgid, label):
    # `Puntos clave (100 %)` was a traceback (`unsupported format character`), exit 1.
    import io

    import pypdf
    set_msgstr(es, msgid, label, "ui")
    code, out, err = cli(es, capsys, "--format", "handout")
    assert code == 0, out + err
    page = (es.root / "build/es/sample.html").read_text("utf-8")
    handout = pypdf.PdfReader(io.BytesIO((es.root / "build/es/sample-handout.pdf").read_bytes()))
    text = " ".join(" ".join(p.extract_text().split()) for p in handout.pages)
    assert shown_stamp(label) in (html_text(page) if msgid == STAMP else text), text


def test_percent_format_cannot_blow_a_label_up(es, capsys):
    # `BORRADOR %50000000s` wrote a 100 MB page with 526 MB of memory, exit 0.
    set_msgstr(es, "A quoted line.", "")
    set_msgstr(es, DRAFT, "BORRADOR %50000000s", "ui")
    code, out, err = cli(es, capsys, "--allow-incomplete")
    assert code == 0, out + err
    page = (es.root / "build/es/sample.html").read_text("utf-8")
    assert len(page) < 200_000
    assert "BORRADOR %50000000s" in html_text(page)


def test_literal_braces_in_a_label(es, capsys):
    # The QA's hint says a literal brace is written {{ or }}; the QA itself used to refuse it.
    set_msgstr(es, "Updated by {team} — {date}", "Actualizado por {team} — {date} {{v2}}", "ui")
    code, out, err = cli(es, capsys)
    assert code == 0, out + err
    page = (es.root / "build/es/sample.html").read_text("utf-8")
    assert "Actualizado por ES Test Review Team — agosto de 2025 {v2}" in html_text(page)


@pytest.mark.slow
def test_a_megabyte_msgstr_is_an_error_not_a_two_minute_pdf(es, capsys):
    line = set_msgstr(es, "bullet two", "viñeta " * 150_000)
    started = time.monotonic()
    out = withheld(es, capsys, "--format", "pdf")
    assert time.monotonic() - started < 10
    assert (f"{PO}:{line}: error: [translation] sample es article: QA: the translation is "
            "1050000 characters long") in out, out
    assert "bullet two" in out


@pytest.mark.parametrize("msgid,length,blocked", [
    ("alpha", 200, False),          # a short msgid may need a few words
    ("alpha", 201, True),
    ("bullet two", 300, True),
    ("Key points", 201, True),
])
def test_over_long_translations(es, capsys, msgid, length, blocked):
    domain = "ui" if msgid == "Key points" else "sample"
    line = set_msgstr(es, msgid, "x" * length, domain)
    code, out, err = cli(es, capsys)
    if blocked:
        assert code == 1, out + err
        assert f"locales/es/LC_MESSAGES/{domain}.po:{line}: error:" in out
        assert f"the translation is {length} characters long" in out, out
    else:
        assert code == 0, out + err


# ----------------------------------------------------------------------------- invisible text


@pytest.mark.parametrize("char,name", [
    ("\u200b", "ZERO WIDTH SPACE"), ("\u200c", "ZERO WIDTH NON-JOINER"),
    ("\u200d", "ZERO WIDTH JOINER"), ("\u2060", "WORD JOINER"),
    ("\ufeff", "ZERO WIDTH NO-BREAK SPACE"), ("\u200e", "LEFT-TO-RIGHT MARK"),
    ("\u200f", "RIGHT-TO-LEFT MARK"), ("\u061c", "ARABIC LETTER MARK"),
])
@pytest.mark.parametrize("msgid,domain", [("bullet one", "sample"), ("Key points", "ui")])
def test_invisible_characters_in_a_translation(es, capsys, char, name, msgid, domain):
    line = set_msgstr(es, msgid, f"vi{char}ñeta", domain)
    out = withheld(es, capsys)
    outputs = "*" if domain == "ui" else "article"
    assert (f"locales/es/LC_MESSAGES/{domain}.po:{line}: error: [translation] sample es "
            f"{outputs}: QA: contains the invisible character U+{ord(char):04X} {name}") in out, out
    assert "(hint: " in out


def test_marks_and_joiners_a_script_needs_are_allowed():
    from pipeline.translate import qa

    def errors(translation, script="latin", source="Key points"):
        return qa.check(source, translation, "ui.po", ui=True, script=script)[0]

    assert errors("نقاط\u061cأساسية", "arabic") == []       # ALM in Arabic script
    assert errors("نکات\u200cکلیدی", "arabic") == []        # Persian ZWNJ between letters
    assert errors("मुख्य\u200dबातें") == []                  # Devanagari ZWJ
    assert errors("x\u200by", source="a\u200bb") == []      # the source has it too
    assert "U+061C" in errors("Puntos\u061cclave")[0]       # ALM outside Arabic script
    assert "U+200F" in errors("نقاط\u200fأساسية", "arabic")[0]   # RLM: use ALM instead
    assert "U+200D" in errors("Puntos \U0001F468\u200d\U0001F469")[0]  # not between letters


# ----------------------------------------------------------------------------- PO syntax


def po_lines(project, domain: str = "sample") -> list[str]:
    return (project.root / f"locales/es/LC_MESSAGES/{domain}.po").read_text("utf-8").split("\n")


def msgfmt_verdict(path: Path) -> tuple[int, str]:
    """`msgfmt -c`'s exit status and its first error line, the judge we agree with."""
    import subprocess

    from conftest import require_tool
    proc = subprocess.run([require_tool("msgfmt"), "-c", "-o", "/dev/null", str(path)],
                          capture_output=True, text=True)
    errors = [l for l in proc.stderr.splitlines() if "warning" not in l and l.startswith(str(path))]
    return proc.returncode, errors[0] if errors else ""


def test_unclosed_quote_is_a_syntax_error_at_its_line(es, capsys):
    # `msgstr "Acerca de esto` published "Acerca de est".
    line = set_msgstr(es, "bullet two", "viñeta dos")
    lines = po_lines(es)
    assert lines[line - 1] == 'msgstr "viñeta dos"'
    lines[line - 1] = 'msgstr "viñeta dos'
    (es.root / PO).write_text("\n".join(lines), "utf-8")
    # msgfmt refuses it too (naming the next line: its lexer has moved on by then)
    assert msgfmt_verdict(es.root / PO)[1].startswith(f"{es.root / PO}:{line + 1}: end-of-line")
    out = withheld(es, capsys)
    assert f"{PO}:{line}: error: [translation] sample es *: `sample` catalog: PO syntax " \
           "error: the string has " \
           "no closing quote" in out, out


def test_garbage_line_is_reported_at_its_own_line(es, capsys):
    # Reported one line early (Babel counts from 0).
    lines = po_lines(es)
    line = lines.index('msgid "bullet two"') + 1
    lines.insert(line - 1, "garbage here")
    (es.root / PO).write_text("\n".join(lines), "utf-8")
    assert msgfmt_verdict(es.root / PO)[1].startswith(f"{es.root / PO}:{line}: ")
    out = withheld(es, capsys)
    assert f"{PO}:{line}: error: [translation] sample es *: `sample` catalog: PO syntax " \
           "error: `garbage` is " \
           "not a PO keyword" in out, out


def test_an_error_babel_finds_is_reported_at_its_own_line(es, capsys):
    # A msgcat conflict marker: a comment to msgfmt, refused by Babel (which counts from 0).
    lines = po_lines(es)
    line = lines.index('msgid "bullet two"') + 1
    lines.insert(line - 1, "#-#-#-#-#  other.po (x)  #-#-#-#-#")
    (es.root / PO).write_text("\n".join(lines), "utf-8")
    out = withheld(es, capsys)
    assert f"{PO}:{line}: error: [translation] sample es *: `sample` catalog: PO syntax " \
           "error: cannot parse po " \
           "file with conflicts" in out, out


def test_byte_order_mark_is_an_error_on_line_one(es, capsys):
    # Was `sample.po:0: … misformatted keyword on 0`; msgfmt refuses a BOM on line 1.
    (es.root / PO).write_bytes(b"\xef\xbb\xbf" + (es.root / PO).read_bytes())
    assert msgfmt_verdict(es.root / PO)[0] != 0
    out = withheld(es, capsys)
    assert f"{PO}:1: error: [translation] sample es *: `sample` catalog: the file starts " \
           "with a byte-order " \
           "mark" in out, out


@pytest.mark.parametrize("edit,words", [
    (('msgstr "ES bullet two"', 'msgstr "ES bullet \\q two"'), "invalid escape `\\q`"),
    (('msgstr "ES bullet two"', 'msgstr "ES bullet" two"'), "text after the closing quote"),
    (('msgstr "ES bullet two"', ''), "has no msgstr"),
    (('msgstr "ES bullet two"', 'msgstr "a"\nmsgstr "b"'), "a second msgstr"),
    (('msgstr "ES bullet two"', 'msgid_plural "bullets"\nmsgstr[0] "a"\nmsgstr[2] "b"'),
     "msgstr[2] where msgstr[1] comes next"),
    (('msgstr "ES bullet two"', 'msgstr "ES bullet two"\n"más'), "no closing quote"),
], ids=["bad-escape", "stray-quote", "no-msgstr", "two-msgstr", "plural-index", "continuation"])
def test_po_syntax_errors_agree_with_msgfmt(es, capsys, edit, words):
    path = es.root / PO
    text = path.read_text("utf-8")
    assert edit[0] in text
    path.write_text(text.replace(edit[0], edit[1], 1), "utf-8")
    status, first = msgfmt_verdict(path)
    assert status != 0
    line = int(first.split(":")[1])
    if "end-of-line within string" in first:
        line -= 1  # msgfmt names the line after the one the string does not end on
    out = withheld(es, capsys)
    assert f"{PO}:{line}: error: [translation] sample es *: `sample` catalog: PO syntax " \
           "error: " in out, out
    assert words in out, out


def test_header_charset_that_does_not_match_the_bytes(es, capsys):
    # A header saying ISO-8859-1 over UTF-8 bytes published "pÃ¡gina" (msgfmt says nothing).
    lines = po_lines(es, "ui")
    line = next(i for i, l in enumerate(lines, 1) if l.startswith('"Content-Type:'))
    text = "\n".join(lines).replace("charset=utf-8", "charset=ISO-8859-1")
    (es.root / UI).write_text(text, "utf-8")
    out = withheld(es, capsys)
    assert (f"{UI}:{line}: error: [translation] sample es *: `ui` catalog: the header declares "
            "charset=ISO-8859-1, but the file is UTF-8") in out, out
    assert "charset=UTF-8" in out  # the hint


def test_header_charset_is_honoured_when_it_is_right(es, capsys):
    # A real Windows-1252 file (as older tools wrote) is read as such: no mojibake, no error.
    set_msgstr(es, STAMP, "Actualizado por {team} — {date}, página 1", "ui")
    text = (es.root / UI).read_text("utf-8").replace("charset=utf-8", "charset=CP1252")
    (es.root / UI).write_bytes(text.encode("cp1252"))
    code, out, err = cli(es, capsys)
    assert code == 0, out + err
    page = html_text((es.root / "build/es/sample.html").read_text("utf-8"))
    assert "— agosto de 2025, página 1" in page and "Ã" not in page
    # and `make locales` turns it into UTF-8 without losing a character
    assert main(["-C", str(es.root), "i18n", "update"]) == 0
    data = (es.root / UI).read_bytes()
    assert "{date}, página 1".encode() in data and b"charset=utf-8" in data.lower()


@pytest.mark.parametrize("charset,data,words", [
    ("UTF-8", "página".encode("latin-1"), "invalid UTF-8 at byte"),
    ("KLINGON", "pagina".encode(), "unknown charset `KLINGON`"),
    ("CHARSET", "página".encode(), "still says charset=CHARSET"),
    ("UTF-16", "página".encode(), "not a charset gettext can read"),
    ("ASCII", "página".encode("latin-1"), "the header declares charset=ASCII"),
], ids=["utf8-latin1-bytes", "unknown", "template-default", "utf16", "ascii"])
def test_header_charsets_that_cannot_be_read(es, capsys, charset, data, words):
    path = es.root / UI
    text = path.read_text("utf-8").replace("charset=utf-8", f"charset={charset}")
    raw = text.encode("utf-8").replace(b'msgstr "ES Key points"', b'msgstr "' + data + b'"')
    path.write_bytes(raw)
    out = withheld(es, capsys)
    assert f"{UI}:" in out and words in out, out


# ----------------------------------------------------------------------------- render path

HOSTILE_LABELS = {
    "Key points": SCRIPT_LINK,
    "Scan for the full article": PHISH,
    DRAFT: ONERROR + ' "; } body { display: none } @page { content: "',
    "QR code: link to the full article": '"><script>alert(1)</script><a href="https://evil.example/qr">',
    "Page {page} of {pages}": 'Página {page} de {pages}"; } </style><script>alert(2)</script>',
    "Updated by {team} — {date}": 'Actualizado <a href="https://evil.example/s">{team}</a> — '
                                  "{date} %s %(team)s {team.__class__} {{x}} %50000000s",
    "Table {number}: {title}": 'Tabla {number}: {title}</w:t></w:r><w:hyperlink r:id="rId1">',
    "Table {number}": "Tabla {number}<![CDATA[x]]>",
}


def _elements(page: str) -> list[tuple[str, tuple[str, ...], tuple[str, ...]]]:
    """Every element of a page: its tag, attribute names and link/image targets."""
    from html.parser import HTMLParser

    class Elements(HTMLParser):
        def __init__(self):
            super().__init__(convert_charrefs=True)
            self.found = []

        def handle_starttag(self, tag, attrs):
            self.found.append((tag, tuple(name for name, _ in attrs),
                               tuple(value or "" for name, value in attrs
                                     if name in ("href", "src", "xlink:href"))))

        handle_startendtag = handle_starttag

        def handle_comment(self, data):
            self.found.append(("<!--", (), ()))

        def handle_decl(self, decl):
            self.found.append(("<!", (), ()))

        unknown_decl = handle_decl

    parser = Elements()
    parser.feed(page)
    parser.close()
    return parser.found


def _links(pdf: bytes) -> list[str]:
    import io

    import pikepdf
    found = []
    with pikepdf.open(io.BytesIO(pdf)) as document:
        for page in document.pages:
            for annot in page.obj.get("/Annots", []):
                if annot.get("/Subtype") == "/Link":
                    action = annot.get("/A")
                    found.append(str(action.get("/URI")) if action is not None and "/URI" in action
                                 else str(annot.get("/Dest", "")))
    return sorted(found)


@pytest.fixture(scope="module")
def hostile_renders(tmp_path_factory):
    """The sample as a draft, rendered with the label table above (QA bypassed entirely: the
    Labels object hands out Markup) and with the source labels, to every output."""
    import dataclasses
    import shutil

    from markupsafe import Markup

    from conftest import CONTACT, DISCLAIMER, PYPROJECT, REPO, Project
    from pipeline.settings import theme as theme_mod
    from pipeline.settings.labels import Labels
    from pipeline.outputs import output as output_row
    from pipeline.render import Renderers

    root = tmp_path_factory.mktemp("hostile") / "proj"
    shutil.copytree(REPO / "styles", root / "styles")
    proj = Project(root)
    proj.write("pyproject.toml", PYPROJECT)
    proj.write("source/_shared/disclaimer.md", DISCLAIMER)
    proj.write("source/_shared/contact.md", CONTACT)
    proj.write("source/sample.md", SAMPLE.replace(
        "::: handout\n## What to know\n\nShort words. Short lines.\n:::",
        ":::: handout\n## What to know\n\nShort words.\n\n::: key-points\n- Rest.\n:::\n::::"))
    proj.write("source/images/square.png", png_bytes())
    cfg = config.load(root)
    doc = dataclasses.replace(reader.read_document(cfg, "sample"), draft=True)
    renderers = Renderers(cfg, theme_mod.load(cfg))
    hostile = Labels(lambda text: Markup(HOSTILE_LABELS.get(text, text)))
    out = {}
    for name, labels in (("clean", Labels()), ("hostile", hostile)):
        for output in ("html", "pdf", "docx", "handout", "handout-large"):
            out[name, output] = renderers.render(doc, output_row(output), labels, "letter")
        from pipeline.render.handout import render_handout
        from pipeline.render.html import render_article
        ctx = renderers.context("letter")
        out[name, "pdf-html"] = render_article(doc, ctx, labels, for_print=True)
        out[name, "handout-html"] = render_handout(doc, ctx, labels, "handout")
    return out


@pytest.mark.parametrize("page", ["html", "pdf-html", "handout-html"])
def test_labels_that_hold_markup_are_text_on_the_page(hostile_renders, page):
    clean = hostile_renders["clean", page]
    hostile = hostile_renders["hostile", page]
    clean_page = clean.decode() if isinstance(clean, bytes) else clean
    hostile_page = hostile.decode() if isinstance(hostile, bytes) else hostile
    assert _elements(hostile_page) == _elements(clean_page)  # no element the templates did not write
    assert len(hostile_page) < len(clean_page) + 10_000  # no `%50000000s` padding
    text = html_text(hostile_page)
    for label in (DRAFT, STAMP) + (
            ("Key points", "Scan for the full article") if page == "handout-html" else ()):
        shown = HOSTILE_LABELS[label].replace("{team}", "Test Review Team").replace(
            "{date}", "August 2025").replace("{{x}}", "{x}")
        assert shown in text, (label, text)  # the label as written, as text
    style = hostile_page.split("<style>")[1].split("</style>")[0]
    assert "</" not in style and "<script" not in style
    assert r'content: "BORRADOR \3c img src=x onerror=alert(document.domain)//\3c \3e  \22 ; } ' \
           in style  # the draft mark is one CSS string: quote and brackets escaped


@pytest.mark.parametrize("output", ["pdf", "handout", "handout-large"])
def test_labels_that_hold_markup_add_no_link_to_the_pdf(hostile_renders, output):
    from pipeline.readback.pdf_blocks import page_count as pages
    import io

    import pypdf
    clean, hostile = hostile_renders["clean", output], hostile_renders["hostile", output]
    assert _links(hostile) == _links(clean)
    assert not any("evil" in link or "javascript" in link for link in _links(hostile))
    assert pages(hostile) < pages(clean) + 2
    pdf = pypdf.PdfReader(io.BytesIO(hostile))
    text = " ".join(page.extract_text() for page in pdf.pages)
    assert "BORRADOR <img src=x" in text and "alert(document.domain)" in text
    if output != "pdf":  # the handout's bookmarks hold the label as its text
        def titles(items):
            for item in items:
                yield from titles(item) if isinstance(item, list) else [item.title]
        assert SCRIPT_LINK in titles(pdf.outline) and PHISH in titles(pdf.outline)


def package_part(docx: bytes, kind: str) -> list[str]:
    import io
    import zipfile
    with zipfile.ZipFile(io.BytesIO(docx)) as package:
        return [package.read(n).decode() for n in package.namelist() if kind in n]


def test_labels_that_hold_markup_are_text_in_the_docx(hostile_renders):
    import io
    import zipfile
    clean, hostile = hostile_renders["clean", "docx"], hostile_renders["hostile", "docx"]
    with zipfile.ZipFile(io.BytesIO(hostile)) as package:
        xml = package.read("word/document.xml").decode()
        rels = package.read("word/_rels/document.xml.rels").decode()
        footer = "".join(package.read(n).decode() for n in package.namelist() if "footer" in n)
    with zipfile.ZipFile(io.BytesIO(clean)) as package:
        clean_rels = package.read("word/_rels/document.xml.rels").decode()
        clean_xml = package.read("word/document.xml").decode()
    assert rels == clean_rels  # no new hyperlink relationship
    assert xml.count("<w:hyperlink") == clean_xml.count("<w:hyperlink")
    assert "BORRADOR &lt;img src=x onerror=alert(document.domain)//&lt;&gt;" in "".join(
        package_part(hostile, "header"))
    assert "Tabla " in xml and "&lt;/w:t&gt;&lt;/w:r&gt;&lt;w:hyperlink" in xml
    assert 'w:instr=" PAGE "' in footer and "Página " in footer


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
