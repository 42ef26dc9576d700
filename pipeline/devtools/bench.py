"""`make bench`: the pipeline measured on a generated catalog, against bare WeasyPrint and pandoc.

Builds a catalog of N copies of every document of this project (default 50) in a temporary
folder, with this project's locales and translations, and prints from one run: cold build time
(`--jobs 1` and `--jobs 2`), no-op rebuild, one-PO-edit rebuild, time per artifact for each
output kind, our PDF time against bare WeasyPrint rendering the same HTML in the same warm
process, our DOCX time against `pandoc -o x.docx` on the same Markdown, peak RSS per worker,
and how a 10× longer document scales. Results go to `build/bench.json`.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def make_catalog(root: Path, target: Path, copies: int) -> list[str]:
    """A project in `target` with `copies` copies of each document (and its PO files)."""
    for name in ("styles", "source/_shared", "pyproject.toml"):
        src = root / name
        (shutil.copytree if src.is_dir() else shutil.copy)(src, target / name)
    ids = []
    for source in sorted((root / "source").glob("*.md")):
        if source.name.startswith("_"):
            continue
        for number in range(copies):
            doc_id = f"{source.stem}-{number:03d}"
            ids.append(doc_id)
            shutil.copy(source, target / "source" / f"{doc_id}.md")
            for po in (root / "locales").glob(f"*/LC_MESSAGES/{source.stem}.po"):
                dest = target / po.relative_to(root).parent / f"{doc_id}.po"
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy(po, dest)
    for po in (root / "locales").glob("*/LC_MESSAGES/*.po"):
        if po.stem in ("shared", "ui"):
            dest = target / po.relative_to(root)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(po, dest)
    return ids


def wall(command: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def warm_pdf_ratio(project_root: Path, repeats: int = 5) -> dict:
    """Per PDF: the whole pipeline (render, repair, gates) against bare WeasyPrint on the
    same HTML, both in this warm process with reused font configuration."""
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration

    from pipeline.build import Selection, load_project
    from pipeline.gates.run import gate
    from pipeline.gates.subject import Subject
    from pipeline.model import Artifact
    from pipeline.outputs import output
    from pipeline.render import Renderers
    from pipeline.render.html import render_article, stamp
    from pipeline.settings.labels import Labels

    project = load_project(project_root, Selection())
    doc = project.documents[0]
    renderers = Renderers(project.config, project.theme)
    row = output("pdf")
    labels = Labels()
    html = render_article(doc, renderers.context(project.config.page_size), labels,
                          for_print=True)
    fonts = FontConfiguration()
    base = project_root.resolve().as_uri() + "/"

    def bare():
        weasyprint.HTML(string=html, base_url=base).write_pdf(pdf_variant="pdf/ua-1",
                                                               font_config=fonts)

    def ours():
        data = renderers.render(doc, row, labels, project.config.page_size)
        gate(Subject(doc, row, Artifact(doc.id, doc.locale, "pdf", "x.pdf", data), labels,
                     stamp(doc, labels), project.config, project.theme))

    bare(), ours()  # warm both
    times = {}
    for name, fn in (("bare_weasyprint", bare), ("pipeline", ours)):
        runs = []
        for _ in range(repeats):
            start = time.perf_counter()
            fn()
            runs.append(time.perf_counter() - start)
        times[name] = statistics.median(runs)
    return {"bare_weasyprint_s": round(times["bare_weasyprint"], 4),
            "pipeline_s": round(times["pipeline"], 4),
            "ratio": round(times["pipeline"] / times["bare_weasyprint"], 2)}


def pandoc_docx_seconds(markdown: Path, repeats: int = 5) -> float | None:
    try:
        import pypandoc
        pandoc = pypandoc.get_pandoc_path()
    except (ImportError, OSError):
        pandoc = shutil.which("pandoc")
    if not pandoc:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        runs = [wall([pandoc, str(markdown), "-o", str(Path(tmp) / "x.docx")], Path(tmp))
                for _ in range(repeats)]
    return statistics.median(runs)


def scaling(project_root: Path) -> dict:
    """Read + localize + render the article (html, pdf, docx) at 1× and 10× its length."""
    from pipeline.build import Selection, build

    out = {}
    source = next(p for p in sorted((project_root / "source").glob("*.md"))
                  if not p.name.startswith("_"))
    text = source.read_text("utf-8")
    head, handout_start = text.split("::::", 1)[0], text.index("::::")
    front_end = text.index("---", 3) + 3
    body = text[front_end:handout_start]
    for factor in (1, 10):
        with tempfile.TemporaryDirectory() as tmp:
            target = Path(tmp)
            make_catalog(project_root, target, 0)
            long_text = text[:front_end] + body * factor + text[handout_start:]
            (target / "source" / "long.md").write_text(long_text, "utf-8")
            start = time.perf_counter()
            build(target, Selection(formats=("html", "pdf", "docx"), locales=("en",)), jobs=1)
            out[f"{factor}x_s"] = round(time.perf_counter() - start, 2)
    del head
    out["ratio"] = round(out["10x_s"] / out["1x_s"], 2)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipeline.devtools.bench")
    parser.add_argument("--copies", type=int, default=50)
    parser.add_argument("--root", type=Path, default=Path.cwd())
    args = parser.parse_args(argv)
    root = args.root.resolve()
    exe = [sys.executable, "-m", "pipeline.cli"]
    results: dict = {"copies": args.copies}
    with tempfile.TemporaryDirectory(prefix="plainpress-bench-") as tmp:
        catalog = Path(tmp) / "catalog"
        (catalog / "source").mkdir(parents=True)
        ids = make_catalog(root, catalog, args.copies)
        results["documents"] = len(ids)
        from pipeline.build import build
        timings = {}
        for jobs in (1, 2):
            shutil.rmtree(catalog / "build", ignore_errors=True)
            start = time.perf_counter()
            result = build(catalog, jobs=jobs)
            timings[jobs] = time.perf_counter() - start
            if jobs == 2:
                per_output = {k: round(statistics.mean(v), 4)
                              for k, v in result.timings["seconds_per_output"].items()}
                results["seconds_per_artifact"] = per_output
                results["artifacts"] = len(result.outcomes)
                results["published"] = sum(o.published for o in result.outcomes)
        results["cold_jobs1_s"] = round(timings[1], 1)
        results["cold_jobs2_s"] = round(timings[2], 1)
        results["jobs2_speedup"] = round(timings[1] / timings[2], 2)
        results["peak_rss_worker_mb"] = round(
            resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1)
        results["noop_rebuild_s"] = round(wall([*exe, "build", "-q"], catalog), 3)
        po = next(catalog.glob("locales/es/LC_MESSAGES/*-000.po"))
        po.write_text(po.read_text("utf-8") + "\n", "utf-8")
        start = time.perf_counter()
        edited = build(catalog, jobs=2)
        results["po_edit_rebuild_s"] = round(time.perf_counter() - start, 2)
        rebuilt = sorted(o.filename for o in edited.outcomes if o.status != "reused")
        results["po_edit_rebuilt"] = {"count": len(rebuilt), "locales": sorted(
            {name.split("/")[0] for name in rebuilt}), "documents": sorted(
            {name.split("/")[1].rsplit(".", 1)[0].replace("-handout-large", "")
             .replace("-handout", "") for name in rebuilt})}
        results["pdf_vs_bare_weasyprint"] = warm_pdf_ratio(root)
        pandoc = pandoc_docx_seconds(next(p for p in sorted((root / "source").glob("*.md"))
                                          if not p.name.startswith("_")))
        ours = results["seconds_per_artifact"].get("docx")
        results["docx_vs_pandoc"] = ({"pandoc_process_s": round(pandoc, 3),
                                      "pipeline_docx_s": ours,
                                      "ratio": round(ours / pandoc, 2)} if pandoc else
                                     "pandoc not installed (pip install pypandoc-binary)")
        results["scaling_10x"] = scaling(root)
    out = root / "build" / "bench.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n", "utf-8")
    for key, value in results.items():
        print(f"{key:28} {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
