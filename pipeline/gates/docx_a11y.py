"""Gate: the saved DOCX passes the machine-checkable rules of Word's Accessibility Checker.

Read from the package itself (zipfile + lxml), never from the model, so a template, a reference
document or a later edit that breaks a rule is caught. One failed result per problem, each
saying what and where; a single passed result when there is none. The rules:

- title: the core property `dc:title` is set (Word and screen readers announce it);
- language: `w:lang` on the style defaults, and it is the locale's language;
- headings: at least one paragraph in the Title or a Heading style, and no skipped level. The
  Title style counts as level 0 (it is outside Word's outline, as in the Navigation pane), so
  the first heading after it must be Heading 1, and each heading at most one level deeper than
  the one before;
- pictures: every drawing has alt text (`wp:docPr/@descr`) or is marked decorative;
- tables: the first row of every table is a repeating header row (`w:tblHeader`);
- lists: a paragraph in a List Bullet/Number style is numbered through the numbering part, and
  no paragraph starts with a typed "•", "-" or "1." instead;
- spacing: no empty paragraph in the body (a screen reader reads each one as "blank");
- size: no text (run, style, defaults — Word's own default is 10 pt) under `min_pt`;
- contrast: text colours at least 4.5:1 against their shading or white (WCAG 1.4.3; applied to
  all sizes, stricter than WCAG's 3:1 for large text).
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from io import BytesIO

from lxml import etree

from pipeline.settings.locale import babel_locale
from pipeline.model import CheckResult
from pipeline.settings.theme import contrast
from pipeline.readback.docx import W, WP, inline_text, main_part, parse
from pipeline.readback.text import ArtifactUnreadable

CHECK = "docx-a11y"
MIN_CONTRAST = 4.5
REL = "http://schemas.openxmlformats.org/package/2006/relationships"
DC = "http://purl.org/dc/elements/1.1/"
DECORATIVE = "{http://schemas.microsoft.com/office/drawing/2017/decorative}decorative"
TYPED = re.compile(r"^\s*(?:[•◦▪●○■□‣⁃∙·*–-]\s|\(?\d{1,3}[.)]\s)")
COMPLEX = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
OFF = ("0", "false", "off")


def w(name: str) -> str:
    return f"{{{W}}}{name}"


class Package:
    """The parts the rules read: document, styles, numbering, core properties, headers and
    footers, with style inheritance resolved on demand."""

    def __init__(self, data: bytes):
        try:
            with zipfile.ZipFile(BytesIO(data)) as package:
                names = set(package.namelist())
                main = main_part(package)
                self.part = main
                self.document = parse(package.read(main))
                folder, base = posixpath.split(main)
                rels_name = posixpath.join(folder, "_rels", base + ".rels")
                rels = parse(package.read(rels_name)) if rels_name in names else None
                targets = []
                for rel in (rels.iter(f"{{{REL}}}Relationship") if rels is not None else ()):
                    target = rel.get("Target", "")
                    if rel.get("TargetMode") == "External":
                        continue
                    target = target.lstrip("/") if target.startswith("/") else \
                        posixpath.normpath(posixpath.join(folder, target))
                    if target in names:
                        targets.append((rel.get("Type", "").rsplit("/", 1)[-1], target))

                def part(kind: str, root: str):
                    name = next((t for k, t in targets if k == kind), None)
                    return parse(package.read(name)) if name else etree.Element(w(root))

                self.styles = part("styles", "styles")
                self.numbering = part("numbering", "numbering")
                self.furniture = [(t, parse(package.read(t))) for k, t in targets
                                  if k in ("header", "footer")]
                self.core = parse(package.read("docProps/core.xml")) \
                    if "docProps/core.xml" in names else etree.Element("core")
        except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError, ValueError) as exc:
            raise ArtifactUnreadable(f"the DOCX cannot be read: {exc}") from exc
        self.by_id = {s.get(w("styleId")): s for s in self.styles.iter(w("style"))}
        self.defaults = {}
        for kind in ("paragraph", "character", "table"):
            found = [s for s in self.styles.iter(w("style"))
                     if s.get(w("type")) == kind and s.get(w("default")) in ("1", "true", "on")]
            self.defaults[kind] = found[0].get(w("styleId")) if found else None
        self.num_ids = {n.get(w("numId")) for n in self.numbering.iter(w("num"))}

    def name(self, style_id: str | None) -> str:
        style = self.by_id.get(style_id)
        found = style.find(w("name")) if style is not None else None
        return (found.get(w("val")) if found is not None else style_id or "").lower()

    def chain(self, style_id: str | None) -> list:
        """The style and its `basedOn` ancestors (cycles cut)."""
        chain, seen = [], set()
        while style_id and style_id not in seen and style_id in self.by_id:
            seen.add(style_id)
            style = self.by_id[style_id]
            chain.append(style)
            based = style.find(w("basedOn"))
            style_id = based.get(w("val")) if based is not None else None
        return chain

    def para_style(self, p) -> str | None:
        found = p.find(f"{w('pPr')}/{w('pStyle')}")
        return found.get(w("val")) if found is not None else self.defaults["paragraph"]

    def run_value(self, r, p, table_style: str | None, tag: str):
        """(value, where) of an rPr property for a run, through the style hierarchy."""
        direct = r.find(f"{w('rPr')}/{w(tag)}")
        if direct is not None:
            return direct.get(w("val")), "direct formatting"
        levels = []
        rstyle = r.find(f"{w('rPr')}/{w('rStyle')}")
        levels.append(rstyle.get(w("val")) if rstyle is not None else None)
        levels.append(self.para_style(p))
        levels.append(table_style)
        for style_id in levels:
            for style in self.chain(style_id):
                found = style.find(f"{w('rPr')}/{w(tag)}")
                if found is not None:
                    return found.get(w("val")), f"style `{self.name(style_id)}`"
        found = self.styles.find(f"{w('docDefaults')}/{w('rPrDefault')}/{w('rPr')}/{w(tag)}")
        if found is not None:
            return found.get(w("val")), "the document defaults"
        return None, "Word's defaults"

    def numbered(self, p) -> bool:
        """The paragraph has list numbering (direct or from its style) that exists."""
        for holder in [p.find(w("pPr")), *(s.find(w("pPr")) for s in self.chain(
                self.para_style(p)))]:
            num = holder.find(f"{w('numPr')}/{w('numId')}") if holder is not None else None
            if num is not None:
                return num.get(w("val")) not in ("0", None) and num.get(w("val")) in self.num_ids
        return False


def text_of(p) -> str:
    parts: list[str] = []
    inline_text(p, parts)
    return "".join(parts).strip()


def _short(text: str) -> str:
    return text if len(text) <= 40 else text[:39] + "…"


def _runs(root, default_table_style: str | None):
    """(run, paragraph, table style) for every run with text."""
    for p in root.iter(w("p")):
        tbl = next((a for a in p.iterancestors(w("tbl"))), None)
        tstyle = None
        if tbl is not None:
            found = tbl.find(f"{w('tblPr')}/{w('tblStyle')}")
            tstyle = found.get(w("val")) if found is not None else default_table_style
        for r in p.iter(w("r")):
            text = "".join(t.text or "" for t in r.iter(w("t")))
            if text.strip():
                yield r, p, tstyle, text


def _background(r, p) -> str:
    for holder in (r.find(w("rPr")), p.find(w("pPr")),
                   *(tc.find(w("tcPr")) for tc in p.iterancestors(w("tc")))):
        shd = holder.find(w("shd")) if holder is not None else None
        if shd is not None and re.fullmatch(r"[0-9A-Fa-f]{6}", shd.get(w("fill"), "")):
            return "#" + shd.get(w("fill"))
    return "#ffffff"


def problems(pkg: Package, locale: str, min_pt: float) -> list[tuple[str, str, str]]:
    """(message, location, hint) for every rule broken."""
    out: list[tuple[str, str, str]] = []
    doc_xml = pkg.part
    title = pkg.core.find(f"{{{DC}}}title")
    if title is None or not (title.text or "").strip():
        out.append(("the document has no title (core property dc:title)", "docProps/core.xml",
                    "set File › Info › Title"))
    lang = pkg.styles.find(f"{w('docDefaults')}/{w('rPrDefault')}/{w('rPr')}/{w('lang')}")
    tag = lang.get(w("val")) if lang is not None else None
    if not tag:
        out.append(("no document language (w:lang on the style defaults)", "word/styles.xml",
                    "set Review › Language for the Normal style and defaults"))
    elif tag.replace("_", "-").split("-")[0].lower() != babel_locale(locale).language:
        out.append((f"the document language is `{tag}`, the locale is `{locale}`",
                    "word/styles.xml", "render the DOCX with the locale's language"))
    body = pkg.document.find(w("body"))
    paragraphs = list(body.iter(w("p"))) if body is not None else []
    levels = []
    for index, p in enumerate(paragraphs, 1):
        name = pkg.name(pkg.para_style(p))
        match = re.fullmatch(r"heading ([1-9])", name)
        if name == "title" or match:
            levels.append((int(match.group(1)) if match else 0, index, text_of(p)))
    if not levels:
        out.append(("the document has no headings (Title or Heading styles)", doc_xml,
                    "mark the title and section headings with Word's built-in styles"))
    previous = 0
    for level, index, text in levels:
        if level > previous + 1:
            shown = f"Heading {previous}" if previous else "the title"
            out.append((f"Heading {level} “{_short(text)}” follows {shown}: a level is skipped",
                        f"{doc_xml}, paragraph {index}", f"use Heading {previous + 1}"))
        previous = level
    for part, root in [(doc_xml, pkg.document), *pkg.furniture]:
        for number, doc_pr in enumerate(root.iter(f"{{{WP}}}docPr"), 1):
            decorative = any(d.get("val") in ("1", "true") for d in doc_pr.iter(DECORATIVE))
            if not (doc_pr.get("descr") or "").strip() and not decorative:
                out.append((f"picture {number} (“{doc_pr.get('name', '')}”) has no alt text",
                            part, "add alt text (right-click › View Alt Text)"))
    for number, tbl in enumerate(pkg.document.iter(w("tbl")), 1):
        first = tbl.find(w("tr"))
        header = first.find(f"{w('trPr')}/{w('tblHeader')}") if first is not None else None
        if header is None or header.get(w("val"), "1").lower() in OFF:
            cell = text_of(first) if first is not None else ""
            out.append((f"table {number} (“{_short(cell)}”) has no header row", doc_xml,
                        "Table Properties › Row › Repeat as header row at the top of each page"))
    previous_text = ""
    for index, p in enumerate(paragraphs, 1):
        text = text_of(p)
        where = f"{doc_xml}, paragraph {index}"
        name = pkg.name(pkg.para_style(p))
        numbered = pkg.numbered(p)
        if name.startswith(("list bullet", "list number")) and not numbered:
            out.append((f"list paragraph “{_short(text)}” has no list numbering", where,
                        "apply the list with Home › Bullets or Numbering"))
        if TYPED.match(text) and not numbered:
            out.append((f"paragraph “{_short(text)}” starts with a typed list marker", where,
                        "use Word's bullets or numbering instead of typed characters"))
        in_body = p.getparent() is body or p.getparent().tag == w("sdtContent")
        has_content = text or any(True for _ in p.iter(w("drawing"), w("pict"), w("object"),
                                                        w("br"), w("fldSimple"), w("sym")))
        if in_body and not has_content and not numbered and p.find(
                f"{w('pPr')}/{w('sectPr')}") is None:
            out.append((f"empty paragraph used as spacing (after “{_short(previous_text)}”)",
                        where, "delete it and use Paragraph › Spacing before/after instead"))
        previous_text = text or previous_text
    small: dict[tuple, list[str]] = {}
    faint: dict[tuple, list[str]] = {}
    for part, root in [(doc_xml, pkg.document), *pkg.furniture]:
        for r, p, tstyle, text in _runs(root, pkg.defaults["table"]):
            slots = ["sz"]
            if COMPLEX.search(text) or r.find(f"{w('rPr')}/{w('rtl')}") is not None \
                    or r.find(f"{w('rPr')}/{w('cs')}") is not None:
                slots.append("szCs")
            for slot in slots:
                value, source = pkg.run_value(r, p, tstyle, slot)
                size = int(value) / 2 if value and value.isdigit() else 10.0
                if size < min_pt:
                    small.setdefault((part, size, source), []).append(text)
            colour, source = pkg.run_value(r, p, tstyle, "color")
            if colour and re.fullmatch(r"[0-9A-Fa-f]{6}", colour):
                background = _background(r, p)
                ratio = contrast("#" + colour, background)
                if ratio < MIN_CONTRAST:
                    faint.setdefault((part, colour.upper(), background, source, round(ratio, 2)),
                                     []).append(text)
    for (part, size, source), texts in small.items():
        out.append((f"{len(texts)} run(s) of text at {size:g} pt ({source}), under {min_pt:g} pt"
                    f", e.g. “{_short(texts[0].strip())}”", part,
                    f"set the size to at least {min_pt:g} pt"))
    for (part, colour, background, source, ratio), texts in faint.items():
        out.append((f"{len(texts)} run(s) of text in #{colour} on {background} ({source}) have "
                    f"contrast {ratio}:1, under {MIN_CONTRAST}:1, e.g. “{_short(texts[0])}”",
                    part, "use a darker text colour"))
    return out


def evaluate(data: bytes, *, document: str, locale: str, output: str = "docx",
          min_pt: float = 11) -> list[CheckResult]:
    """One failed result per problem, or one passed result."""
    try:
        found = problems(Package(data), locale, min_pt)
    except ArtifactUnreadable as exc:
        return [CheckResult(CHECK, document, locale, output, "error", False, str(exc), None,
                            "rebuild the artifact")]
    if not found:
        return [CheckResult(CHECK, document, locale, output, "error", True,
                            "title, language, headings, alt text, table headers, list "
                            "numbering, spacing, text size and contrast pass",
                            metrics={"min_pt": min_pt})]
    return [CheckResult(CHECK, document, locale, output, "error", False, message, location,
                        hint) for message, location, hint in found]


def check(subject) -> list[CheckResult]:
    return evaluate(subject.data, document=subject.doc.id, locale=subject.doc.locale,
                    output=subject.output)
