"""pipeline.gates.pdf_ua: a clean repaired PDF passes; each injected defect is caught."""

from __future__ import annotations

import dataclasses
import io
import re
from functools import lru_cache

import pikepdf
import pytest
from weasyprint import HTML

from pipeline.gates.pdf_ua import CONDITIONS, Problem, audit
from pipeline.gates.pdf_ua import evaluate as check
from pipeline.render.pdf.tagging import repair

STYLE = """@page { size: A6; margin: 1.5cm; @bottom-center { content: "Page " counter(page)
  " of " counter(pages) } } body { font-family: "Atkinson Hyperlegible", sans-serif }"""
SVG = ('<svg xmlns="http://www.w3.org/2000/svg" width="20" height="20"><title>A square</title>'
       '<rect width="20" height="20"/></svg>')


def page(body: str, head: str = "<title>Audit</title>") -> str:
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8">{head}'
            f"<style>{STYLE}</style></head><body>{body}</body></html>")


CLEAN = page(f"""<h1>Title</h1><p>Read the <a href="https://example.org/x">guide</a>.</p>
<h2>List</h2><ul><li>One</li><li>Two</li></ul>
<table><thead><tr><th scope="col">A</th><th scope="col">B</th></tr></thead>
<tbody><tr><td>1</td><td>2</td></tr></tbody></table><figure>{SVG}</figure>""")


@lru_cache(maxsize=None)
def raw(source: str) -> bytes:
    return HTML(string=source).write_pdf(pdf_variant="pdf/ua-1")


@lru_cache(maxsize=None)
def fixed(source: str) -> bytes:
    return repair(raw(source), lang="en")


def conditions(data: bytes) -> set[str]:
    return {p.condition for p in audit(data)}


def edit(change, source: str = CLEAN) -> bytes:
    """A copy of the repaired `source` with `change(pdf)` applied."""
    with pikepdf.open(io.BytesIO(fixed(source))) as pdf:
        change(pdf)
        out = io.BytesIO()
        pdf.save(out)
        return out.getvalue()


def elements(pdf, kind: str):
    stack = list(pdf.Root.StructTreeRoot.K)
    while stack:
        node = stack.pop(0)
        if isinstance(node, pikepdf.Dictionary) and "/S" in node:
            if node.S == kind:
                yield node
            stack.extend(k for k in node.K if isinstance(k, pikepdf.Dictionary))


def set_content(pdf, rewrite):
    page = pdf.pages[0]
    page.Contents = pdf.make_stream(rewrite(b"".join(
        c.read_bytes() for c in ([page.Contents] if isinstance(page.Contents, pikepdf.Stream)
                                 else page.Contents))))


def test_clean_document_has_no_problems():
    assert audit(fixed(CLEAN)) == []


def test_raw_weasyprint_fails_precisely():
    found = audit(raw(CLEAN))
    assert {p.condition for p in found} == {"01-005", "28-012", "outline-panel"}
    footer = next(p for p in found if p.condition == "01-005")
    assert footer.page == 1 and "'Page 1 of 1'" in footer.message
    assert footer.message.startswith("Matterhorn 01-005: ")


def test_th_scope_rule_is_precise():
    ragged = page("<h1>T</h1><table><tr><th>Drug</th><th>Dose</th><th>Notes</th></tr>"
                  "<tr><td>A</td><td>1</td></tr></table>")
    found = [p for p in audit(raw(ragged)) if p.condition == "15-003"]
    assert [p.message for p in found] == [  # only "Notes"
        "Matterhorn 15-003: TH 'Notes' has no Scope and no TD refers to it by /Headers on page 1"]
    assert "15-003" not in conditions(raw(CLEAN))  # Headers/IDs cover every TH: no Scope needed
    no_headers = edit(lambda pdf: [td.A.__delitem__("/Headers") for td in elements(pdf, "/TD")]
                      + [th.A.__delitem__("/Scope") for th in elements(pdf, "/TH")])
    assert [p.condition for p in audit(no_headers)].count("15-003") == 2


@pytest.mark.parametrize("change, condition", [
    (lambda pdf: pdf.Root.__delitem__("/Lang"), "11-001"),
    (lambda pdf: next(elements(pdf, "/Figure")).__delitem__("/Alt"), "13-004"),
    (lambda pdf: pdf.Root.__delitem__("/Metadata"), "06-001"),
    (lambda pdf: pdf.Root.ViewerPreferences.__setitem__("/DisplayDocTitle", False), "07-002"),
    (lambda pdf: pdf.Root.__delitem__("/ViewerPreferences"), "07-001"),
    (lambda pdf: pdf.Root.__delitem__("/PageMode"), "outline-panel"),
    (lambda pdf: pdf.Root.MarkInfo.__setitem__("/Suspects", True), "01-007"),
    (lambda pdf: pdf.Root.MarkInfo.__setitem__("/Marked", False), "UA1-7.1"),
    (lambda pdf: pdf.Root.StructTreeRoot.__setitem__("/RoleMap", pikepdf.Dictionary(P="/Span")),
     "02-004"),
    (lambda pdf: pdf.Root.StructTreeRoot.__setitem__(
        "/RoleMap", pikepdf.Dictionary(Foo="/Bar", Bar="/Foo")), "02-003"),
    (lambda pdf: next(elements(pdf, "/P")).__setitem__("/S", pikepdf.Name("/Para")), "02-001"),
    (lambda pdf: next(elements(pdf, "/LI")).__setitem__("/S", pikepdf.Name("/P")), "09-005"),
    (lambda pdf: next(elements(pdf, "/TR")).__setitem__("/S", pikepdf.Name("/Div")), "09-004"),
    (lambda pdf: pdf.pages[0].Annots[0].__delitem__("/Contents"), "28-012"),
    (lambda pdf: pdf.pages[0].__delitem__("/Tabs"), "28-008"),
    (lambda pdf: pdf.pages[0].__setitem__("/Tabs", pikepdf.Name.R), "28-009"),
    (lambda pdf: next(elements(pdf, "/Link")).__setitem__("/S", pikepdf.Name("/Span")), "28-011"),
    (lambda pdf: [f.DescendantFonts[0].FontDescriptor.__delitem__("/FontFile2")
                  for f in pdf.pages[0].Resources.Font.values()], "31-009"),
    (lambda pdf: [f.__delitem__("/ToUnicode") for f in pdf.pages[0].Resources.Font.values()],
     "31-027"),
    (lambda pdf: [f.ToUnicode.write(re.sub(rb"\d+ beginbfchar.*?endbfchar", b"",
                                           f.ToUnicode.read_bytes(), flags=re.S))
                  for f in pdf.pages[0].Resources.Font.values()], "10-001"),
    (lambda pdf: set_content(pdf, lambda s: s.replace(b"<< /MCID 0 >> BDC", b"<< /MCID 0 >> BDC "
                                                      b"/Artifact BMC EMC", 1)), "01-003"),
    (lambda pdf: set_content(pdf, lambda s: b"/Artifact BMC /P <</MCID 99>> BDC 0 0 1 1 re f "
                                            b"EMC EMC " + s), "01-004"),
    (lambda pdf: set_content(pdf, lambda s: s + b" 0 0 5 5 re f"), "01-005"),
])
def test_injected_defect_is_caught(change, condition):
    assert condition in conditions(edit(change))


def test_xmp_defects_are_caught():
    def strip(pattern):
        def change(pdf):
            xmp = re.sub(pattern, b"", pdf.Root.Metadata.read_bytes(), flags=re.S)
            pdf.Root.Metadata = pdf.make_stream(xmp, Type=pikepdf.Name.Metadata,
                                                Subtype=pikepdf.Name.XML)
        return change
    assert "06-002" in conditions(edit(strip(rb' pdfuaid:part="1"')))
    assert "06-003" in conditions(edit(strip(rb"<dc:title>.*?</dc:title>")))
    both = edit(lambda pdf: (strip(rb"<dc:language>.*?</dc:language>")(pdf),
                             pdf.Root.__delitem__("/Lang")))
    assert {"11-001", "11-006"} <= conditions(both)


def test_heading_order():
    skipped = audit(fixed(page("<h1>A</h1><p>x</p><h3>C</h3>")))
    assert [p.message for p in skipped] == [
        "Matterhorn 14-003: heading level skipped from H1 to H3 at 'C' on page 1"]
    assert conditions(fixed(page("<h2>B</h2><p>x</p>"))) == {"14-002"}
    assert audit(fixed(page("<h1>A</h1><h2>B</h2><h3>C</h3><h2>D</h2><h1>E</h1>"))) == []


def test_opacity_content_is_untagged_until_repaired():
    faded = page('<h1>T</h1><p>Some <b style="opacity: .5">faded</b> text.</p>')
    assert any(p.condition == "01-005" and "'faded'" in p.message for p in audit(raw(faded)))
    assert audit(fixed(faded)) == []


def test_unreadable_input_is_one_problem():
    assert [p.condition for p in audit(b"not a pdf")] == ["PDF"]


def test_problem_is_frozen():
    problem = Problem("06-003", "Matterhorn 06-003: x")
    with pytest.raises(dataclasses.FrozenInstanceError):
        problem.condition = "x"  # type: ignore[misc]
    assert problem.page is None


def test_check_wrapper():
    ok = check(fixed(CLEAN), document="doc", locale="en", output="pdf")
    assert len(ok) == 1 and ok[0].passed and ok[0].check == "pdf-ua"
    assert ok[0].metrics["conditions_checked"] >= len(CONDITIONS) >= 50
    bad = check(raw(CLEAN), document="doc", locale="es", output="handout")
    assert [r.passed for r in bad] == [False, False, False]
    assert {(r.check, r.severity, r.document, r.locale, r.output) for r in bad} == {
        ("pdf-ua", "error", "doc", "es", "handout")}
    assert all(r.blocks and r.message.startswith(("Matterhorn ", "outline-panel: "))
               for r in bad)
