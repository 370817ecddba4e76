#!/usr/bin/env python3
"""Fuzzes drlsim's input handling: every outcome must be exit 0 or a one-line exit-2 error.

Cases (deterministic for a given --seed):
  * mutations of every scenario under Scenarios/ (numbers made huge, tiny, negative or odd;
    units swapped; lines deleted, duplicated or swapped; control characters inserted; scalars
    replaced by lists or mappings; keys renamed);
  * a grammar of hostile YAML: alias bombs, deep flow and block nesting, huge sweeps, long
    lines, NUL bytes and escape sequences, duplicate keys, absurd quantities;
  * hostile manifests and shards for `drlsim merge` and baselines for `drlsim check`.

Each case runs `drlsim validate` (and, for a share of accepted scenarios, a short `drlsim run`)
under a wall-clock timeout and an address-space cap (RLIMIT_AS). A defect is: a signal (crash),
an exit status other than 0 or 2, more than one line on stderr with exit 2, a timeout, a file
deleted that drlsim did not write, or an output folder left behind after a refusal.

  Scripts/fuzz.py --drlsim .build/debug/drlsim                 # CI: bounded (a few minutes)
  Scripts/fuzz.py --drlsim .build/release/drlsim --cases 20000 --timeout 60   # release mode
Exits 1 when a defect was found (each is written to --defects DIR for a regression test).
"""
import argparse
import os
import random
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))

HUGE_NUMBERS = ["1e30", "9223372036854775807", "9223372036854775808", "1e300", "-1", "0", "0.0000001",
                "nan", "inf", "-inf", "1e-300", "18446744073709551616", "4294967296", "1000000000",
                "99999999999999", "0x10", "1_000", "1.7976931348623157e308"]
UNITS = ["", "ns", "us", "ms", "s", "min", "h", "bit", "kbit", "mbit", "gbit", "tbit", "bps", "Mbps",
         "b", "kb", "mb", "gb", "KiB", "MiB", "GiB", "TiB", "PiB", "GB", "TB", "%", "Mb", "m", "d"]
ODD = ["[]", "{}", "[1, 2]", "{a: 1}", "~", "''", "\"\\0\"", "\"\\e[31m\"", "yes", "!!binary aGk=",
       "*undefined", "&a x", "- x", "|", ">", "\"" + "x" * 5000 + "\""]


def limit_memory(cap_bytes):
    def apply():
        resource.setrlimit(resource.RLIMIT_AS, (cap_bytes, cap_bytes))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        os.setsid()
    return apply


def mutate(text, rng):
    lines = text.split("\n")
    kind = rng.randrange(11)
    if kind >= 9:  # a quantity scaled, its unit kept: plausible syntax, extreme value
        spots = [(i, m) for i, l in enumerate(lines) for m in re.finditer(r"(?<![\w.])(\d+(\.\d+)?)(?=[a-zA-Z%]|\b)", l)
                 if not l.lstrip().startswith("#")]
        if spots:
            i, m = rng.choice(spots)
            v = float(m.group(1)) * rng.choice([0, 1e-6, 1e-3, 0.01, 100, 1e3, 1e4, 1e6])
            txt = str(int(v)) if v == int(v) and abs(v) < 1e15 else repr(v)
            lines[i] = lines[i][:m.start()] + txt + lines[i][m.end():]
        return "\n".join(lines)
    if kind == 0 or kind == 1:  # a number
        spots = [(i, m) for i, l in enumerate(lines) for m in re.finditer(r"(?<![\w.])-?\d+(\.\d+)?(e-?\d+)?", l)]
        if spots:
            i, m = rng.choice(spots)
            l = lines[i]
            lines[i] = l[:m.start()] + rng.choice(HUGE_NUMBERS) + l[m.end():]
    elif kind == 2:  # a unit
        spots = [(i, m) for i, l in enumerate(lines) for m in re.finditer(r"(?<=\d)([a-zA-Z%]+)", l)]
        if spots:
            i, m = rng.choice(spots)
            l = lines[i]
            lines[i] = l[:m.start()] + rng.choice(UNITS) + l[m.end():]
    elif kind == 3 and len(lines) > 1:  # delete a line
        del lines[rng.randrange(len(lines))]
    elif kind == 4 and lines:  # duplicate a line
        i = rng.randrange(len(lines))
        lines.insert(i, lines[i])
    elif kind == 5 and len(lines) > 1:  # swap two lines
        i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
        lines[i], lines[j] = lines[j], lines[i]
    elif kind == 6 and lines:  # control characters
        i = rng.randrange(len(lines))
        c = rng.choice(["\x00", "\x1b[2J", "\x07", "\t", "\r", "\u202e", "\x7f", "\ufeff"])
        p = rng.randrange(len(lines[i]) + 1)
        lines[i] = lines[i][:p] + c + lines[i][p:]
    elif kind == 7:  # a value replaced by something of another shape
        spots = [i for i, l in enumerate(lines) if re.match(r"^\s*[\w.\[\]-]+:\s+\S", l)]
        if spots:
            i = rng.choice(spots)
            k = lines[i].split(":", 1)[0]
            lines[i] = k + ": " + rng.choice(ODD + HUGE_NUMBERS)
    else:  # a key renamed or a sweep added
        if rng.random() < 0.5:
            spots = [i for i, l in enumerate(lines) if re.match(r"^\s*\w+:", l)]
            if spots:
                i = rng.choice(spots)
                lines[i] = re.sub(r"(\w+):", lambda m: m.group(1)[::-1] + ":", lines[i], count=1)
        else:
            n = rng.choice([2, 10, 100, 1000])
            keys = rng.randrange(1, 25)
            lines.append("sweep:")
            for a in range(keys):
                lines.append(f"  seed_{a}: [{', '.join(str(x) for x in range(n))}]")
    return "\n".join(lines)


def hostile(rng):
    kind = rng.randrange(12)
    head = "schema: 1\nname: hostile\n"
    if kind == 0:  # alias bomb
        levels = rng.randrange(6, 12)
        fan = rng.randrange(5, 10)
        s = head + "x-a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        for i in range(1, levels):
            s += f"x-a{i}: &a{i} [" + ", ".join([f"*a{i-1}"] * fan) + "]\n"
        return s + f"description: *a{levels-1}\n"
    if kind == 1:  # deep flow nesting
        d = rng.choice([100, 1000, 3000, 20000, 100000])
        return head + "description: " + "[" * d + "]" * d + "\n"
    if kind == 2:  # deep block nesting
        d = rng.choice([50, 300, 3000])
        s = head + "x-deep:\n"
        for i in range(d):
            s += " " * (i + 1) + f"k{i}:\n"
        return s + " " * (d + 1) + "v\n"
    if kind == 3:  # compact nested sequences
        d = rng.choice([100, 2000, 20000])
        return head + "x-seq: " + "- " * d + "x\n"
    if kind == 4:  # huge sweep
        axes = rng.randrange(2, 45)
        vals = rng.choice([2, 10, 100])
        s = head + "queue: {arrival: 1s, service: 500ms, customers: 10}\nsweep:\n"
        for a in range(axes):
            s += f"  queue.customers: [{', '.join(str(10 + v) for v in range(vals))}]\n" if a == 0 else \
                 f"  x-{a}.v: [{', '.join(str(v) for v in range(vals))}]\n"
        return s
    if kind == 5:  # replications x points overflow
        return head + f"replications: {rng.choice(['1000000', '999999999999', '-5', '0'])}\n" \
            "queue: {arrival: 1s, service: 500ms, customers: 10}\nsweep:\n" \
            "  queue.customers: [" + ", ".join(str(10 + v) for v in range(rng.choice([10, 1000, 100000]))) + "]\n"
    if kind == 6:  # long line
        return head + "description: " + "x" * rng.choice([10000, 2_000_000]) + "\n"
    if kind == 7:  # control characters and escapes in names and keys
        bad = rng.choice(["a\\nb", "\\e[31mred", "\\0nul", "a/b", "..", "ok\\tname", "\\u202e"])
        return head.replace("name: hostile", f'name: "{bad}"') + \
            "queue: {arrival: 1s, service: 500ms, customers: 10}\n" + f'"k\\e[2J{bad}": 1\n'
    if kind == 8:  # duplicate keys and merges
        return head + "queue: {arrival: 1s, service: 500ms, customers: 10}\nqueue: {}\n" if rng.random() < 0.5 else \
            head + "x-m: &m {customers: 10}\nqueue: {<<: [*m, *m, *m], arrival: 1s, service: 1s}\n"
    if kind == 9:  # absurd quantities
        key, val = rng.choice([("duration", "10000000h"), ("duration", "1e30s"), ("duration", "0.0000001ns"),
                               ("seed", "-1"), ("seed", "18446744073709551616"), ("replications", "1e9")])
        return head + f"{key}: {val}\nqueue: {{arrival: 1s, service: 500ms, customers: 10}}\n"
    if kind == 10:  # binary garbage
        return "".join(chr(rng.randrange(0, 256)) for _ in range(rng.randrange(1, 400)))
    return head + "queue:\n  arrival: {type: " + rng.choice(["exponential", "pareto", "empirical", "zeta"]) + \
        ", mean: " + rng.choice(HUGE_NUMBERS) + rng.choice(["s", "ns", "h"]) + "}\n  service: 1s\n  customers: " + \
        rng.choice(HUGE_NUMBERS) + "\n"


def hostile_manifest(rng):
    points = rng.choice(["-1", "9223372036854775807", "0", "3", "99999999999999999999", "1"])
    reps = rng.choice(["1", "-3", "4611686018427387904", "0"])
    return (f"format: drlsim-results 1\ndrlsim: 0.2.0\nscenario: x\nfile: x.yaml\nfingerprint: 0\n"
            f"seed: 1\npoints: {points}\nreplications: {reps}\nruns: 1\nshard: 0/2\n")


class Outcome:
    def __init__(self):
        self.cases = 0
        self.accepted = 0
        self.rejected = 0
        self.runs = 0
        self.defects = []


def check(proc_args, cwd, timeout, cap, label, outcome, defects_dir, inputs):
    start = time.time()
    try:
        p = subprocess.run(proc_args, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=timeout, preexec_fn=limit_memory(cap))
    except subprocess.TimeoutExpired:
        record(outcome, defects_dir, label, "timeout after %.0f s" % timeout, inputs)
        return None
    err = p.stderr.decode("utf-8", "replace")
    lines = [l for l in err.split("\n") if l]
    if p.returncode < 0:
        record(outcome, defects_dir, label, f"signal {-p.returncode}: {err[:300]!r}", inputs)
    elif p.returncode not in (0, 2):
        record(outcome, defects_dir, label, f"exit {p.returncode}: {err[:300]!r}", inputs)
    elif p.returncode == 2 and len(lines) != 1:
        record(outcome, defects_dir, label, f"{len(lines)} stderr lines: {err[:300]!r}", inputs)
    elif p.returncode == 2 and len(lines[0]) > 1000:
        record(outcome, defects_dir, label, f"error line of {len(lines[0])} characters", inputs)
    elif p.returncode == 2 and re.search(r"[\x00-\x08\x0b-\x1f\x7f]", lines[0]):
        record(outcome, defects_dir, label, f"control character in the error line: {lines[0][:200]!r}", inputs)
    return p.returncode


def record(outcome, defects_dir, label, what, inputs):
    outcome.defects.append((label, what))
    if defects_dir:
        d = os.path.join(defects_dir, f"defect-{len(outcome.defects):04d}")
        os.makedirs(d, exist_ok=True)
        for name, content in inputs.items():
            with open(os.path.join(d, name), "wb") as f:
                f.write(content.encode("utf-8", "surrogateescape") if isinstance(content, str) else content)
        with open(os.path.join(d, "what.txt"), "w") as f:
            f.write(f"{label}: {what}\n")
    print(f"DEFECT {label}: {what}", file=sys.stderr)


def scenario_files(folder="Scenarios"):
    out = []
    for dp, _, names in os.walk(os.path.join(ROOT, folder)):
        for n in sorted(names):
            if n.endswith(".yaml"):
                out.append(os.path.join(dp, n))
    return sorted(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--drlsim", default=os.path.join(ROOT, ".build/debug/drlsim"))
    ap.add_argument("--cases", type=int, default=600, help="scenario cases (mutations + grammar)")
    ap.add_argument("--seed", type=int, default=20261207)
    ap.add_argument("--timeout", type=float, default=30.0, help="seconds per command")
    ap.add_argument("--memory", type=float, default=4.0, help="address-space cap per command, GiB")
    ap.add_argument("--run-share", type=float, default=0.05, help="share of accepted scenarios also run briefly")
    ap.add_argument("--run-duration", default="90s", help="duration override for the short runs ('file': keep the file's)")
    ap.add_argument("--sources", default="Scenarios", help="folder (under the repository) whose scenarios are mutated")
    ap.add_argument("--defects", default=None, help="folder to write each defect's inputs into")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    drlsim = os.path.abspath(args.drlsim)
    cap = int(args.memory * (1 << 30))
    outcome = Outcome()
    sources = [(f, open(f, encoding="utf-8").read()) for f in scenario_files(args.sources)]
    work = tempfile.mkdtemp(prefix="drlsim-fuzz-")
    t0 = time.time()
    try:
        for case in range(args.cases):
            if rng.random() < 0.7:
                path, text = rng.choice(sources)
                for _ in range(1 if rng.random() < 0.6 else rng.randrange(2, 4)):
                    text = mutate(text, rng)
                label = f"case {case} (mutation of {os.path.relpath(path, ROOT)})"
                # Keep relative references (traces) resolvable: write next to a copy of its folder.
                folder = os.path.join(work, "c")
                if os.path.exists(folder):
                    shutil.rmtree(folder)
                shutil.copytree(os.path.dirname(path), folder)
                name = os.path.basename(path)
            else:
                text = hostile(rng)
                label = f"case {case} (hostile grammar)"
                folder = os.path.join(work, "c")
                if os.path.exists(folder):
                    shutil.rmtree(folder)
                os.makedirs(folder)
                name = "hostile.yaml"
            with open(os.path.join(folder, name), "w", encoding="utf-8", errors="surrogateescape") as f:
                f.write(text)
            # A sentinel file of the user's that must survive.
            with open(os.path.join(folder, "precious.txt"), "w") as f:
                f.write("user data\n")
            outcome.cases += 1
            code = check([drlsim, "validate", name], folder, args.timeout, cap, label, outcome, args.defects, {name: text})
            if code == 0:
                outcome.accepted += 1
                if rng.random() < args.run_share:
                    outcome.runs += 1
                    dur = [] if args.run_duration == "file" else ["--set", f"duration={args.run_duration}"]
                    code = check([drlsim, "run", name, "--replications", "1", "--jobs", "1", "--out", "out", "-q",
                                  "--max-runs", "4"] + dur,
                                 folder, args.timeout, cap, label + " [run]", outcome, args.defects, {name: text})
                    if code != 0 and os.path.exists(os.path.join(folder, "out")):
                        record(outcome, args.defects, label, "output folder left after a refused run", {name: text})
            elif code == 2:
                outcome.rejected += 1
            if not os.path.exists(os.path.join(folder, "precious.txt")):
                record(outcome, args.defects, label, "a user file was deleted", {name: text})
        # Hostile manifests for merge.
        for case in range(max(20, args.cases // 20)):
            folder = os.path.join(work, "m")
            if os.path.exists(folder):
                shutil.rmtree(folder)
            os.makedirs(os.path.join(folder, "a"))
            with open(os.path.join(folder, "a", "manifest.txt"), "w") as f:
                f.write(hostile_manifest(rng))
            with open(os.path.join(folder, "a", "runs.csv"), "w") as f:
                f.write("run,point,replication,scenario\n" + rng.choice(["0,0,0,x\n", "999,0,0,x\n", "0,0,0\n", "-1,0,0,x\n", "0,0,0,x\n0,0,0,x\n", ""]))
            outcome.cases += 1
            code = check([drlsim, "merge", "a", "--out", "merged"], folder, args.timeout, cap,
                         f"merge case {case}", outcome, args.defects, {"manifest.txt": open(os.path.join(folder, "a", "manifest.txt")).read()})
            if code == 0:
                outcome.accepted += 1
            elif code == 2:
                outcome.rejected += 1
    finally:
        shutil.rmtree(work, ignore_errors=True)
    wall = time.time() - t0
    print(f"fuzz: {outcome.cases} cases ({outcome.accepted} accepted, {outcome.rejected} rejected cleanly, "
          f"{outcome.runs} also run), {len(outcome.defects)} defects, {wall:.0f} s")
    if outcome.defects:
        for label, what in outcome.defects[:30]:
            print(f"  {label}: {what}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
