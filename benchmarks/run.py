"""Time every stage of azgraph on synthetic corpora, next to plain rdflib/pySHACL baselines.

    .venv/bin/python -m benchmarks.run                      # scales 1 and 10, 3 runs each
    .venv/bin/python -m benchmarks.run --scales 1,10,100 --repeat 1 --no-baselines

Each stage runs in a fresh child process (so imports and caches do not leak between stages) and
reports the median wall time of ``--repeat`` runs, the CPU time of the child and of the worker
processes it started (``azgraph build`` compiles seeds in one worker per CPU), and the child's
peak resident memory (``ru_maxrss``; the workers' own peak is given in the note). Baselines:
rdflib parsing the same dumps, rdflib answering the same query, and pySHACL validating the same
data with the same shapes. The cold-CLI line compares ``azgraph query run NAME`` with a plain
rdflib script that parses the dumps and runs that query.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
AZGRAPH = Path(sys.executable).parent / "azgraph"


def _child(stage: str, root: str, queue: Any) -> None:
    start_cpu = time.process_time()
    start = time.perf_counter()
    extra = STAGES[stage](Path(root))
    wall = time.perf_counter() - start
    workers = resource.getrusage(resource.RUSAGE_CHILDREN)  # the build's worker processes
    cpu = time.process_time() - start_cpu + workers.ru_utime + workers.ru_stime
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    own_peak = None
    if isinstance(extra, Timed):  # the stage measured its own part (set-up excluded)
        wall, cpu, own_peak, extra = extra.seconds, extra.cpu, extra.peak_mb, extra.note
    if own_peak is not None:
        peak_mb = own_peak
    elif workers.ru_maxrss and isinstance(extra, str):
        extra += f"; workers' peak {workers.ru_maxrss / 1024:.0f} MB each at most"
    queue.put((wall, cpu, peak_mb, extra))


def _measure(stage: str, root: Path, repeat: int, limit: float | None = None) -> dict[str, Any]:
    """Median of ``repeat`` runs in fresh processes; a run past ``limit`` seconds is stopped
    and reported as taking at least that long (for baselines that would take many minutes)."""
    import queue as queue_module

    ctx = mp.get_context("spawn")
    runs = []
    for _ in range(repeat):
        queue = ctx.Queue()
        proc = ctx.Process(target=_child, args=(stage, str(root), queue))
        proc.start()
        try:
            result = queue.get(timeout=limit)
        except queue_module.Empty:
            proc.kill()
            proc.join()
            return {
                "wall": limit,
                "cpu": limit,
                "peak_mb": 0.0,
                "extra": "stopped",
                "stopped": True,
            }
        proc.join()
        runs.append(result)
    return {
        "wall": statistics.median(r[0] for r in runs),
        "cpu": statistics.median(r[1] for r in runs),
        "peak_mb": max(r[2] for r in runs),
        "extra": runs[-1][3],
    }


# --- stages (each runs in its own process) ---------------------------------------------------


def _project(root: Path) -> Any:
    from azgraph.project import Project

    return Project.at(root)


class Timed:
    """A stage result that carries its own figures, for stages with untimed set-up: wall and
    CPU seconds of the timed part, and its peak memory where it ran in a process of its own."""

    def __init__(self, seconds: float, cpu: float, note: str, peak_mb: float | None = None) -> None:
        self.seconds, self.cpu, self.note, self.peak_mb = seconds, cpu, note, peak_mb


def _cpu_now() -> float:
    """CPU seconds of this process and of the children it has waited for."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def stage_build(root: Path) -> str:
    from azgraph.build.compile import build_graphs

    result = build_graphs(_project(root), use_cache=False)
    return f"{sum(len(g) for g in result.graphs.values())} triples"


def stage_incremental(root: Path) -> Timed:
    """Warm the build cache (untimed), change one seed's curated file, time the rebuild."""
    from azgraph.build.compile import build_graphs

    project = _project(root)
    build_graphs(project)
    path = sorted(project.curated_dir.glob("*.yaml"))[0]
    original = path.read_bytes()
    # A new comment each run: the same bytes again would be a build-cache hit from the run
    # before (each of --repeat runs stores the changed seed), timing a no-op.
    path.write_bytes(original + f"# changed by the benchmark {uuid.uuid4().hex}\n".encode())
    try:
        start, start_cpu = time.perf_counter(), _cpu_now()
        result = build_graphs(project)
        took, cpu = time.perf_counter() - start, _cpu_now() - start_cpu
    finally:
        path.write_bytes(original)
    compiled = len(result.compiled)
    note = f"{compiled} of {len(result.graphs)} seeds compiled, the rest cached"
    return Timed(took, cpu, note)


def stage_revalidate(root: Path) -> Timed:
    """Make the validation state (``validate --incremental``, untimed), edit one quote in one
    seed's data file, as a rebuild after a curated edit would, and time the next
    ``validate --incremental``. The cache is private to the run."""
    data = sorted((root / "data").glob("*.ttl"))[0]
    original = data.read_bytes()
    with tempfile.TemporaryDirectory(prefix="azbench-state-") as cache:
        env = {**os.environ, "AZGRAPH_CACHE_DIR": cache}
        command = [str(AZGRAPH), "validate", "--incremental", "--project", str(root)]
        start = time.perf_counter()
        subprocess.run(command, env=env, capture_output=True, check=False)
        first = time.perf_counter() - start
        changed = original.replace(b'az:quoteText "', b'az:quoteText "Edited: ', 1)
        data.write_bytes(changed)
        try:
            start = time.perf_counter()
            child = subprocess.Popen(
                command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
            )
            stderr = child.stderr.read() if child.stderr else ""
            _, _, usage = os.wait4(child.pid, 0)  # this run's own CPU time and peak memory
            took = time.perf_counter() - start
            child.returncode = 0  # reaped above
        finally:
            data.write_bytes(original)
    said = stderr.strip().splitlines()[-1].removeprefix("azgraph: ") if stderr else ""
    note = f"first run (makes the state) {first:.1f} s; {said}"
    return Timed(took, usage.ru_utime + usage.ru_stime, note, usage.ru_maxrss / 1024)


def stage_load_oxigraph(root: Path) -> str:
    from azgraph.rdf.store import graph_files, load_oxigraph

    return f"{len(load_oxigraph(graph_files(_project(root))))} triples"


def stage_validate(root: Path) -> str:
    from azgraph.check.validate import load_shapes, validate_graph
    from azgraph.rdf.store import graph_files, load_oxigraph

    project = _project(root)
    store = load_oxigraph(graph_files(project))
    report = validate_graph(None, load_shapes(project.shapes_dir), store=store, engine="fast")
    return f"{len(report.results)} results"


def stage_queries(root: Path) -> dict[str, float]:
    """Each bundled query's seconds; entity parameters name the first copy's entities (the
    defaults, such as state:azerbaijan, are renamed state:azerbaijan-x0000 in the corpus)."""
    from azgraph.query.queries import bind_params, load_queries, run_local
    from azgraph.rdf.store import graph_files, load_oxigraph
    from benchmarks.generate import first_copy

    project = _project(root)
    store = load_oxigraph(graph_files(project))
    times = {}
    for name, query in load_queries(project.queries_dir).items():
        if not _has_defaults(query):
            continue
        given = {n: first_copy(str(p.default)) for n, p in query.params.items() if p.type == "iri"}
        bindings = bind_params(query, given, terms="oxigraph")
        start = time.perf_counter()
        run_local(store, query, bindings, terms="oxigraph")
        times[name] = time.perf_counter() - start
    return times


def _has_defaults(query: Any) -> bool:
    return all(p.default is not None for p in query.params.values())


def stage_rdflib_parse(root: Path) -> str:
    from rdflib import Graph

    from azgraph.rdf.store import graph_files

    graph = Graph()
    for path in graph_files(_project(root)):
        graph.parse(path, format="turtle")
    return f"{len(graph)} triples"


def stage_rdflib_query(root: Path) -> str:
    from rdflib import Graph

    from azgraph.rdf.store import graph_files

    graph = Graph()
    for path in graph_files(_project(root)):
        graph.parse(path, format="turtle")
    start = time.perf_counter()
    rows = list(graph.query(TWO_HOP))
    return f"query {time.perf_counter() - start:.3f} s, {len(rows)} rows"


def stage_oxigraph_query(root: Path) -> str:
    import pyoxigraph

    from azgraph.rdf.store import graph_files, load_oxigraph

    store = load_oxigraph(graph_files(_project(root)))
    start = time.perf_counter()
    result = store.query(TWO_HOP)
    assert isinstance(result, pyoxigraph.QuerySolutions)
    rows = list(result)
    return f"query {time.perf_counter() - start:.3f} s, {len(rows)} rows"


def stage_pyshacl(root: Path) -> str:
    from azgraph.check.validate import load_shapes, validate_graph
    from azgraph.rdf.store import graph_files, load_rdflib

    project = _project(root)
    data = load_rdflib(graph_files(project))
    report = validate_graph(data, load_shapes(project.shapes_dir), engine="pyshacl")
    return f"{len(report.results)} results"


def stage_pyshacl_core(root: Path) -> str:
    """pySHACL on the same data with the shapes' core constraints only (``sh:sparql`` links
    dropped): the part of the work that plain pySHACL finishes in minutes, not hours."""
    import pyshacl
    from rdflib.namespace import SH

    from azgraph.check.validate import load_shapes
    from azgraph.rdf.store import graph_files, load_rdflib

    project = _project(root)
    data = load_rdflib(graph_files(project))
    shapes = load_shapes(project.shapes_dir)
    for triple in list(shapes.triples((None, SH.sparql, None))):
        shapes.remove(triple)
    conforms, _, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none")
    return "conforms" if conforms else "does not conform"


TWO_HOP = """
SELECT ?axiom ?source ?quote WHERE {
  ?axiom <https://w3id.org/azgraph/ontology#evidence> ?evidence .
  ?evidence <https://w3id.org/azgraph/ontology#quotedFrom> ?source ;
            <https://w3id.org/azgraph/ontology#quoteText> ?quote .
}"""

STAGES: dict[str, Callable[[Path], Any]] = {
    "build (compile + write dumps)": stage_build,
    "rebuild after one seed changed": stage_incremental,
    "revalidate after one seed changed": stage_revalidate,
    "load dumps (pyoxigraph)": stage_load_oxigraph,
    "validate (load + fast engine)": stage_validate,
    "bundled queries (load + all)": stage_queries,
    "2-hop query (pyoxigraph, load+q)": stage_oxigraph_query,
    "baseline: rdflib parse": stage_rdflib_parse,
    "baseline: 2-hop query (rdflib)": stage_rdflib_query,
    "baseline: pySHACL validate": stage_pyshacl,
    "baseline: pySHACL, core constraints": stage_pyshacl_core,
}


# --- cold CLI -------------------------------------------------------------------------------

RDFLIB_SCRIPT = """
import sys
from pathlib import Path
from rdflib import Graph
g = Graph()
for p in [Path('ontology/azgraph.ttl'), *sorted(Path('data').glob('*.ttl'))]:
    g.parse(p, format='turtle')
q = Path('queries/' + sys.argv[1] + '.rq').read_text()
for row in g.query(q):
    print(row)
"""


def _cold_env() -> dict[str, str]:
    """The environment of a cold run: Python as users run it, with its bytecode cache on
    (PYTHONDONTWRITEBYTECODE unset), and the query cache (cache.py) in a fresh folder."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["AZGRAPH_CACHE_DIR"] = tempfile.mkdtemp(prefix="azbench-cache-")
    return env


def _wall(cmd: list[str], env: dict[str, str]) -> float:
    """Wall seconds of one process running ``cmd`` in the project folder."""
    start = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, env=env)
    return time.perf_counter() - start


def cold_cli(name: str, repeat: int) -> tuple[float, float, float]:
    """Wall seconds of ``azgraph query run NAME``: the first run with an empty cache, then the
    median of ``repeat`` cold processes; and the median of the plain rdflib script.

    The first run pays for filling the cache (see `_cold_env`).
    """
    env = _cold_env()
    subprocess.run([sys.executable, "-c", "import azgraph.entry"], cwd=ROOT, env=env, check=True)
    first = _wall([str(AZGRAPH), "query", "run", name], env)
    ours = [_wall([str(AZGRAPH), "query", "run", name], env) for _ in range(repeat)]
    plain = [_wall([sys.executable, "-c", RDFLIB_SCRIPT, name], env) for _ in range(repeat)]
    return first, statistics.median(ours), statistics.median(plain)


def cold_cli_every_query(repeat: int) -> dict[str, float]:
    """Median wall seconds of ``repeat`` cold ``azgraph query run NAME`` per bundled query, each
    after one run that fills the caches for it (the store is shared, so only the first query's
    filling run loads the dumps)."""
    env = _cold_env()
    medians = {}
    for path in sorted((ROOT / "queries").glob("*.rq")):
        cmd = [str(AZGRAPH), "query", "run", path.stem]
        _wall(cmd, env)
        medians[path.stem] = statistics.median(_wall(cmd, env) for _ in range(repeat))
    return medians


# --- report ---------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", default="1,10", help="corpus sizes, ×the real corpus")
    parser.add_argument("--repeat", type=int, default=3, help="runs per stage (median)")
    parser.add_argument("--baselines", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("--cli-runs", type=int, default=10, help="cold CLI runs (0: skip)")
    parser.add_argument(
        "--baseline-limit",
        type=float,
        default=300.0,
        help="stop a baseline run after this many seconds and report it as at least that",
    )
    parser.add_argument("--query", default="pipelines", help="query for the cold-CLI timing")
    args = parser.parse_args(argv)
    load = os.getloadavg()
    print(
        f"# machine: {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"load average {load[0]:.1f} at start"
    )
    if args.cli_runs:
        first, ours, plain = cold_cli(args.query, args.cli_runs)
        print(
            f"cold CLI, `azgraph query run {args.query}` on the bundled graph: "
            f"{ours * 1000:.0f} ms median of {args.cli_runs} "
            f"(first run, filling the cache: {first * 1000:.0f} ms); "
            f"plain rdflib script: {plain * 1000:.0f} ms; ratio {ours / plain:.2f}"
        )
        runs = min(args.cli_runs, 5)
        per_query = cold_cli_every_query(runs)
        slowest = sorted(per_query, key=per_query.__getitem__, reverse=True)[:3]
        middle = statistics.median(per_query.values())
        print(
            f"cold CLI, every bundled query ({len(per_query)}), median of {runs} runs each: "
            f"median {middle * 1000:.0f} ms; "
            f"{sum(t <= 0.1 for t in per_query.values())} within 100 ms; slowest "
            + ", ".join(f"{n} {per_query[n] * 1000:.0f} ms" for n in slowest)
        )
    work = Path(tempfile.mkdtemp(prefix="azbench-"))
    for scale in (int(s) for s in args.scales.split(",")):
        from benchmarks.generate import generate

        root = generate(ROOT, work / f"x{scale}", scale)
        # A cache per corpus (the children inherit it; the user's ~/.cache stays clean): the
        # corpora share their first seeds, so a shared cache would make later ones look warm.
        os.environ["AZGRAPH_CACHE_DIR"] = str(work / f"cache-x{scale}")
        print(f"\n## ×{scale} ({len(list((root / 'seeds').glob('*.txt')))} seeds)")
        print(f"{'stage':36} {'wall s':>9} {'cpu s':>9} {'peak MB':>9}  note")
        results: dict[str, dict[str, Any]] = {}
        for stage in STAGES:
            if stage.startswith("baseline") and not args.baselines:
                continue
            limit = args.baseline_limit if stage.startswith("baseline") else None
            res = _measure(stage, root, args.repeat, limit)
            results[stage] = res
            extra = res["extra"]
            if isinstance(extra, dict):
                times: dict[str, float] = extra
                worst = max(times, key=lambda name: times[name]) if times else "-"
                extra = (
                    f"{len(times)} queries, slowest {worst} "
                    f"{times.get(worst, 0) * 1000:.0f} ms, "
                    f"median {statistics.median(times.values()) * 1000:.0f} ms"
                )
            if res.get("stopped"):
                print(
                    f"{stage:36} {'>' + format(res['wall'], '.0f'):>9} {'-':>9} {'-':>9}  "
                    f"stopped after {res['wall']:.0f} s (--baseline-limit)",
                    flush=True,
                )
                continue
            print(
                f"{stage:36} {res['wall']:9.2f} {res['cpu']:9.2f} {res['peak_mb']:9.0f}  {extra}",
                flush=True,
            )
        _ratios(results)


def _ratios(results: dict[str, dict[str, Any]]) -> None:
    steps = (
        "build (compile + write dumps)",
        "validate (load + fast engine)",
        "rebuild after one seed changed",
        "revalidate after one seed changed",
    )
    if all(step in results for step in steps):
        full, after = (results[a]["wall"] + results[b]["wall"] for a, b in (steps[:2], steps[2:]))
        print(f"  rebuild + revalidate / build + validate: {after / max(full, 1e-9):.1%}")
    pairs = [
        ("load dumps (pyoxigraph)", "baseline: rdflib parse"),
        ("validate (load + fast engine)", "baseline: pySHACL validate"),
        ("validate (load + fast engine)", "baseline: pySHACL, core constraints"),
        ("2-hop query (pyoxigraph, load+q)", "baseline: 2-hop query (rdflib)"),
    ]
    for ours, theirs in pairs:
        if ours in results and theirs in results:
            ratio = results[theirs]["wall"] / max(results[ours]["wall"], 1e-9)
            at_least = "at least " if results[theirs].get("stopped") else ""
            print(f"  {theirs.removeprefix('baseline: ')} / {ours}: {at_least}{ratio:.1f}× slower")


if __name__ == "__main__":
    main()
