#!/usr/bin/env python3
"""The quality gate: extract every gold set, score it, fail when a measure drops below its floor.

    python eval/gate.py [--sets articles,plover] [--keep] [--verbose] [--jobs 2]
                        [--update-floors [--allow-regression]] [--workdir artifacts/eval]

Gold data is read at run time from ``../shared/gold`` beside the repository (or from
``$CHRONICLE_GOLD``); nothing of it is copied into the repository. Records, scorer output and
the report (``report.json``, ``report.md``) go to the work directory (``artifacts/eval/``,
git-ignored) so they can be inspected.

Every set is one entry of ``SETS``: where its articles and gold are, which measures it has and
how it is scored (``score.py`` on records, ``score_ingest.py`` on main texts, ``score_link.py``
and ``score_disputes.py`` on the link step's exports). Floors live in ``eval/floors.json``,
one F1 floor per measure of every set; ``--update-floors`` only raises them (a lower measured
value is kept out unless ``--allow-regression``), so floors move up on purpose, in the commit
that earns them. Details in eval/README.md.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
FLOORS = ROOT / "eval" / "floors.json"
WORKDIR = ROOT / "artifacts" / "eval"
SCHEMA = ROOT / "src" / "chronicle" / "schema" / "record.schema.json"
EPSILON = 0.002  # float noise: a measure passes when F1 >= floor - EPSILON
SHARD_CHARS = 200_000  # a large set is extracted in shards of about this much text
BATCH_SIZE = 16

ALL_MEASURES = ("statements", "attribution", "events.type", "events.full",
                "entities", "quantities", "times", "places")


# --- the sets ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class GoldSet:
    """One gold set: where it lives, what it measures, how it is scored.

    ``kind`` picks the runner: ``records`` (extract articles.jsonl, score.py on the records),
    ``ingest`` (read HTML pages, score_ingest.py), ``link`` (extract, store, ``chronicle link``,
    ``chronicle export --what EXPORTS``, score_link.py) and ``disputes`` (the same, scored by
    score_disputes.py). ``pending`` names the missing step while a set cannot run yet: its
    measures are listed and gated at 0. When the step lands, deleting ``pending`` is all.
    """

    name: str
    kind: str
    measures: tuple[str, ...]
    gold: str = "gold/*.json"  # gold files, relative to the set's folder
    exports: tuple[str, ...] = ()  # link/disputes: what `chronicle export --what` writes
    pending: str | None = None


SETS: dict[str, GoldSet] = {s.name: s for s in (
    GoldSet("articles", "records", ALL_MEASURES, gold="*.json"),
    GoldSet("polnear", "records", ("statements", "attribution")),
    GoldSet("timeml", "records", ("times",)),
    GoldSet("geowebnews", "records", ("places",)),
    GoldSet("lgl", "records", ("places",)),
    GoldSet("plover", "records", ("events.type", "events.full")),
    GoldSet("petrarch", "records", ("events.type", "events.full")),
    GoldSet("ingest", "ingest", ("text",), gold="ground-truth.json"),
    GoldSet("ecbplus", "link", ("events.b3", "events.pairs", "entities.b3", "entities.pairs"),
            gold="mentions.jsonl", exports=("event-reports", "entity-mentions")),
    GoldSet("fnc1", "disputes", ("disputes",), gold="disputes.jsonl", exports=("disputes",)),
)}

# score_link.py --json: measure -> (kind, figure); P/R/F1 are that figure's p, r, f1
LINK_FIGURES = {"events.b3": ("event", "b3"), "events.pairs": ("event", "cross_article_pairs"),
                "entities.b3": ("entity", "b3"), "entities.pairs": ("entity", "cross_article_pairs")}

# reference extractors scored beside chronicle's own HTML reader (shown, never gated)
INGEST_REFERENCES: dict[str, dict[str, Any]] = {
    "trafilatura defaults": {},
    "trafilatura include_comments=False": {"include_comments": False},
}


def gold_root() -> Path:
    """$CHRONICLE_GOLD, else shared/gold beside the repository (or beside one of its parents)."""
    env = os.environ.get("CHRONICLE_GOLD")
    if env:
        return Path(env)
    for parent in ROOT.parents:
        candidate = parent / "shared" / "gold"
        if candidate.is_dir():
            return candidate
    return ROOT.parent / "shared" / "gold"


# --- results, floors, the table ---------------------------------------------------------------

@dataclass
class Row:
    """One line of the table: a measure of a set (or a reference line, or a pending set)."""

    set: str
    measure: str
    p: float | None = None
    r: float | None = None
    f1: float | None = None
    floor: float | None = None
    status: str = ""
    gated: bool = True  # reference lines are shown, not gated


@dataclass
class SetResult:
    name: str
    measures: dict[str, tuple[float, float, float]] = field(default_factory=dict)  # name -> P, R, F1
    references: dict[str, tuple[float, float, float]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)  # anything that makes the run fail
    notes: list[str] = field(default_factory=list)  # worth knowing, not failing
    articles: int = 0
    seconds: float = 0.0  # worker time spent extracting (CPU-seconds of one process)
    pending: str | None = None


def floor3(x: float) -> float:
    """Round down to 3 decimals (a floor must never sit above what was measured)."""
    return math.floor(x * 1000 + 1e-9) / 1000


def compare(results: Sequence[SetResult], floors: dict[str, dict[str, float]],
            epsilon: float = EPSILON) -> list[Row]:
    """The table's rows: every measure of every set against its floor, with a status."""
    rows: list[Row] = []
    for res in results:
        spec = SETS.get(res.name)
        names = list(spec.measures) if spec else []
        names += [m for m in res.measures if m not in names]
        set_floors = floors.get(res.name, {})
        for m in names:
            floor = set_floors.get(m)
            if res.pending:
                rows.append(Row(res.name, m, floor=floor, status=f"not yet ({res.pending})"))
                continue
            if res.problems:
                p, r, f = res.measures.get(m, (None, None, None))
                rows.append(Row(res.name, m, p, r, f, floor, "FAIL (run)"))
                continue
            if m not in res.measures:
                rows.append(Row(res.name, m, floor=floor, status="FAIL (not scored)"))
                continue
            p, r, f = res.measures[m]
            if floor is None:
                status = "FAIL (no floor)"
            elif f < floor - epsilon:
                status = "BELOW"
            elif f >= floor + 0.005:
                status = f"ok (+{f - floor:.3f})"
            else:
                status = "ok"
            rows.append(Row(res.name, m, p, r, f, floor, status))
        for ref, (p, r, f) in res.references.items():
            rows.append(Row(res.name, ref, p, r, f, None, "reference", gated=False))
    return rows


def failed(rows: Iterable[Row]) -> list[Row]:
    """The gated rows that fail the gate."""
    return [row for row in rows if row.gated and (row.status == "BELOW" or row.status.startswith("FAIL"))]


def updated_floors(floors: dict[str, dict[str, float]], results: Sequence[SetResult], *,
                   allow_regression: bool = False) -> tuple[dict[str, dict[str, float]], list[str]]:
    """Floors raised to what was measured (rounded down); never lowered unless allowed.

    Pending sets get their measures pinned at 0. Returns the new floors and one line per change.
    """
    new = {k: dict(v) for k, v in floors.items()}
    changes: list[str] = []
    for res in results:
        spec = SETS.get(res.name)
        names = list(spec.measures) if spec else list(res.measures)
        target = new.setdefault(res.name, {})
        for m in names:
            old = target.get(m)
            if res.pending or res.problems:
                if old is None:
                    target[m] = 0.0
                    changes.append(f"{res.name} {m}: pinned at 0.0")
                continue
            if m not in res.measures:
                continue
            value = floor3(res.measures[m][2])
            if old is None:
                target[m] = value
                changes.append(f"{res.name} {m}: pinned at {value:.3f}")
            elif value > old or (value < old and allow_regression):
                target[m] = value
                changes.append(f"{res.name} {m}: {old:.3f} -> {value:.3f}")
    return new, changes


def _num(x: float | None) -> str:
    return "" if x is None else f"{x:.3f}"


def render_table(rows: Sequence[Row]) -> str:
    """The rows as a markdown table (readable as plain text too)."""
    head = ["set", "measure", "P", "R", "F1", "floor", "status"]
    body = [[row.set, row.measure, _num(row.p), _num(row.r), _num(row.f1),
             _num(row.floor) if row.gated else "-", row.status] for row in rows]
    widths = [max(len(h), *(len(b[i]) for b in body)) if body else len(h) for i, h in enumerate(head)]
    numeric = {2, 3, 4, 5}

    def line(cells: Sequence[str]) -> str:
        return "| " + " | ".join(c.rjust(w) if i in numeric else c.ljust(w)
                                 for i, (c, w) in enumerate(zip(cells, widths, strict=True))) + " |"

    sep = "|" + "|".join(("-" * (w + 1) + ":") if i in numeric else "-" * (w + 2)
                         for i, w in enumerate(widths)) + "|"
    return "\n".join([line(head), sep, *(line(b) for b in body)])


def load_floors(path: Path = FLOORS) -> dict[str, dict[str, float]]:
    if not path.exists():
        return {}
    with open(path, encoding="utf-8") as f:
        data: dict[str, dict[str, float]] = json.load(f)
    return data


def save_floors(floors: dict[str, dict[str, float]], path: Path = FLOORS) -> None:
    order = list(SETS) + sorted(k for k in floors if k not in SETS)
    out: dict[str, dict[str, float]] = {}
    for name in order:
        if name not in floors:
            continue
        spec = SETS.get(name)
        keys = [m for m in (spec.measures if spec else ()) if m in floors[name]]
        keys += sorted(m for m in floors[name] if m not in keys)
        out[name] = {m: floors[name][m] for m in keys}
    path.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")


# --- workers: one Extractor per process -------------------------------------------------------

_EXTRACTOR: Any = None


def _init_worker() -> None:
    global _EXTRACTOR
    from chronicle.extract import Extractor

    _EXTRACTOR = Extractor()


def extract_shard(articles: list[Any]) -> tuple[list[str], list[str], float]:
    """Record JSON lines and failure lines for a list of Articles (runs in a worker)."""
    from chronicle.extract.pipeline import ExtractFailure

    global _EXTRACTOR
    if _EXTRACTOR is None:
        _init_worker()
    t0 = time.process_time()
    lines: list[str] = []
    failures: list[str] = []
    for out in _EXTRACTOR.pipe(articles, batch_size=BATCH_SIZE):
        if isinstance(out, ExtractFailure):
            failures.append(str(out))
        else:
            lines.append(out.to_json())
    return lines, failures, time.process_time() - t0


def read_pages(paths: list[str]) -> tuple[dict[str, list[str]], list[str], float]:
    """Main text of HTML pages by chronicle's reader and by the references (runs in a worker)."""
    import trafilatura

    from chronicle.errors import InputError
    from chronicle.ingest import html
    from chronicle.ingest.files import read_bytes

    t0 = time.process_time()
    out: dict[str, list[str]] = {"chronicle": [], **{ref: [] for ref in INGEST_REFERENCES}}
    notes: list[str] = []
    for path in paths:
        page_id = Path(path).name.removesuffix(".gz").removesuffix(".html")
        data = read_bytes(path)
        try:
            text = html.read(data, path).text
        except InputError as e:
            notes.append(f"{page_id}: {e.reason}")
            text = ""
        out["chronicle"].append(json.dumps({"id": page_id, "text": text}, ensure_ascii=False))
        page = data.decode("utf-8", errors="replace")
        for ref, options in INGEST_REFERENCES.items():
            ref_text = trafilatura.extract(page, **options) or ""
            out[ref].append(json.dumps({"id": page_id, "text": ref_text}, ensure_ascii=False))
    return out, notes, time.process_time() - t0


# --- scoring ------------------------------------------------------------------------------------

def run_scorer(args: list[str], out_txt: Path, verbose: bool) -> str:
    """Run one of the gold scorers; its stdout (verbose lines are saved beside the records)."""
    proc = subprocess.run([sys.executable, *args], capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"{Path(args[0]).name} exited {proc.returncode}: {proc.stderr.strip()[-500:]}")
    out_txt.write_text(proc.stdout, encoding="utf-8")
    if verbose:
        print(proc.stdout, end="")
    return proc.stdout


def run_cli(args: list[str]) -> str:
    """Run a `chronicle` command with this interpreter; its stdout, or RuntimeError with stderr."""
    proc = subprocess.run([sys.executable, "-m", "chronicle", *args], capture_output=True, text=True,
                          check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"chronicle {' '.join(args)} exited {proc.returncode}: "
                           f"{proc.stderr.strip()[-500:]}")
    return proc.stdout


def _last_json(stdout: str) -> Any:
    """The JSON object a scorer printed last (score_link.py indents it over many lines)."""
    text = stdout.strip()
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return json.loads([ln for ln in text.splitlines() if ln.strip()][-1])


def parse_link_json(stdout: str) -> dict[str, tuple[float, float, float]]:
    """score_link.py --json: {"event": {"b3": {"p", "r", "f1"}, ...}, "entity": {...}}."""
    data = _last_json(stdout)
    out = {}
    for measure, (kind, figure) in LINK_FIGURES.items():
        m = data[kind][figure]
        out[measure] = (m["p"], m["r"], m["f1"])
    return out


def parse_disputes_json(stdout: str) -> dict[str, tuple[float, float, float]]:
    """score_disputes.py --json: {"precision", "recall", "f1", ...}."""
    data = _last_json(stdout)
    return {"disputes": (data["precision"], data["recall"], data["f1"])}


def parse_score_json(stdout: str) -> dict[str, tuple[float, float, float]]:
    """score.py --json: the last line is {"measures": {name: {"p", "r", "f1"}}, "macro_f1"}."""
    last = [ln for ln in stdout.splitlines() if ln.strip()][-1]
    data = json.loads(last)
    return {k: (v["p"], v["r"], v["f1"]) for k, v in data["measures"].items()}


_INGEST_LINE = re.compile(r"P (\d+\.\d+)\s+R (\d+\.\d+)\s+F1 (\d+\.\d+)")


def parse_ingest(stdout: str) -> tuple[float, float, float]:
    """score_ingest.py: 'pages 121  missing 0  P 0.931  R 0.975  F1 0.953'."""
    m = _INGEST_LINE.search(stdout)
    if not m:
        raise RuntimeError(f"cannot read score_ingest.py output: {stdout.strip()[:200]!r}")
    p, r, f = (float(x) for x in m.groups())
    return p, r, f


_VALIDATOR: Any = None


def _validator() -> Any:
    global _VALIDATOR
    if _VALIDATOR is None:
        import jsonschema

        schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
        cls = jsonschema.validators.validator_for(schema)
        cls.check_schema(schema)
        _VALIDATOR = cls(schema)
    return _VALIDATOR


def check_records(path: Path, report: Path) -> tuple[int, list[str], list[str]]:
    """Validate every record against the schema and check its spans against the text.

    Returns (records, problems, notes); the details go to ``report``.
    """
    validator = _validator()
    n = invalid = bad_spans = 0
    details: list[str] = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            n += 1
            rec = json.loads(line)
            aid = (rec.get("article") or {}).get("id")
            errors = sorted(validator.iter_errors(rec), key=lambda e: list(e.absolute_path))
            if errors:
                invalid += 1
                for e in errors[:5]:
                    where = "/".join(str(x) for x in e.absolute_path)
                    details.append(f"{aid}: invalid at {where or '(root)'}: {e.message[:300]}")
            for where, span in _spans(rec):
                text = (rec.get("article") or {}).get("text") or ""
                s, e = span.get("start"), span.get("end")
                if (isinstance(s, int) and isinstance(e, int) and isinstance(span.get("text"), str)
                        and text[s:e] != span["text"]):
                    bad_spans += 1
                    if bad_spans <= 50:
                        details.append(f"{aid}: span text differs from article text at {where}: "
                                       f"{span['text'][:60]!r} vs {text[s:e][:60]!r} ({s}-{e})")
    report.write_text("\n".join(details) + ("\n" if details else ""), encoding="utf-8")
    problems = [f"{invalid} of {n} records do not validate against record.schema.json "
                f"(first: {details[0]}; all in {report})"] if invalid else []
    notes = [f"{bad_spans} span(s) whose text is not article.text[start:end] (see {report})"] \
        if bad_spans else []
    return n, problems, notes


def _spans(rec: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every (path, span) of a record that carries text, start and end."""
    def walk(x: Any, path: str) -> Iterator[tuple[str, dict[str, Any]]]:
        if isinstance(x, dict):
            if {"text", "start", "end"} <= x.keys():
                yield path, x
            for k, v in x.items():
                if path == "" and k == "article":
                    continue
                yield from walk(v, f"{path}/{k}" if path else k)
        elif isinstance(x, list):
            for i, v in enumerate(x):
                yield from walk(v, f"{path}/{i}")
    yield from walk(rec, "")


# --- running the sets ---------------------------------------------------------------------------

def shards_of(articles: list[Any], size: int = SHARD_CHARS) -> list[list[Any]]:
    """Articles in consecutive shards of about ``size`` characters of text."""
    shards: list[list[Any]] = [[]]
    chars = 0
    for a in articles:
        if shards[-1] and chars + len(a.text) > size:
            shards.append([])
            chars = 0
        shards[-1].append(a)
        chars += len(a.text)
    return [s for s in shards if s]


Task = tuple[int, Callable[..., Any], tuple[Any, ...]]  # cost (characters), function, arguments


@dataclass
class Job:
    """A set in progress: its shards out in the pool, the parts that came back."""

    spec: GoldSet
    result: SetResult
    parts: dict[int, Any] = field(default_factory=dict)
    expected: int = 0
    started: float = 0.0


class Gate:
    def __init__(self, names: Sequence[str], *, workdir: Path, gold: Path, jobs: int = 2,
                 keep: bool = False, verbose: bool = False) -> None:
        self.names = list(names)
        self.workdir = workdir
        self.gold = gold
        self.jobs = jobs
        self.keep = keep
        self.verbose = verbose

    def run(self) -> list[SetResult]:
        results: dict[str, SetResult] = {}
        work: list[tuple[int, str, int, Callable[..., Any], tuple[Any, ...]]] = []  # cost, set, idx, fn, args
        jobs: dict[str, Job] = {}
        for name in self.names:
            spec = SETS[name]
            res = SetResult(name, pending=spec.pending)
            results[name] = res
            if spec.pending:
                continue
            out = self.workdir / name
            out.mkdir(parents=True, exist_ok=True)
            job = Job(spec, res, started=time.monotonic())
            try:
                tasks = self.plan(spec, out, res)
            except Exception as e:  # noqa: BLE001  (a set that cannot start fails alone)
                res.problems.append(f"cannot read the set: {type(e).__name__}: {e}")
                continue
            job.expected = len(tasks)
            jobs[name] = job
            for i, (cost, fn, args) in enumerate(tasks):
                work.append((cost, name, i, fn, args))
            if not tasks:
                self.finish(job)
        if work:
            work.sort(key=lambda w: -w[0])  # longest first: the two workers end together
            with ProcessPoolExecutor(self.jobs, initializer=_init_worker) as pool:
                futures: dict[Future[Any], tuple[str, int]] = {
                    pool.submit(fn, *args): (name, i) for _, name, i, fn, args in work}
                pending = set(futures)
                while pending:
                    done, pending = wait(pending, return_when=FIRST_COMPLETED)
                    for fut in done:
                        name, i = futures[fut]
                        job = jobs[name]
                        try:
                            job.parts[i] = fut.result()
                        except Exception as e:  # noqa: BLE001
                            job.result.problems.append(f"worker failed: {type(e).__name__}: {e}")
                            job.parts[i] = None
                        if len(job.parts) == job.expected:
                            self.finish(job)
        return [results[n] for n in self.names]

    def plan(self, spec: GoldSet, out: Path, res: SetResult) -> list[Task]:
        """A set's work: (cost, function, args) to run in the pool; [] when records are kept."""
        folder = self.gold / spec.name
        if spec.kind in ("records", "link", "disputes"):
            if self.keep and (out / "records.jsonl").exists():
                return []
            from chronicle.ingest import Failure, read_sources

            articles = []
            for item in read_sources([str(folder / "articles.jsonl")]):
                if isinstance(item, Failure):
                    res.problems.append(f"cannot read {item}")
                else:
                    articles.append(item)
            if not articles:
                res.problems.append(f"no articles in {folder / 'articles.jsonl'}")
            return [(sum(len(a.text) for a in shard), extract_shard, (shard,))
                    for shard in shards_of(articles)]
        if spec.kind == "ingest":
            if self.keep and (out / "preds.jsonl").exists():
                return []
            pages = sorted(str(p) for p in (folder / "html").glob("*.html.gz"))
            if not pages:
                res.problems.append(f"no pages in {folder / 'html'}")
            # reading a page costs about as much as extracting 10k characters (3 extractors)
            half = (len(pages) + 1) // 2
            return [(30_000 * len(chunk), read_pages, (chunk,))
                    for chunk in (pages[:half], pages[half:]) if chunk]
        raise NotImplementedError(f"{spec.name}: no runner for kind {spec.kind!r} yet")

    def finish(self, job: Job) -> None:
        """All parts of a set are back: write its files, check and score them."""
        spec, res = job.spec, job.result
        out = self.workdir / spec.name
        try:
            if spec.kind == "records":
                self.finish_records(job, out)
            elif spec.kind in ("link", "disputes"):
                self.finish_link(job, out)
            elif spec.kind == "ingest":
                self.finish_ingest(job, out)
            else:
                raise NotImplementedError(spec.kind)
        except Exception as e:  # noqa: BLE001
            res.problems.append(f"{type(e).__name__}: {e}")
        status = "FAILED" if res.problems else "done"
        print(f"  {spec.name}: {status} ({res.articles} articles, {time.monotonic() - job.started:.0f}s "
              f"since start, {res.seconds:.0f} worker-s)", file=sys.stderr, flush=True)

    def write_records(self, job: Job, out: Path) -> Path | None:
        """Join the shards' records into records.jsonl and check them; None if there are none."""
        res = job.result
        records = out / "records.jsonl"
        if job.expected:
            failures: list[str] = []
            with open(records, "w", encoding="utf-8") as f:
                for i in range(job.expected):
                    part = job.parts.get(i)
                    if part is None:
                        continue
                    lines, fails, secs = part
                    f.writelines(line + "\n" for line in lines)
                    failures += fails
                    res.seconds += secs
            (out / "failures.txt").write_text("".join(x + "\n" for x in failures), encoding="utf-8")
            if failures:
                res.problems.append(f"{len(failures)} article(s) failed to extract (first: {failures[0]})")
        elif res.problems:
            return None
        res.articles, problems, notes = check_records(records, out / "invalid.txt")
        res.problems += problems
        res.notes += notes
        return records

    def finish_records(self, job: Job, out: Path) -> None:
        spec, res = job.spec, job.result
        records = self.write_records(job, out)
        if records is None:
            return
        gold_files = sorted(str(p) for p in (self.gold / spec.name).glob(spec.gold))
        if not gold_files:
            raise RuntimeError(f"no gold files {self.gold / spec.name / spec.gold}")
        args = [str(self.gold / "score.py"), str(records), *gold_files, "--json"]
        if self.verbose:
            args.append("--verbose")
        stdout = run_scorer(args, out / "score.txt", self.verbose)
        res.measures = parse_score_json(stdout)

    def finish_link(self, job: Job, out: Path) -> None:
        """Store the records in a fresh database, link them, export, score the export."""
        spec, res = job.spec, job.result
        records = self.write_records(job, out)
        if records is None:
            return
        from chronicle.record import Record
        from chronicle.store import open_store

        db = out / "link.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        with open_store(str(db)) as store, open(records, encoding="utf-8") as f:
            store.write(Record.from_json(line) for line in f if line.strip())
        run_cli(["link", "--db", str(db)])
        preds = out / "predictions.jsonl"
        with open(preds, "w", encoding="utf-8") as f:
            for what in spec.exports:
                f.write(run_cli(["export", "--what", what, "--format", "jsonl", "--db", str(db)]))
        gold = self.gold / spec.name / spec.gold
        if spec.kind == "link":
            args = [str(self.gold / "score_link.py"), str(preds), str(gold), "--json"]
            parse = parse_link_json
        else:
            args = [str(self.gold / "score_disputes.py"), str(preds), str(gold), "--json"]
            parse = parse_disputes_json
        if self.verbose:
            args.append("--verbose")
        res.measures = parse(run_scorer(args, out / "score.txt", self.verbose))

    def finish_ingest(self, job: Job, out: Path) -> None:
        spec, res = job.spec, job.result
        files = {"chronicle": out / "preds.jsonl"}
        for ref in INGEST_REFERENCES:
            files[ref] = out / (re.sub(r"[^a-z0-9]+", "-", ref.lower()).strip("-") + ".jsonl")
        if job.expected:
            merged: dict[str, list[str]] = {k: [] for k in files}
            for i in range(job.expected):
                part = job.parts.get(i)
                if part is None:
                    continue
                lines, notes, secs = part
                for k, v in lines.items():
                    merged[k] += v
                res.notes += notes
                res.seconds += secs
            for k, path in files.items():
                path.write_text("".join(x + "\n" for x in merged[k]), encoding="utf-8")
        truth = self.gold / spec.name / spec.gold
        with open(files["chronicle"], encoding="utf-8") as f:
            res.articles = sum(1 for line in f if line.strip())
        for k, path in files.items():
            if not path.exists():
                continue
            scorer = [str(self.gold / "score_ingest.py"), str(path), str(truth)]
            prf = parse_ingest(run_scorer(scorer, path.with_suffix(".score.txt"), self.verbose))
            if k == "chronicle":
                res.measures["text"] = prf
            else:
                res.references[k] = prf


# --- report -------------------------------------------------------------------------------------

def render_times(results: Sequence[SetResult]) -> str:
    """Per set: articles and the worker CPU-seconds spent extracting them."""
    lines = ["| set | articles | worker CPU-s | articles per CPU-s |", "|---|---:|---:|---:|"]
    for r in results:
        if r.pending:
            continue
        rate = f"{r.articles / r.seconds:.1f}" if r.seconds else "-"
        lines.append(f"| {r.name} | {r.articles} | {r.seconds:.0f} | {rate} |")
    return "\n".join(lines)


def write_report(workdir: Path, rows: Sequence[Row], results: Sequence[SetResult], wall: float,
                 table: str) -> None:
    workdir.mkdir(parents=True, exist_ok=True)
    data = {
        "wall_seconds": round(wall, 1),
        "passed": not failed(rows) and not any(r.problems for r in results),
        "rows": [asdict(r) for r in rows],
        "sets": {r.name: {"articles": r.articles, "worker_seconds": round(r.seconds, 1),
                          "problems": r.problems, "notes": r.notes, "pending": r.pending}
                 for r in results},
    }
    (workdir / "report.json").write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    lines = ["# Quality gate", "", table, "", f"Wall time: {wall:.0f} s.", "", render_times(results), ""]
    for r in results:
        for p in r.problems:
            lines.append(f"- **{r.name}**: {p}")
        for n in r.notes[:10]:
            lines.append(f"- {r.name}: {n}")
    (workdir / "report.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sets", help=f"comma-separated sets to run (default: all): {','.join(SETS)}")
    ap.add_argument("--keep", action="store_true", help="reuse records already in the work directory")
    ap.add_argument("--verbose", action="store_true", help="pass --verbose to the scorers and show it")
    ap.add_argument("--jobs", type=int, default=2, help="worker processes (default 2)")
    ap.add_argument("--workdir", type=Path, default=WORKDIR, help="where records and reports go")
    ap.add_argument("--floors", type=Path, default=FLOORS, help="the floors file")
    ap.add_argument("--update-floors", action="store_true",
                    help="raise the floors to the measured values (rounded down to 3 decimals)")
    ap.add_argument("--allow-regression", action="store_true",
                    help="with --update-floors: also lower floors to what was measured")
    return ap.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    names = list(SETS)
    if args.sets:
        names = [s.strip() for s in args.sets.split(",") if s.strip()]
        unknown = [s for s in names if s not in SETS]
        if unknown:
            print(f"gate: unknown set(s) {', '.join(unknown)}; valid: {', '.join(SETS)}", file=sys.stderr)
            return 2
    gold = gold_root()
    if not (gold / "score.py").exists():
        print(f"gate: no gold data at {gold} (expected ../shared/gold beside the repository; "
              "set CHRONICLE_GOLD to its location)", file=sys.stderr)
        return 2
    t0 = time.monotonic()
    print(f"gate: {len(names)} set(s) from {gold}, {args.jobs} worker(s), records in {args.workdir}",
          file=sys.stderr, flush=True)
    results = Gate(names, workdir=args.workdir, gold=gold, jobs=args.jobs, keep=args.keep,
                   verbose=args.verbose).run()
    wall = time.monotonic() - t0
    floors = load_floors(args.floors)
    if args.update_floors:
        floors, changes = updated_floors(floors, results, allow_regression=args.allow_regression)
        save_floors(floors, args.floors)
        for c in changes:
            print(f"floor {c}", file=sys.stderr)
        if not changes:
            print("floors unchanged", file=sys.stderr)
    rows = compare(results, floors)
    table = render_table(rows)
    print(table)
    for r in results:
        for p in r.problems:
            print(f"FAIL {r.name}: {p}")
        for n in r.notes[:5]:
            print(f"note {r.name}: {n}")
    print(f"wall time {wall:.0f} s, extraction {sum(r.seconds for r in results):.0f} worker CPU-s")
    write_report(args.workdir, rows, results, wall, table)
    bad = failed(rows)
    if bad or any(r.problems for r in results):
        print(f"gate FAILED: {len(bad)} measure(s) below floor or not run", file=sys.stderr)
        return 1
    print("gate passed", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
