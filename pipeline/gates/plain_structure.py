"""The structure items of the CDC Clear Communication Index and PEMAT-P that a machine can check
on a handout, scored as the indexes score: items met / items applicable.

Why only these: most items of both indexes need a reader's judgement (is the main message
the one a patient needs?). These seven can be read from the model and the rendered page: the
main message (the key-points box) in the first screen — the first third of page 1's text; at
most five main messages; an action for the reader (a "What you can do" heading, or a list of
instructions); informative headings (not a single noun); steps as lists, not as "first … then
… finally" prose; numbers written as numerals; a summary (the key-points box serves as one,
which PEMAT-P allows at the start as well as at the end).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline import model as m
from pipeline.gates.plain_text import HAN, lang_of
from pipeline.read.markdown import plain
from pipeline.readback.text import squash

MAX_MAIN_MESSAGES = 5
FIRST_SCREEN = 1 / 3
"""The key points must start within this share of page 1's text."""

ACTION_HEADING = {
    "en": r"\bwhat (?:you|to) (?:can |should )?do\b|\bsteps you can\b|\bhow (?:to|you can)\b",
    "es": r"\bqué (?:puede|puedes|debe) hacer\b|\blo que (?:usted )?puede hacer\b|\bqué hacer\b",
    "ar": r"ما (?:الذي )?يمكنك|ماذا (?:يمكنك|تفعل|تستطيع)|ما تستطيع",
    "zh": r"您可以|你可以|可以做|怎么做|如何",
}
IMPERATIVE = {
    "en": r"^(?:tell|ask|call|take|stay|avoid|do not|don't|talk|keep|make|write|bring|see|"
          r"eat|drink|stop|start|try|get|go|check|use|read|plan)\b",
    "es": r"^(?:dígale|diga|pregunte|llame|tome|evite|no (?:deje|tome|use)|hable|mantenga|"
          r"escriba|traiga|consulte|use|pida)\b",
    "ar": r"^(?:أخبر|اسأل|اتصل|تناول|ابتعد|تجنّب|تجنب|لا ت|تحدّث|تحدث|احتفظ|اكتب|استشر)",
    "zh": r"^(?:告诉|问|询问|联系|服用|远离|避免|不要|和|与|记住|写下|咨询)",
}
STEP_MARKERS = {
    "en": r"\b(?:first|then|next|after that|afterwards|finally|lastly|second|third)\b",
    "es": r"\b(?:primero|luego|después|a continuación|finalmente|por último|segundo|tercero)\b",
    "ar": r"(?:أولاً|أولا|ثانيًا|ثانياً|ثانيا|ثم|بعد ذلك|أخيرًا|أخيراً|أخيرا)",
    "zh": r"(?:首先|然后|接着|之后|最后|其次|第二|第三)",
}
SPELLED_NUMBERS = {
    "en": r"\b(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|"
          r"fifty|hundred|thousand)\b",
    "es": r"\b(?:dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|once|doce|veinte|treinta|"
          r"cuarenta|cincuenta|cien|mil)\b",
    "ar": r"(?<!\w)(?:[وب])?(?:اثنان|اثنين|اثنتان|اثنتين|ثلاثة|ثلاث|أربعة|أربع|خمسة|خمس|ستة|"
          r"سبعة|سبع|ثمانية|تسعة|تسع|عشرة|عشرين|مئة|مائة|ألف)(?!\w)",
    "zh": r"[两二三四五六七八九十百千]+[个种次天周年岁位名项条步]",
}


@dataclass(frozen=True, slots=True)
class Item:
    """One index item: met or not, why, and where to fix it."""

    id: str
    label: str
    passed: bool
    detail: str = ""
    location: str | None = None

    def record(self) -> dict:
        return {"id": self.id, "label": self.label, "passed": self.passed,
                "detail": self.detail, "location": self.location}


def _key_points(doc: m.Document) -> m.KeyPoints | None:
    return next((b for b in doc.handout if isinstance(b, m.KeyPoints)), None)


def _texts(block) -> list[str]:
    """The plain text of every paragraph, heading or item under a block."""
    if isinstance(block, (m.Paragraph, m.Heading)):
        return [plain(block.inlines)]
    inner = (block.items if isinstance(block, (m.BulletList, m.OrderedList))
             else getattr(block, "blocks", ()))
    return [text for child in inner for text in _texts(child)]


def _messages(box: m.KeyPoints) -> int:
    lists = [b for b in box.blocks if isinstance(b, (m.BulletList, m.OrderedList))]
    return sum(len(b.items) for b in lists) or sum(1 for b in box.blocks
                                                   if isinstance(b, m.Paragraph))


def first_screen(doc: m.Document, pages: list[tuple[int, str]] | None) -> Item:
    """The key points start in the first third of page 1's text (as rendered), or, without
    a rendered page, are the first block of the handout."""
    label = "Main message (key points) in the first screen"
    box = _key_points(doc)
    where = str(doc.handout_loc)
    if box is None:
        return Item("main-message-first", label, False, "no key-points box", where)
    where = str(box.loc)
    texts = _texts(box)
    if pages is None or not texts:
        first = doc.handout.index(box) == 0
        return Item("main-message-first", label, first,
                    "" if first else "the key-points box is not the first block", where)
    target = squash(texts[0])[:40]
    page_one = [squash(text) for page, text in pages if page == 1]
    before, total, found = 0, sum(len(t) for t in page_one), False
    for text in page_one:
        if target and target in text:
            found = True
            break
        before += len(text)
    if not found:
        page = next((page for page, text in pages if target in squash(text)), None)
        return Item("main-message-first", label, False,
                    f"the key points start on page {page}" if page else
                    "the key points are not on page 1", where)
    share = before / total if total else 0
    ok = share <= FIRST_SCREEN
    return Item("main-message-first", label, ok, "" if ok else
                f"the key points start {share:.0%} of the way down page 1's text "
                f"(at most {FIRST_SCREEN:.0%})", where)


def items(doc: m.Document, pages: list[tuple[int, str]] | None) -> list[Item]:
    """Every checkable item for a handout, in the order the report lists them."""
    lang = lang_of(doc.locale)
    box = _key_points(doc)
    out = [first_screen(doc, pages)]
    count = _messages(box) if box else 0
    out.append(Item("few-main-messages", f"No more than {MAX_MAIN_MESSAGES} main messages",
                    0 < count <= MAX_MAIN_MESSAGES,
                    f"{count} key points" if count else "no key points marked",
                    str(box.loc) if box else str(doc.handout_loc)))

    headings = [b for b in doc.handout if isinstance(b, m.Heading)]
    action = any(re.search(ACTION_HEADING.get(lang, ACTION_HEADING["en"]), plain(h.inlines),
                           re.I) for h in headings)
    if not action:  # a list of instructions counts too ("Tell your doctor …")
        pattern = IMPERATIVE.get(lang, IMPERATIVE["en"])
        for block in doc.handout:
            if isinstance(block, (m.BulletList, m.OrderedList)):
                starts = [re.search(pattern, text.strip(), re.I) for text in _texts(block)]
                if len(starts) >= 2 and sum(1 for s in starts if s) * 2 > len(starts):
                    action = True
    out.append(Item("action", "At least one action the reader can take", action,
                    "" if action else "no “What you can do” section or list of instructions",
                    str(doc.handout_loc)))

    vague = []
    for heading in headings:
        text = plain(heading.inlines).strip()
        size = (sum(1 for ch in text if HAN.match(ch)) if lang == "zh"
                else len(re.findall(r"\w+", text)))
        if size < (3 if lang == "zh" else 2) and not text.endswith(("?", "？", "؟")):
            vague.append((text, str(heading.loc)))
    out.append(Item("informative-headings", "Headings say something (not a single noun)",
                    not vague, "; ".join(f"“{t}”" for t, _ in vague),
                    vague[0][1] if vague else None))

    prose_steps = [b for b in doc.handout if isinstance(b, m.Paragraph) and len(re.findall(
        STEP_MARKERS.get(lang, STEP_MARKERS["en"]), plain(b.inlines), re.I)) >= 3]
    out.append(Item("lists-for-steps", "Steps are written as lists", not prose_steps,
                    "a paragraph tells steps in prose (first … then … finally)"
                    if prose_steps else "", str(prose_steps[0].loc) if prose_steps else None))

    spelled = []
    for block in doc.handout:
        for text in _texts(block):
            spelled += [(found, str(block.loc)) for found in re.findall(
                SPELLED_NUMBERS.get(lang, SPELLED_NUMBERS["en"]), text, re.I)]
    out.append(Item("numbers-as-numerals", "Numbers are written as numerals", not spelled,
                    ", ".join(dict.fromkeys(f"“{n}”" for n, _ in spelled)),
                    spelled[0][1] if spelled else None))

    out.append(Item("summary", "A summary of the main messages", box is not None and count > 0,
                    "" if box else "no key-points box to sum up the handout",
                    str(box.loc) if box else str(doc.handout_loc)))
    return out


def score(found: list[Item]) -> int:
    """Percent of items met, as CDC CCI and PEMAT report it."""
    return round(100 * sum(1 for item in found if item.passed) / len(found)) if found else 0
