"""PDF/UA-1 audit: the Matterhorn Protocol 1.1 machine-checkable conditions that apply to the
PDFs Plainpress produces, read with pikepdf alone and independent of the repair code in
`pipeline.render.pdf.tagging` (no shared helpers, so one cannot hide the other's mistake).

`audit(pdf_bytes)` returns `Problem`s (condition, message, 1-based page or None); `check(...)`
turns them into `pdf-ua` gate results. Condition numbers follow Matterhorn 1.1. Two checks are
not Matterhorn conditions and are named after the clause they enforce: `UA1-7.1` (MarkInfo
/Marked true) and `ISO32000-14.7.4.4` (the ParentTree maps each MCID to the element that owns
it, which assistive technology needs to go from content to structure). One is Plainpress's own:
`outline-panel` (a PDF with bookmarks opens with them shown, `/PageMode /UseOutlines`: the
headings are how a reader finds their way in a long article).

Checked: 01-003 01-004 01-005 01-007, 02-001 02-003 02-004, 06-001 06-002 06-003, 07-001
07-002, 09-004 09-005, 10-001, 11-001 11-002 11-004 11-006, 13-004, 14-002 14-003 14-006
14-007, 15-003, 17-002, 19-003 19-004, 20-001 20-002 20-003, 21-001, 26-001 26-002, 28-002
28-004 28-007 28-008 28-009 28-010 28-011 28-012 28-017, 30-001 30-002, 31-001 31-002 31-003
31-004 31-005 31-009 31-027 31-028 31-029 31-030.

Interpretations, stated so they can be argued with:
* 01-005: every painting operator (text showing, path painting, `sh`, image `Do`, inline image;
  not `n`) must sit inside an Artifact or inside marked content whose MCID is owned by a
  structure element reachable from StructTreeRoot (ParentTree entries alone do not count).
  MCIDs inside a form XObject are owned only through an MCR with `/Stm`.
* 15-003: a table is "organized with Headers and IDs" when it has TDs and every TD that has
  content lists in `/Headers` only IDs of TH cells of the same table. In such a table a TH
  needs no Scope unless no TD refers to it; in any other table every TH needs a Scope.
* 28-012: `/Contents` missing or empty fails; so does a Contents that is only the URI while
  the link's visible text is something else (the URL is not a description of the link).
* 31-027 exemptions for Type1/Type3 fonts are approximated: a standard named encoding exempts.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

import pikepdf
from pikepdf import Array, Dictionary, Name, Stream

from pipeline.model import CheckResult

STANDARD_TYPES = frozenset(
    "Document Part Art Sect Div BlockQuote Caption TOC TOCI Index NonStruct Private P H H1 H2 H3 "
    "H4 H5 H6 L LI Lbl LBody Table TR TH TD THead TBody TFoot Span Quote Note Reference BibEntry "
    "Code Link Annot Ruby RB RT RP Warichu WT WP Figure Formula Form".split())
CONDITIONS = tuple(sorted(set(re.findall(r"\b\d\d-\d\d\d\b", __doc__.split("Checked:")[1]
                                                           .split("Interpretations")[0]))))
_PAINT = {"Tj", "TJ", "'", '"', "S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "sh",
          "INLINE IMAGE"}
_XMP_NS = {"rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
           "dc": "http://purl.org/dc/elements/1.1/", "pdfuaid": "http://www.aiim.org/pdfua/ns/id/"}
_LANG = re.compile(r"^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$")
_HINTS = {
    "01-005": "Mark page furniture as artifacts (pipeline.render.pdf.tagging.repair) and avoid "
              "CSS opacity on text.",
    "13-004": "Give every image alt text (or an SVG a <title>); decorative images go in CSS.",
    "14-003": "Use heading levels in order in the source (## after #, ### after ##).",
    "11-001": "Set lang on <html> and pass the locale to repair().",
    "outline-panel": "Let pipeline.render.pdf.tagging.repair() set /PageMode /UseOutlines.",
}


@dataclass(frozen=True, slots=True)
class Problem:
    """One failed condition: `condition` is a Matterhorn number such as "06-003"."""

    condition: str
    message: str
    page: int | None = None


class _Audit:
    def __init__(self, pdf: pikepdf.Pdf):
        self.pdf, self.problems = pdf, []
        self.page_no = {p.objgen: i + 1 for i, p in enumerate(pdf.pages)}
        self.role_map = {}
        self.owner = {}  # (stream objgen, mcid) -> element
        self.annot_owner = {}  # annotation objgen -> element
        self.elements = []  # (element, standard type, inherited lang, page number)
        self.text = {}  # (stream objgen, mcid) -> decoded text
        self.fonts = {}  # font objgen -> (width, table or None, .notdef is code 0, name)
        self.lang_of = {}  # element objgen -> inherited language ("" when unknown)
        self.content_of = {}  # element objgen -> [(stream objgen, mcid) | child element]
        self.no_lang_pages = set()

    def fail(self, condition, message, page=None):
        label = f"Matterhorn {condition}" if condition[0].isdigit() else condition
        where = f" on page {page}" if page else ""
        self.problems.append(Problem(condition, f"{label}: {message}{where}", page))

    # ----------------------------------------------------------------------------- document
    def document(self):
        pdf, root = self.pdf, self.pdf.Root
        enc = pdf.trailer.get("/Encrypt")
        if isinstance(enc, Dictionary):
            if "/P" not in enc:
                self.fail("26-001", "the encryption dictionary has no P entry")
            elif not int(enc.P) & 512:
                self.fail("26-002", "encryption forbids extraction for accessibility (P bit 10)")
        mark = root.get("/MarkInfo", Dictionary())
        if mark.get("/Marked") is not True:
            self.fail("UA1-7.1", "MarkInfo /Marked is not true")
        if mark.get("/Suspects") is True:
            self.fail("01-007", "MarkInfo /Suspects is true")
        prefs = root.get("/ViewerPreferences", Dictionary())
        if "/DisplayDocTitle" not in prefs:
            self.fail("07-001", "ViewerPreferences has no DisplayDocTitle entry")
        elif prefs.DisplayDocTitle is not True:
            self.fail("07-002", "ViewerPreferences DisplayDocTitle is not true")
        if "/Outlines" in root and root.Outlines.get("/First") is not None and \
                root.get("/PageMode") != "/UseOutlines":
            self.fail("outline-panel", "the PDF has bookmarks but does not open with them shown "
                      "(catalog /PageMode is not /UseOutlines)")
        self.lang = str(root.get("/Lang", "")).strip()
        self.lang = self.lang if _LANG.match(self.lang) else ""
        meta = root.get("/Metadata")
        xmp = _xmp(meta.read_bytes()) if isinstance(meta, Stream) else None
        rdf, dc, ua = (f"{{{_XMP_NS[k]}}}" for k in ("rdf", "dc", "pdfuaid"))
        if xmp is None:
            self.fail("06-001", "the catalog has no (well-formed) XMP metadata stream")
            xmp = ET.Element("x")
        else:
            parts = [d.get(ua + "part") for d in xmp.iter(rdf + "Description")]
            parts += [e.text for e in xmp.iter(ua + "part")]
            if "1" not in [(p or "").strip() for p in parts]:
                self.fail("06-002", "XMP metadata has no PDF/UA identifier pdfuaid:part=1")
            if not any((li.text or "").strip() for t in xmp.iter(dc + "title")
                       for li in t.iter(rdf + "li")):
                self.fail("06-003", "XMP metadata has no dc:title")
        if not self.lang and not any((li.text or "").strip() for t in xmp.iter(dc + "language")
                                     for li in t.iter(rdf + "li")):
            self.fail("11-006", "the document language (catalog /Lang, dc:language) is missing")
        ocp = root.get("/OCProperties")
        if isinstance(ocp, Dictionary):
            for n, config in enumerate([ocp.get("/D"), *ocp.get("/Configs", Array())]):
                if isinstance(config, Dictionary):
                    if not str(config.get("/Name", "")):
                        self.fail("20-002" if n == 0 else "20-001",
                                  "an optional content configuration has no Name")
                    if "/AS" in config:
                        self.fail("20-003", "optional content config has an AS entry")
        names = root.get("/Names", Dictionary())
        if isinstance(names, Dictionary) and "/EmbeddedFiles" in names:
            for name, spec in pikepdf.NameTree(names.EmbeddedFiles).items():
                if not ("/F" in spec and "/UF" in spec):
                    self.fail("21-001", f"embedded file {name!r} lacks F or UF")
        form = root.get("/AcroForm", Dictionary())
        xfa = form.get("/XFA") if isinstance(form, Dictionary) else None
        parts = [xfa] if isinstance(xfa, Stream) else list(xfa)[1::2] if isinstance(xfa, Array) \
            else []
        if any(re.search(rb"<\s*dynamicRender[^>]*>\s*required", s.read_bytes()) for s in parts):
            self.fail("25-001", "XFA dynamicRender is required")

    # ----------------------------------------------------------------------------- structure
    def role(self, s) -> str:
        name, seen = str(s).lstrip("/"), set()
        while name not in STANDARD_TYPES and name in self.role_map and name not in seen:
            seen.add(name)
            name = self.role_map[name]
        return name

    def structure(self):
        tree = self.pdf.Root.get("/StructTreeRoot")
        if not isinstance(tree, Dictionary):
            self.fail("01-005", "the document has no structure tree (StructTreeRoot)")
            return
        rm = tree.get("/RoleMap", Dictionary())
        self.role_map = {str(k).lstrip("/"): str(v).lstrip("/") for k, v in rm.items()}
        for name in self.role_map:
            if name in STANDARD_TYPES:
                self.fail("02-004", f"standard type {name} is remapped")
            chain, current = [name], name
            while current in self.role_map and current not in STANDARD_TYPES:
                current = self.role_map[current]
                if current in chain:
                    self.fail("02-003", f"circular role mapping {' -> '.join(chain + [current])}")
                    break
                chain.append(current)
        kids = tree.get("/K")
        stack = [(k, None, self.lang, None) for k in reversed(_as_list(kids))]
        seen, ids = set(), {}
        while stack:
            node, parent, lang, pg = stack.pop()
            if not isinstance(node, Dictionary) or "/S" not in node:
                continue
            if node.is_indirect:
                if node.objgen in seen:
                    continue
                seen.add(node.objgen)
            own = str(node.get("/Lang", "")).strip()
            lang = own if _LANG.match(own) else lang
            pg = node.get("/Pg", pg)
            std = self.role(node.S)
            page = self.page_no.get(pg.objgen) if pg is not None else None
            if std not in STANDARD_TYPES:
                self.fail("02-001", f"structure type {node.S} has no standard type", page)
            self.elements.append((node, std, lang, page, parent))
            self.lang_of[node.objgen] = lang
            owned = self.content_of.setdefault(node.objgen, [])
            if std == "Note":
                nid = str(node.get("/ID", ""))
                if not nid:
                    self.fail("19-003", "a Note has no ID", page)
                elif nid in ids:
                    self.fail("19-004", f"Note ID {nid!r} is not unique", page)
                ids[nid] = node
            if std in ("Figure", "Formula") and "/Alt" not in node and "/ActualText" not in node:
                bbox = next((list(a.BBox) for a in _attrs(node) if "/BBox" in a), None)
                where = f" at {[round(float(v)) for v in bbox]}" if bbox else ""
                self.fail("13-004" if std == "Figure" else "17-002",
                          f"{std}{where} has no alternative text (Alt)", page)
            if ("/Alt" in node or "/ActualText" in node) and not lang:
                self.fail("11-002", f"language of the Alt/ActualText of {std} is unknown", page)
            for kid in reversed(_as_list(node.get("/K"))):
                if isinstance(kid, int):
                    if pg is not None:
                        self.owner[(pg.objgen, int(kid))] = node
                        owned.insert(0, (pg.objgen, int(kid)))
                elif isinstance(kid, Dictionary) and kid.get("/Type") == "/MCR":
                    stm, kpg = kid.get("/Stm"), kid.get("/Pg", pg)
                    where = stm if stm is not None else kpg
                    if where is not None and "/MCID" in kid:
                        self.owner[(where.objgen, int(kid.MCID))] = node
                        owned.insert(0, (where.objgen, int(kid.MCID)))
                elif isinstance(kid, Dictionary) and kid.get("/Type") == "/OBJR":
                    if kid.get("/Obj") is not None:
                        self.annot_owner[kid.Obj.objgen] = node
                else:
                    stack.append((kid, node, lang, pg))
                    if isinstance(kid, Dictionary) and "/S" in kid:
                        owned.insert(0, kid)

    def checks(self):
        """Structure checks that quote element text (run after the content walk)."""
        self.headings()
        for node, std, _, page, parent in self.elements:
            if std == "Table":
                self.table(node, page)
            self.nesting(node, std, page, parent)
        for node in self.owner.values():
            if not self.lang_of.get(node.objgen):
                pg = node.get("/Pg")
                self.no_lang_pages.add(self.page_no.get(pg.objgen) if pg is not None else None)
        for page in sorted(self.no_lang_pages, key=lambda p: p or 0):
            self.fail("11-001", "the natural language of tagged text cannot be determined", page)

    def text_of(self, node, depth=0) -> str:
        """The decoded text painted for a structure element and its descendants."""
        parts = [self.text.get(item, "") if isinstance(item, tuple) else
                 self.text_of(item, depth + 1) if depth < 64 else ""
                 for item in self.content_of.get(node.objgen, [])]
        return " ".join("".join(parts).split())

    def quote(self, node) -> str:
        text = self.text_of(node)
        return f" {text[:40]!r}" if text else ""

    def headings(self):
        previous, numbered, plain = 0, False, False
        for node, std, _, page, _ in self.elements:
            if std == "H":
                plain = True
                siblings = [k for k in _as_list(node.P.get("/K")) if isinstance(k, Dictionary)
                            and "/S" in k and self.role(k.S) == "H"] if "/P" in node else []
                if len(siblings) > 1 and siblings[0].objgen == node.objgen:
                    self.fail("14-006", "a structure node contains more than one H", page)
            if re.fullmatch(r"H[1-6]", std):
                level, numbered = int(std[1]), True
                if previous == 0 and level != 1:
                    self.fail("14-002", f"the first heading{self.quote(node)} is H{level}, not H1",
                              page)
                elif previous and level > previous + 1:
                    self.fail("14-003", f"heading level skipped from H{previous} to H{level} at"
                              f"{self.quote(node)}", page)
                previous = level
        if numbered and plain:
            self.fail("14-007", "the document uses both H and H1-H6")

    def nesting(self, node, std, page, parent):
        kids = [self.role(k.S) for k in _as_list(node.get("/K")) if isinstance(k, Dictionary)
                and "/S" in k and k.get("/Type") not in ("/MCR", "/OBJR")]
        up = self.role(parent.S) if parent is not None else None
        rules = {  # type: (allowed parents, allowed children)
            "L": (None, {"L", "LI", "Caption"}), "LI": ({"L"}, {"Lbl", "LBody"}),
            "LBody": ({"LI"}, None),
            "Table": (None, {"TR", "THead", "TBody", "TFoot", "Caption"}),
            "THead": ({"Table"}, {"TR"}), "TBody": ({"Table"}, {"TR"}),
            "TFoot": ({"Table"}, {"TR"}),
            "TR": ({"Table", "THead", "TBody", "TFoot"}, {"TH", "TD"}), "TH": ({"TR"}, None),
            "TD": ({"TR"}, None)}
        if std not in rules:
            return
        parents, children = rules[std]
        cond = "09-005" if std in ("L", "LI", "LBody") else "09-004"
        if parents and up not in parents:
            self.fail(cond, f"{std} is inside {up}, expected {' or '.join(sorted(parents))}", page)
        for kid in kids:
            if children and kid not in children:
                self.fail(cond, f"{std} contains {kid}", page)
        if std == "Table" and "Caption" in kids[1:-1]:
            self.fail(cond, "a table Caption is neither the first nor the last child", page)

    def table(self, table, page):
        cells = []
        for kid in _elems(table):
            if self.role(kid.S) == "TR":
                cells += _elems(kid)
            elif self.role(kid.S) in ("THead", "TBody", "TFoot"):
                cells += [c for tr in _elems(kid) if self.role(tr.S) == "TR" for c in _elems(tr)]
        ths = [c for c in cells if self.role(c.S) == "TH"]
        tds = [c for c in cells if self.role(c.S) == "TD" and _as_list(c.get("/K"))]
        ids = {str(th.ID) for th in ths if "/ID" in th}
        refs = [[str(h) for a in _attrs(td) for h in _as_list(a.get("/Headers"))] for td in tds]
        organized = bool(tds) and all(r and set(r) <= ids for r in refs)
        referenced = {h for r in refs for h in r}
        for th in ths:
            if any("/Scope" in a for a in _attrs(th) if a.get("/O") == "/Table"):
                continue
            if not organized or str(th.get("/ID", "")) not in referenced:
                why = "and no TD refers to it by /Headers" if organized else \
                    "in a table not organized with Headers and IDs"
                self.fail("15-003", f"TH{self.quote(th)} has no Scope {why}", page)

    # ----------------------------------------------------------------------------- content
    def font(self, font):
        key = font.objgen if font.is_indirect else None
        if key is not None and key in self.fonts:
            return self.fonts[key]
        sub = font.get("/Subtype")
        cid = sub == "/Type0" and "/DescendantFonts" in font
        desc_font = font.DescendantFonts[0] if cid else font
        fd = desc_font.get("/FontDescriptor", Dictionary())
        name = str(font.get("/BaseFont", key))
        if sub != "/Type3" and not any(k in fd for k in ("/FontFile", "/FontFile2", "/FontFile3")):
            self.fail("31-009", f"font {name} is not embedded")
        if desc_font.get("/Subtype") == "/CIDFontType2":
            gid = desc_font.get("/CIDToGIDMap")
            if gid is None:
                self.fail("31-005", f"CID font {name} has no CIDToGIDMap")
            elif not (isinstance(gid, Stream) or gid == "/Identity"):
                self.fail("31-004", f"CID font {name} has an invalid CIDToGIDMap")
        enc = font.get("/Encoding")
        if sub == "/Type0" and isinstance(enc, Stream) and "/CIDSystemInfo" in enc:
            a, b = enc.CIDSystemInfo, desc_font.get("/CIDSystemInfo", Dictionary())
            for cond, field in (("31-001", "/Registry"), ("31-002", "/Ordering")):
                if str(a.get(field)) != str(b.get(field)):
                    self.fail(cond, f"font {name}: CMap and CIDFont {field[1:]} differ")
            if int(b.get("/Supplement", 0)) < int(a.get("/Supplement", 0)):
                self.fail("31-003", f"font {name}: CIDFont Supplement is lower than the CMap's")
        width, table = (2 if sub == "/Type0" else 1), None
        if isinstance(font.get("/ToUnicode"), Stream):
            width, table = _cmap(font.ToUnicode.read_bytes(), width)
            if any(v == "\x00" for v in table.values()):
                self.fail("31-028", f"font {name}: ToUnicode maps a code to U+0000")
            if any(v in ("\ufeff", "\ufffe") for v in table.values()):
                self.fail("31-029", f"font {name}: ToUnicode maps a code to U+FEFF or U+FFFE")
        else:
            info = desc_font.get("/CIDSystemInfo", Dictionary())
            exempt = (enc in ("/WinAnsiEncoding", "/MacRomanEncoding", "/MacExpertEncoding")
                      or (isinstance(enc, Dictionary) and enc.get("/BaseEncoding") is not None
                          and sub in ("/Type1", "/Type3"))
                      or (sub == "/Type0" and str(info.get("/Registry")) == "Adobe"
                          and str(info.get("/Ordering")) in ("GB1", "CNS1", "Japan1", "Korea1"))
                      or (sub == "/TrueType" and not int(fd.get("/Flags", 4)) & 4))
            if not exempt:
                self.fail("31-027", f"font {name} has no ToUnicode map")
        notdef = desc_font.get("/CIDToGIDMap") == "/Identity" and enc == "/Identity-H"
        self.fonts[key] = (width, table, notdef, name)
        return width, table, notdef, name

    def content(self):
        self.untagged, self.forms, self.unmapped = {}, {}, {}
        for page in self.pdf.pages:
            number = self.page_no[page.objgen]
            self.walk(page, page.get("/Resources", Dictionary()), page.objgen, [], number, 0)
            sp, annots = page.get("/StructParents"), page.get("/Annots", Array())
            if len(annots) and page.get("/Tabs") is None:
                self.fail("28-008", "a page with annotations has no Tabs entry", number)
            elif len(annots) and page.Tabs != "/S":
                self.fail("28-009", f"Tabs is {page.Tabs}, not /S", number)
            self.parent_tree_check(page.objgen, sp, number)
            for annot in annots:
                self.annotation(annot, number)
        for page, (count, sample) in sorted(self.untagged.items(), key=lambda x: x[0] or 0):
            hint = f" (e.g. text {sample!r})" if sample else ""
            self.fail("01-005", f"{count} painting operator(s) are neither tagged content "
                      f"reachable from the structure tree nor artifacts{hint}", page)
        for (page, name), codes in sorted(self.unmapped.items()):
            if codes:
                shown = ", ".join(f"{c:04X}" for c in sorted(codes)[:5])
                self.fail("10-001", f"{len(codes)} character code(s) of font {name} have no "
                          f"Unicode mapping ({shown})", page or None)
        for key, (uses, has_mcid) in self.forms.items():
            if uses > 1 and has_mcid:
                self.fail("30-002", f"form XObject {key[0]} has MCIDs and is used {uses} times")

    def walk(self, stream, resources, key, marked, page, depth):
        font = None
        for ins in pikepdf.parse_content_stream(stream):
            op, args = str(ins.operator), list(ins.operands)
            if op in ("BDC", "BMC"):
                props = args[1] if op == "BDC" and len(args) > 1 else None
                if isinstance(props, Name):
                    props = resources.get("/Properties", Dictionary()).get(props)
                mcid = props.get("/MCID") if isinstance(props, Dictionary) else None
                if args[0] == "/Artifact":
                    if any(m[0] == "mcid" for m in marked):
                        self.fail("01-003", "an Artifact is nested inside tagged content", page)
                    marked = [*marked, ("artifact", None)]
                elif mcid is not None:
                    if any(m[0] == "artifact" for m in marked):
                        self.fail("01-004", f"tagged content (MCID {mcid}) is inside an Artifact",
                                  page)
                    marked = [*marked, ("mcid", (key, int(mcid)))]
                else:
                    marked = [*marked, ("other", None)]
            elif op == "EMC" and marked:
                marked = marked[:-1]
            elif op == "Tf":
                fonts = resources.get("/Font", Dictionary())
                font = self.font(fonts[args[0]]) if args[0] in fonts else None
            elif op == "Do":
                xobj = resources.get("/XObject", Dictionary()).get(args[0])
                if isinstance(xobj, Stream) and xobj.get("/Subtype") == "/Form":
                    if "/Ref" in xobj:
                        self.fail("30-001", "a reference XObject is present", page)
                    uses, _ = self.forms.get(xobj.objgen, (0, False))
                    has = b"MCID" in xobj.read_bytes()
                    self.forms[xobj.objgen] = (uses + 1, has)
                    if depth < 8:
                        self.parent_tree_check(xobj.objgen, xobj.get("/StructParents"), page)
                        self.walk(xobj, xobj.get("/Resources", resources), xobj.objgen, marked,
                                  page, depth + 1)
                    continue
                op = "INLINE IMAGE"
            if op not in _PAINT:
                continue
            text = ""
            if op in ("Tj", "TJ", "'", '"') and font is not None:
                text = self.decode(font, args[0] if op == "TJ" else [args[-1]], page)
            if any(m[0] == "artifact" for m in marked):
                continue
            tag = next((m[1] for m in reversed(marked) if m[0] == "mcid"), None)
            if tag is not None and tag in self.owner:
                self.text[tag] = self.text.get(tag, "") + text
                continue
            count, sample = self.untagged.get(page, (0, ""))
            self.untagged[page] = (count + 1, sample or text.strip()[:40])

    def decode(self, font, items, page) -> str:
        width, table, notdef, name = font
        raw = b"".join(bytes(s) for s in items if isinstance(s, pikepdf.String))
        codes = [int.from_bytes(raw[i:i + width], "big") for i in range(0, len(raw), width)]
        if notdef and 0 in codes:
            self.fail("31-030", f"text in font {name} uses the .notdef glyph", page)
        if table is None:
            return raw.decode("latin-1") if width == 1 else ""
        missing = self.unmapped.setdefault((page or 0, name), set())
        missing.update(c for c in codes if c not in table)
        return "".join(table.get(c, "") for c in codes)

    def parent_tree_check(self, stream_key, sp, page):
        tree = self.pdf.Root.get("/StructTreeRoot", Dictionary()).get("/ParentTree")
        if tree is None:
            return
        slots = pikepdf.NumberTree(tree).get(int(sp)) if sp is not None else None
        for (key, mcid), node in self.owner.items():
            if key != stream_key:
                continue
            entry = slots[mcid] if isinstance(slots, Array) and mcid < len(slots) else None
            if not (isinstance(entry, Dictionary) and entry.objgen == node.objgen):
                self.fail("ISO32000-14.7.4.4", f"the ParentTree does not map MCID {mcid} to its "
                          "structure element", page)

    def annotation(self, annot, page):
        sub = str(annot.get("/Subtype", ""))
        owner = self.annot_owner.get(annot.objgen)
        std = self.role(owner.S) if owner is not None else None
        if sub == "/TrapNet":
            self.fail("28-007", "a TrapNet annotation is present", page)
        if sub == "/PrinterMark":
            if owner is not None:
                self.fail("28-017", "a PrinterMark annotation is in the structure tree", page)
            return
        if sub == "/Popup":
            return
        if sub == "/Link" and std != "Link":
            self.fail("28-011", f"a link annotation is not nested in a Link element ({std})", page)
        elif sub == "/Widget" and std != "Form":
            self.fail("28-010", f"a widget annotation is not nested in a Form element ({std})",
                      page)
        elif sub not in ("/Link", "/Widget") and std != "Annot":
            self.fail("28-002", f"a {sub[1:]} annotation is not a child of an Annot element", page)
        contents = str(annot.get("/Contents", "")).strip()
        if sub != "/Widget" and not contents and (owner is None or "/Alt" not in owner):
            self.fail("28-012" if sub == "/Link" else "28-004",
                      f"a {sub[1:]} annotation has no Contents (alternate description)", page)
        if contents and owner is not None:
            if not self.lang_of.get(owner.objgen):
                self.fail("11-004", "the language of an annotation's Contents is unknown", page)
        action = annot.get("/A") if isinstance(annot.get("/A"), Dictionary) else Dictionary()
        dest = annot.get("/Dest", action.get("/D"))
        targets = {str(action.get("/URI", ""))} | ({str(dest), f"#{dest}"} if dest is not None
                                                   and not isinstance(dest, Array) else set())
        if sub == "/Link" and contents in targets and owner is not None:
            visible = self.text_of(owner)
            if visible and not any(visible in t for t in targets):
                self.fail("28-012", f"link Contents is the link target, not a description of "
                          f"{visible!r}", page)


def _as_list(value) -> list:
    return [] if value is None else list(value) if isinstance(value, Array) else [value]


def _elems(node) -> list:
    return [k for k in _as_list(node.get("/K")) if isinstance(k, Dictionary) and "/S" in k
            and k.get("/Type") not in ("/MCR", "/OBJR")]


def _attrs(node) -> list:
    return [a for a in _as_list(node.get("/A")) if isinstance(a, Dictionary)]


def _xmp(data: bytes):
    """The parsed x:xmpmeta (or rdf:RDF) element of an XMP packet, or None."""
    match = re.search(rb"<(\w+:)?xmpmeta.*</(\w+:)?xmpmeta>|<rdf:RDF.*</rdf:RDF>", data, re.S)
    try:
        return ET.fromstring(match.group(0)) if match else None
    except ET.ParseError:
        return None


def _cmap(data: bytes, width: int) -> tuple[int, dict[int, str]]:
    """Parse a ToUnicode CMap: (code width in bytes, code -> text)."""
    space = re.search(rb"begincodespacerange\s*<([0-9A-Fa-f]+)>", data)
    width = len(space.group(1)) // 2 if space else width
    table: dict[int, str] = {}

    def text(hexa: bytes) -> str:
        return bytes.fromhex(hexa.decode()).decode("utf-16-be", "replace")

    for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
        for src, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>", block):
            table[int(src, 16)] = text(dst)
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.S):
        for lo, hi, dst in re.findall(
                rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(<[0-9A-Fa-f]*>|\[[^\]]*\])", block):
            lo_i, hi_i = int(lo, 16), int(hi, 16)
            if dst.startswith(b"["):
                for i, item in enumerate(re.findall(rb"<([0-9A-Fa-f]*)>", dst)):
                    table[lo_i + i] = text(item)
            else:
                for i in range(min(hi_i - lo_i + 1, 65536)):
                    table[lo_i + i] = text(b"%0*x" % (len(dst) - 2, int(dst[1:-1], 16) + i))
    return width, table


def audit(pdf_bytes: bytes) -> list[Problem]:
    """Every machine-checkable PDF/UA-1 problem found in `pdf_bytes`, sorted."""
    try:
        pdf = pikepdf.open(io.BytesIO(pdf_bytes))
    except pikepdf.PdfError as error:
        return [Problem("PDF", f"not a readable PDF: {error}")]
    with pdf:
        run = _Audit(pdf)
        run.document()
        run.structure()
        run.content()
        run.checks()
    unique = {(p.condition, p.page, p.message): p for p in run.problems}
    return [unique[k] for k in sorted(unique, key=lambda k: (k[1] or 0, k[0], k[2]))]


def evaluate(data: bytes, *, document: str, locale: str, output: str) -> list[CheckResult]:
    """The `pdf-ua` gate: one failed error result per problem, or one passed result."""
    metrics = {"conditions_checked": len(CONDITIONS) + 3}
    problems = audit(data)
    if not problems:
        return [CheckResult("pdf-ua", document, locale, output, "error", True,
                            f"PDF/UA-1: no problems in {metrics['conditions_checked']} "
                            "machine-checkable conditions", metrics=metrics)]
    return [CheckResult("pdf-ua", document, locale, output, "error", False, p.message,
                        hint=_HINTS.get(p.condition),
                        metrics={**metrics, "condition": p.condition, "page": p.page})
            for p in problems]


def check(subject) -> list[CheckResult]:
    return evaluate(subject.data, document=subject.doc.id, locale=subject.doc.locale,
                    output=subject.output)
