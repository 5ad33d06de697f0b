"""Main-text accuracy on real pages, side by side: chronicle's HTML reader against trafilatura's own
settings, on the same pages in the same run.

    python benchmarks/ingest_accuracy.py [--gold ../shared/gold/ingest] [--out DIR]

Writes one predictions file per extractor (``{"id", "text"}`` a line, ids = page file names
without ``.html.gz``) and scores each with the gold set's own ``score_ingest.py``. The pages
and their true texts stay in ``../shared/gold``; nothing of them is copied here.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import trafilatura

from chronicle.errors import InputError
from chronicle.ingest import html
from chronicle.ingest.files import read_bytes

ROOT = Path(__file__).resolve().parent.parent


def gold_root() -> Path:
    """$CHRONICLE_GOLD, else shared/gold beside the repository (or beside one of its parents)."""
    import os

    if os.environ.get("CHRONICLE_GOLD"):
        return Path(os.environ["CHRONICLE_GOLD"])
    for parent in ROOT.parents:
        if (parent / "shared" / "gold").is_dir():
            return parent / "shared" / "gold"
    return ROOT.parent / "shared" / "gold"


def _chronicle(data: bytes, path: str) -> str:
    try:
        return html.read(data, path).text
    except InputError:
        return ""


def _trafilatura(**options: object) -> Callable[[bytes, str], str]:
    def run(data: bytes, path: str) -> str:
        return trafilatura.extract(data.decode("utf-8", errors="replace"), **options) or ""  # type: ignore[arg-type]

    return run


EXTRACTORS: dict[str, Callable[[bytes, str], str]] = {
    "chronicle": _chronicle,
    "trafilatura defaults": _trafilatura(),
    "trafilatura include_comments=False": _trafilatura(output_format="txt", include_comments=False),
}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--gold", default=None, help="the ingest gold set (default: ../shared/gold/ingest)")
    ap.add_argument("--out", default=None, help="keep the predictions here (default: a temporary folder)")
    args = ap.parse_args()
    gold = Path(args.gold) if args.gold else gold_root() / "ingest"
    pages = sorted((gold / "html").glob("*.html.gz"))
    if not pages:
        print(f"no pages in {gold / 'html'}", file=sys.stderr)
        return 1
    out = Path(args.out or tempfile.mkdtemp(prefix="ingest-accuracy-"))
    out.mkdir(parents=True, exist_ok=True)
    preds: dict[str, list[str]] = {name: [] for name in EXTRACTORS}
    seconds = dict.fromkeys(EXTRACTORS, 0.0)
    for path in pages:
        page_id = path.name.removesuffix(".html.gz")
        data = read_bytes(str(path))
        for name, run in EXTRACTORS.items():
            t0 = time.process_time()
            text = run(data, str(path))
            seconds[name] += time.process_time() - t0
            preds[name].append(json.dumps({"id": page_id, "text": text}, ensure_ascii=False))
    print(f"{len(pages)} pages from {gold}")
    print(f"{'extractor':36s} {'score_ingest.py':52s} pages/s")
    for name, lines in preds.items():
        f = out / (name.replace(" ", "_").replace("=", "-") + ".jsonl")
        f.write_text("\n".join(lines) + "\n", encoding="utf-8")
        proc = subprocess.run([sys.executable, str(gold.parent / "score_ingest.py"), str(f),
                               str(gold / "ground-truth.json")], capture_output=True, text=True, check=False)
        score = proc.stdout.strip() or proc.stderr.strip()[-200:]
        print(f"{name:36s} {score:52s} {len(pages) / max(seconds[name], 1e-9):.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
