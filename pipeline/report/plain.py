"""The report's plain-language section: per document and locale, the handout's structure score,
its flagged words and sentences with their source lines, and the handout's text as an editor
shows it (long sentences, rare words with their plainer word, the passive voice marked).

Why apart from page.py: it reads one gate's summary (`plain-language-summary`, whose metrics
carry every sentence and finding) and cuts each sentence into marked pieces, which the template
only prints (autoescaped), so the page stays the same bytes for the same report.
"""

from __future__ import annotations

import re

from pipeline.outputs import OUTPUTS, Part

SUMMARY = "plain-language-summary"
HANDOUTS = [row.kind.value for row in OUTPUTS if row.part is Part.HANDOUT]
KIND_LABELS = {"rare": "Rare word", "long": "Long sentence", "passive": "Passive voice",
               "plainer": "Plainer word"}


def _fold(text: str) -> str:
    """Arabic short-vowel marks and tatweel dropped, as the gate compares words."""
    return re.sub(r"[\u064b-\u065f\u0670\u0640]", "", text)


def pieces(line: dict) -> list[dict]:
    """The sentence cut into {text, kind, note} pieces: `rare`, `plainer` and `passive` spans
    marked, the rest plain (kind None). A word the text does not spell as the gate saw it
    (Arabic marks) is listed under the sentence but not marked inside it."""
    text = line.get("text", "")
    folded = _fold(text)
    if len(folded) != len(text):
        return [{"text": text, "kind": None, "note": ""}]
    spans: list[tuple[int, int, str, str]] = []
    plainer = {p["word"].lower(): p["suggestion"] for p in line.get("plainer", [])}
    marks = [(p["word"], "plainer", f"plainer: {p['suggestion']}")
             for p in line.get("plainer", [])]
    marks += [(word, "rare", f"rare; plainer: {plainer[word]}" if word in plainer else "rare word")
              for word in dict.fromkeys(line.get("rare", [])) if word not in plainer]
    if line.get("passive"):
        marks.append((line["passive"], "passive", "passive voice"))
    for word, kind, note in marks:
        found = re.search(re.escape(word), text, re.I)
        if not found:
            continue
        start, end = found.span()
        if any(start < b and a < end for a, b, _, _ in spans):
            continue
        spans.append((start, end, kind, note))
    out, at = [], 0
    for start, end, kind, note in sorted(spans):
        if start > at:
            out.append({"text": text[at:start], "kind": None, "note": ""})
        out.append({"text": text[start:end], "kind": kind, "note": note})
        at = end
    if at < len(text):
        out.append({"text": text[at:], "kind": None, "note": ""})
    return out


def section(checks: list[dict], documents: list[str], locale_of) -> list[dict]:
    """[{document, rows: [one per locale]}] from the standard handout's summary (the large
    print's when only that was built); `locale_of(code)` gives a locale's name, lang and dir."""
    chosen: dict[tuple, dict] = {}
    for check in checks:
        if check.get("check") != SUMMARY or check.get("output") not in HANDOUTS:
            continue
        key = (check.get("document"), check.get("locale"))
        current = chosen.get(key)
        if current is None or (HANDOUTS.index(check["output"])
                               < HANDOUTS.index(current["output"])):
            chosen[key] = check
    out = []
    for doc in documents:
        rows = []
        for (document, code), check in chosen.items():
            if document != doc:
                continue
            m = check.get("metrics") or {}
            lines = m.get("lines", [])
            rows.append({
                "locale": locale_of(code), "output": check.get("output"),
                "score": m.get("score"), "not_a_grade": bool(m.get("not_a_grade")),
                "structure": m.get("items", []),
                "failing": [i for i in m.get("items", []) if not i.get("passed")],
                "stats": m, "message": check.get("message", ""),
                "findings": [{**f, "label": KIND_LABELS.get(f.get("kind"), f.get("kind"))}
                             for f in m.get("findings", [])],
                "lines": [{**line, "pieces": pieces(line),
                           "flagged": bool(line.get("long") or line.get("passive")
                                           or line.get("rare") or line.get("plainer"))}
                          for line in lines]})
        if rows:
            out.append({"document": doc, "rows": rows})
    return out
