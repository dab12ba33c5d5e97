"""`opshelpers …` on the command line.

    opshelpers data generate --users 1000000 --seed 7 --out big/ --format parquet
    opshelpers data generate --events 10_000_000 --out big/ --format parquet
    opshelpers data sample            # (re)write data/ if missing or stale
    opshelpers data dictionary        # rewrite data/DATA_DICTIONARY.md
    opshelpers notebooks build        # write and execute every edition from its source
    opshelpers notebooks check        # fail if an edition is stale or was edited by hand
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path


def _bar(label: str):
    """A progress bar on stderr (tqdm; the CLI's only output besides results): returns
    `step(name, fraction)` for a long job to call."""
    from tqdm import tqdm

    bar = tqdm(total=1000, desc=label, file=sys.stderr, leave=True,
               bar_format="{desc} |{bar:30}| {percentage:3.0f}%{postfix} {elapsed}")

    def step(name: str, fraction: float) -> None:
        bar.n = int(round(1000 * min(max(fraction, 0.0), 1.0)))
        bar.set_postfix_str(name, refresh=False)
        bar.refresh()
        if fraction >= 1:
            bar.close()
    return step


def _positive_int(text: str) -> int:
    value = int(text.replace("_", ""))
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be a positive integer, got {text}")
    return value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="opshelpers", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)

    data = sub.add_parser("data", help="generate the sample company's data")
    dsub = data.add_subparsers(dest="action", required=True)
    gen = dsub.add_parser("generate", help="generate a dataset of any size")
    size = gen.add_mutually_exclusive_group()
    size.add_argument("--users", type=_positive_int, default=None,
                      help="number of users (default 20,000)")
    size.add_argument("--events", type=_positive_int, default=None,
                      help="about this many events: the user count is sized from a "
                           "20,000-user pilot with the same seed")
    gen.add_argument("--seed", type=int, default=7)
    gen.add_argument("--out", type=Path, required=True)
    gen.add_argument("--format", choices=["csv", "parquet"], default="csv")
    smp = dsub.add_parser("sample", help="write the curriculum sample into data/ if needed")
    smp.add_argument("--force", action="store_true",
                     help="regenerate even if data/ matches SHA256SUMS (after changing synth)")
    dsub.add_parser("dictionary", help="write data/DATA_DICTIONARY.md")

    nb = sub.add_parser("notebooks", help="build or check the curriculum notebooks")
    nsub = nb.add_subparsers(dest="action", required=True)
    build = nsub.add_parser("build", help="execute solutions and write trainee copies")
    build.add_argument("names", nargs="*", help="notebook stems (default: all)")
    build.add_argument("--no-execute", action="store_true")
    nsub.add_parser("check", help="fail if trainee copies differ from the solutions")

    rep = sub.add_parser("report", help="run an analyst template on your own data")
    rep.add_argument("template", nargs="?", help="template name (see --list)")
    rep.add_argument("--list", action="store_true", help="list templates and their columns")
    rep.add_argument("--data", help="your file (CSV/Excel/Parquet); default: the sample")
    rep.add_argument("--data2", help="the second input, for templates that take two")
    rep.add_argument("--map", help="ours=yours pairs for --data, e.g. user_id=uid,event_time=ts")
    rep.add_argument("--map2", help="ours=yours pairs for --data2")
    rep.add_argument("--param", help="template parameters, e.g. freq=M,days=1,7,30")
    rep.add_argument("--out", default="report.html", help="HTML report path")
    rep.add_argument("--show-code", action="store_true", help="keep code cells in the HTML")
    rep.add_argument("--lang", choices=["zh", "en"], default="zh",
                     help="language of charts and verdicts: zh 中文 (default) or en")
    rep.add_argument("--encoding", help="the files' encoding if not detected (e.g. gbk, utf-16)")
    rep.add_argument("--duplicates", choices=["drop", "keep"],
                     help="rows repeating a key (order_id …): drop all but the first, or keep")
    rep.add_argument("--min-date", help="leave out rows before this day (counted)")
    rep.add_argument("--as-of", help="leave out rows after this day (counted)")
    order = rep.add_mutually_exclusive_group()
    order.add_argument("--dayfirst", dest="dayfirst", action="store_const", const=True,
                       help="read 05/03/2026 as 5 March")
    order.add_argument("--monthfirst", dest="dayfirst", action="store_const", const=False,
                       help="read 05/03/2026 as 3 May")
    rep.add_argument("--date-format", help="strptime format of the date columns, e.g. %%d.%%m.%%Y")

    asp = sub.add_parser("assess", help="hiring exercises: create, solve, grade")
    asub = asp.add_subparsers(dest="action", required=True)
    k = asub.add_parser("secret", help="write a new random secret (32 bytes) to a file")
    k.add_argument("--out", required=True, type=Path)
    for name in ("new", "solution"):
        p = asub.add_parser(name, help=f"{name} package for one candidate")
        p.add_argument("--exercise", required=True)
        p.add_argument("--candidate", required=True)
        p.add_argument("--secret", required=True, type=Path, help="file with the secret")
        p.add_argument("--out", required=True, type=Path)
    g = asub.add_parser("grade", help="grade one submitted notebook (in a sandbox)")
    g.add_argument("submission", type=Path)
    g.add_argument("--candidate", required=True)
    g.add_argument("--secret", required=True, type=Path)
    g.add_argument("--exercise")
    g.add_argument("--out", type=Path, default=Path("reports"))
    g.add_argument("--accept-unverified", action="store_true",
                   help="grade a notebook whose fingerprint is missing (the report says so)")
    b = asub.add_parser("batch", help="grade a folder of <candidate>.ipynb into one CSV")
    b.add_argument("folder", type=Path)
    b.add_argument("--exercise", required=True)
    b.add_argument("--secret", required=True, type=Path)
    b.add_argument("--out", required=True, type=Path, help="the CSV; reports go beside it")
    b.add_argument("-j", "--jobs", type=int, default=1, help="gradings run in parallel")
    for p in asub.choices.values():
        if p.prog.split()[-1] == "secret":
            continue
        p.add_argument("--bank", type=Path, help="your private question bank (file or folder); "
                       "without it: the public demo bank")
        p.add_argument("--lang", choices=("zh", "en"), default=None,
                       help="language of the notebook or report (default: zh)")
    for p in (g, b):
        p.add_argument("--cell-timeout", type=float, default=60, help="seconds per cell")
        p.add_argument("--timeout", type=float, default=600, help="seconds per notebook")
        p.add_argument("--memory-mb", type=int, default=3072, help="memory per process")
        p.add_argument("--without-sandbox", action="store_true",
                       help="run candidate code unsandboxed: it can read and write your files "
                       "(the report says so); only when bubblewrap cannot be installed")

    args = parser.parse_args(argv)
    if args.command == "data":
        return _data(args)
    if args.command == "assess":
        return _assess(args)
    if args.command == "report":
        from .templates import main_report

        return main_report(args)
    return _notebooks(args)


def _assess(args) -> int:
    from . import assess, sandbox

    if args.action == "secret":
        try:
            print(f"wrote a new secret to {assess.new_secret(args.out)}; keep it private")
        except FileExistsError:
            print(f"opshelpers: {args.out} exists; a secret is never overwritten",
                  file=sys.stderr)
            return 2
        return 0
    if not args.secret.is_file():
        print(f"opshelpers: secret file {args.secret} not found", file=sys.stderr)
        return 2
    try:
        if args.action in ("new", "solution"):
            make = assess.new_package if args.action == "new" else assess.solution_package
            print(f"wrote {make(args.exercise, args.candidate, args.secret, args.out, args.bank, args.lang)}")
            return 0
        limits = sandbox.Limits(cell_timeout=args.cell_timeout, total_timeout=args.timeout,
                                memory_mb=args.memory_mb)
        common = dict(bank=args.bank, limits=limits, use_sandbox=not args.without_sandbox,
                      lang=args.lang)
        if args.action == "grade":
            r = assess.grade(args.submission, args.candidate, args.secret,
                             exercise=args.exercise, out=args.out,
                             unverified=args.accept_unverified, **common)
            print(f"{r['candidate']}: {r['score']:.0%} in {r['seconds']:.1f} s; report in "
                  f"{args.out}")
            for p in r["problems"]:
                print(f"  problem: {p}")
            if r["fatal"]:
                return 2
        else:
            table = assess.grade_batch(args.folder, args.exercise, args.secret, args.out,
                                       jobs=args.jobs, progress=True, **common)
            failed = int(table["score"].isna().sum())
            print(f"graded {len(table)} notebook(s) into {args.out}"
                  + (f"; {failed} could not be graded (see the problems column)" if failed else ""))
    except sandbox.SandboxUnavailable as err:
        print(f"opshelpers: no grading sandbox: {err}. Candidate code is untrusted; to grade "
              "without a sandbox anyway, pass --without-sandbox (the report says so).",
              file=sys.stderr)
        return 2
    except (KeyError, ValueError, FileNotFoundError, ModuleNotFoundError) as err:
        print(f"opshelpers: {err}", file=sys.stderr)
        return 2
    return 0


def _data(args) -> int:
    from . import io, schema, synth

    if args.action == "generate":
        if args.events is not None:
            args.users = synth.users_for_events(args.events, seed=args.seed)
        elif args.users is None:
            args.users = 20_000
        if args.users < 500:
            print("opshelpers: --users must be at least 500 for the planted facts",
                  file=sys.stderr)
            return 2
        bar = _bar(f"generate {args.users:,} users")
        t0 = time.perf_counter()
        tables, truths = synth.generate(seed=args.seed, n_users=args.users,
                                        progress=lambda s, f: bar(s, f * 0.6))
        synth.write_tables(tables, args.out, fmt=args.format,
                           progress=lambda s, f: bar(s, 0.6 + 0.4 * f))
        rows = sum(len(t) for t in tables.values())
        print(f"wrote {len(tables)} tables, {rows:,} rows ({len(tables['events']):,} events) "
              f"to {args.out} in {time.perf_counter() - t0:.1f}s")
        return 0
    if args.action == "sample":
        folder = io.ensure_sample(force=args.force)
        print(f"sample data ready in {folder}")
        return 0
    path = io.sample_dir() / "DATA_DICTIONARY.md"
    path.write_text(schema.render_dictionary() + "\n", encoding="utf-8")
    print(f"wrote {path}")
    return 0


def _notebooks(args) -> int:
    from . import notebooks

    if args.action == "build":
        for path in notebooks.build(args.names or None, execute=not args.no_execute):
            print(f"wrote {path}")
        return 0
    stale = notebooks.stale_editions()
    for name in stale:
        print(f"{name} (run `make notebooks`)", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    raise SystemExit(main())
