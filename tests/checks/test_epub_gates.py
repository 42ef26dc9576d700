"""The EPUB and audio gates fail when they should: a published EPUB or audio file is damaged in
one way at a time, and the gate names what is wrong (EPUBCheck and Ace run for real)."""

from __future__ import annotations

import io
import json
import re
import subprocess
import zipfile

import pytest

from pipeline import outputs

from conftest import published, require_tool
from pipeline.read import reader
from pipeline.settings import config
from pipeline.gates import ace, audio, epub_check, media_overlays
from pipeline.readback.opus import seconds
from pipeline.render.html import stamp
from pipeline.report.page import view
from pipeline.settings.labels import Labels

pytestmark = pytest.mark.slow  # EPUBCheck, DAISY Ace (Chromium) and speech synthesis

SMIL = "EPUB/content.smil"


def rezip(data: bytes, changes: dict[str, bytes]) -> bytes:
    """The EPUB with some entries replaced, in the same order, `mimetype` still first and
    stored."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as old, zipfile.ZipFile(out, "w") as new:
        for info in old.infolist():
            body = changes.get(info.filename, old.read(info.filename))
            new.writestr(info, body)
    return out.getvalue()


@pytest.fixture(scope="module")
def sample(epub_build):
    proj, _ = epub_build
    cfg = config.load(proj.root)
    doc = reader.read_document(cfg, "sample")
    return proj, cfg, doc, stamp(doc, Labels())


def subject(sample, kind: str, data: bytes):
    """What a gate receives for `data` as the `kind` artifact of the sample."""
    from pipeline.gates.subject import Subject
    from pipeline.model import Artifact
    from pipeline.settings import theme
    proj, cfg, doc, stamp_text = sample
    name = "en/" + outputs.output(kind).pattern.format(id="sample")
    return Subject(doc, outputs.output(kind), Artifact("sample", "en", kind, name, data),
                   Labels(), stamp_text, cfg, theme.load(cfg))


def overlays(sample, data: bytes) -> list:
    proj, cfg, doc, stamp_text = sample
    return media_overlays.evaluate(doc, "epub", data, cfg, stamp_text, "en/sample.epub")


def smil_of(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(SMIL).decode()


def test_the_overlay_gate_passes_the_published_epub(sample):
    proj = sample[0]
    results = overlays(sample, published(proj, "sample.epub"))
    assert [r.passed for r in results] == [True]
    assert results[0].metrics["clips"] > 10


@pytest.mark.parametrize("damage, finding", [
    ("drop", "have no clip"),
    ("swap", "comes later in the text"),
    ("past the end", "does not lie inside its audio file"),
    ("too short", "lasts 0.01 s"),
    ("duration", "media:duration"),
])
def test_the_overlay_gate_finds_each_damage(sample, damage, finding):
    proj = sample[0]
    data = published(proj, "sample.epub")
    smil = smil_of(data)
    pars = re.findall(r"<par .*?</par>", smil)
    if damage == "drop":
        smil = smil.replace(pars[3] + "\n", "")
    elif damage == "swap":
        smil = smil.replace(pars[3], "@@").replace(pars[4], pars[3]).replace("@@", pars[4])
    elif damage == "past the end":
        smil = smil.replace(pars[-1], re.sub(r'clipEnd="[^"]+"', 'clipEnd="9:00:00.000"',
                                             pars[-1]))
    elif damage == "too short":  # the intro paragraph said in a hundredth of a second
        begin = seconds(re.search(r'clipBegin="([^"]+)"', pars[2]).group(1))
        smil = smil.replace(pars[2], re.sub(r'clipEnd="[^"]+"', f'clipEnd="{begin + 0.01:.3f}s"',
                                            pars[2]))
    if damage == "duration":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            opf = archive.read("EPUB/package.opf").decode()
        opf = re.sub(r'(<meta property="media:duration" refines="#overlay">)[^<]+',
                     r"\g<1>0:00:01.000", opf)
        damaged = rezip(data, {"EPUB/package.opf": opf.encode()})
    else:
        damaged = rezip(data, {SMIL: smil.encode()})
    results = overlays(sample, damaged)
    assert not any(r.passed for r in results)
    assert any(finding in r.message for r in results), [r.message for r in results]
    assert all(r.severity == "error" and r.location for r in results)


def test_epubcheck_reports_a_css_property_epub_forbids(sample):
    proj = sample[0]
    data = published(proj, "sample-handout.epub")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        css = archive.read("EPUB/style.css") + b"\np { direction: rtl; }\n"
    results = epub_check.check(subject(sample, "handout-epub", rezip(data, {"EPUB/style.css": css})))
    assert [r.metrics["id"] for r in results] == ["CSS-001"]
    assert not results[0].passed and str(results[0].location).startswith(
        "en/sample-handout.epub!EPUB/style.css:")


def test_ace_reports_a_skipped_heading_level(sample):
    proj = sample[0]
    data = published(proj, "sample-handout.epub")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        page = archive.read("EPUB/content.xhtml").decode()
    page = re.sub(r"<h2 (id=\"s\d+\")>(What to know)</h2>", r"<h4 \1>\2</h4>", page)
    assert "<h4 " in page
    results = ace.check(subject(sample, "handout-epub",
                                rezip(data, {"EPUB/content.xhtml": page.encode()})))
    assert not any(r.passed for r in results)
    assert any("heading-order" in r.message for r in results), [r.message for r in results]


def opus_with(tmp_path, *comments: str) -> bytes:
    """A real Ogg Opus file of one spoken sentence with the given comments."""
    wav, opus = tmp_path / "a.wav", tmp_path / "a.opus"
    subprocess.run([require_tool("espeak-ng"), "-v", "en-us", "-w", str(wav), "Sample Topic."], check=True)
    args = [a for c in comments for a in ("--comment", c)]
    subprocess.run([require_tool("opusenc"), "--quiet", *args, str(wav), str(opus)], check=True)
    return opus.read_bytes()


def test_the_audio_gate_checks_tags_and_chapters(sample, tmp_path):
    proj, cfg, doc, stamp_text = sample
    good = published(proj, "sample.opus")
    assert [r.passed for r in audio.evaluate(doc, good, cfg, stamp_text, "x")] == [True]
    wrong = opus_with(tmp_path, "TITLE=Sample Topic", "ARTIST=Test Clinic", "LANGUAGE=fr",
                      "CHAPTER000=00:00:00.000", "CHAPTER000NAME=Sample Topic",
                      "CHAPTER001=00:00:00.500", "CHAPTER001NAME=Wrong section")
    messages = [r.message for r in audio.evaluate(doc, wrong, cfg, stamp_text, "x")]
    assert any("LANGUAGE tag is “fr”" in m for m in messages)
    assert any("chapters do not match the headings" in m and "Wrong section" in m
               for m in messages)
    empty = audio.evaluate(doc, b"", cfg, stamp_text, "x")
    assert not empty[0].passed and empty[0].message.startswith("not published")


def test_the_report_has_epub_and_audio_columns(epub_build):
    proj, _ = epub_build
    report = json.loads((proj.root / "build/report.json").read_text("utf-8"))
    page = view(report, {})
    assert [o["label"] for o in page["outputs"]] == ["EPUB (e-book)", "Handout EPUB",
                                                     "Audio (Opus)"]
    cells = page["grid"][0]["rows"][0]["cells"]
    assert [c["kind"] for c in cells] == ["pass"] * 3
    assert cells[0]["passed"] >= 6  # required text, fidelity, EPUBCheck, Ace, overlays…
