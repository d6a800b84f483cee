#!/usr/bin/env python3
"""Mutation testing for the rules and transforms.

Finds mutation sites at run time with pattern-based operators (so the list does
not go stale when the rule files are rewritten), samples them deterministically
from a seed, adds the named mutants of `named-mutants.txt`, and for each mutant:
copies the change into a scratch copy of the package, rebuilds incrementally,
runs the test suites that mention the mutated type (or the whole suite with
--full), and records killed / survived / stillborn (does not compile) /
timeout. Results are appended to a JSON-lines file, so an interrupted run
resumes where it stopped; --budget-minutes bounds the run.

Usage (from the package root):
  Tests/Mutation/run.sh                      # 36 sampled mutants, seed 16
  Tests/Mutation/mutate.py --list            # every site, no build
  Tests/Mutation/mutate.py --sample 40 --seed 7 --budget-minutes 90
  Tests/Mutation/mutate.py --only survived   # re-run the survivors of the results file
"""
import argparse, io, json, tarfile, os, random, re, shutil, subprocess, sys, time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TARGET_GLOBS = ["Sources/Optimisers/Rules/*.swift", "Sources/Optimisers/Transforms/*.swift",
                "Sources/Optimisers/State/MomentEstimates.swift", "Sources/Optimisers/State/VelocityState.swift"]

# (name, regex, replacement). Applied to one match at a time, on code lines only.
OPERATORS = [
    ("flip-compound-assign", r"(?<![=!<>])-=", "+="),
    ("flip-compound-assign", r"(?<![=!<>])\+=(?! 1\b)", "-="),
    ("one-minus-beta", r"\b1 - (beta\d?|rho|momentum|decay\w*|mu|b1|b2)\b", r"\1"),
    ("drop-epsilon", r" \+ (eps\w*|epsilon\w*)\b", ""),
    ("epsilon-into-root", r"squareRoot\(of: ([^()]+)\) \+ (eps\w*|epsilon\w*)", r"squareRoot(of: \1 + \2)"),
    ("step-off-by-one", r"\b(\w*[sS]tep\w*) \+= 1\b", r"\1 += 2"),
    ("step-off-by-one", r"\b(\w*[sS]tep\w*) \+ 1\b", r"\1"),
    ("drop-bias-correction", r" / (correction\w*)\b", ""),
    ("binary-minus-to-plus", r"(?<=[\w\])]) - (?=[\w(])", " + "),
    ("binary-plus-to-minus", r"(?<=[\w\])]) \+ (?=[\w(])", " - "),
    ("times-to-divide", r"(?<=[\w\])]) \* (?=[\w(])", " / "),
    ("max-to-min", r"\bmax\(", "min("),
    ("min-to-max", r"\bmin\(", "max("),
    ("strict-to-loose", r"(?<=\w) < (?=\w)", " <= "),
    ("loose-to-strict", r"(?<=\w) <= (?=\w)", " < "),
    ("flip-greater", r"(?<=\w) > (?=\w)", " >= "),
    ("negate-condition", r"\bif (!?)(\w+)\b(?= \{)", None),  # handled specially
    ("swap-buffers", r"\b([a-z]\w*)\[i\](.*?)\b([a-z]\w*)\[i\]", None),  # handled specially
]

def code_part(line):
    stripped = line.lstrip()
    if stripped.startswith("//") or stripped.startswith("precondition") or "Hyperparameter." in line:
        return None
    # Strings and trailing comments are not mutated.
    cut = line.find("//")
    code = line if cut < 0 else line[:cut]
    if '"' in code:
        return None
    return code

def sites_in(path):
    text = path.read_text()
    lines = text.split("\n")
    result = []
    for number, line in enumerate(lines):
        code = code_part(line)
        if code is None:
            continue
        for name, pattern, replacement in OPERATORS:
            for match in re.finditer(pattern, code):
                if name == "negate-condition":
                    bang, word = match.group(1), match.group(2)
                    new = code[:match.start()] + ("if " + word if bang else "if !" + word) + code[match.end():]
                elif name == "swap-buffers":
                    a, middle, b = match.group(1), match.group(2), match.group(3)
                    if a == b:
                        continue
                    new = code[:match.start()] + f"{b}[i]{middle}{a}[i]" + code[match.end():]
                else:
                    new = code[:match.start()] + match.expand(replacement) + code[match.end():]
                if new == code:
                    continue
                result.append({
                    "file": str(path.relative_to(ROOT)), "line": number + 1, "operator": name,
                    "original": line.strip(), "mutated": (new + line[len(code):]).strip(),
                })
    return result

def named_mutants():
    listing = ROOT / "Tests/Mutation/named-mutants.txt"
    result = []
    if not listing.exists():
        return result
    for raw in listing.read_text().splitlines():
        if not raw.strip() or raw.startswith("#"):
            continue
        glob, pattern, replacement, description = [p.strip() for p in raw.split(" | ")]
        for path in sorted(ROOT.glob(glob)):
            lines = path.read_text().split("\n")
            for number, line in enumerate(lines):
                if code_part(line) is None:
                    continue
                if re.search(pattern, line):
                    new = re.sub(pattern, replacement, line, count=1)
                    result.append({"file": str(path.relative_to(ROOT)), "line": number + 1,
                                   "operator": "named:" + description, "original": line.strip(),
                                   "mutated": new.strip()})
                    break
    return result

def mutant_id(m):
    return f"{m['file']}:{m['line']}:{m['operator']}:{m['mutated']}"

def all_sites():
    paths = sorted({p for g in TARGET_GLOBS for p in ROOT.glob(g)})
    return [s for p in paths for s in sites_in(p)]

def stratified_sample(sites, count, seed):
    """`count` sites, spread over the files: files in a seeded order, one site
    from each in turn, so an unrolled loop with many sites does not dominate."""
    generator = random.Random(seed)
    by_file = {}
    for site in sites:
        by_file.setdefault(site["file"], []).append(site)
    files = sorted(by_file)
    generator.shuffle(files)
    for f in files:
        generator.shuffle(by_file[f])
    chosen = []
    while len(chosen) < count and any(by_file.values()):
        for f in files:
            if by_file[f] and len(chosen) < count:
                chosen.append(by_file[f].pop())
    return chosen

def suites_for(file):
    """Test suites (file basenames) that mention the mutated type by name, or a
    type of the package that uses it (one level: an internal helper such as
    LeafReduction is tested through SkipNonFinite and the clipping transforms)."""
    type_name = Path(file).stem
    names = {type_name}
    for source in (ROOT / "Sources/Optimisers").rglob("*.swift"):
        if source.stem != type_name and re.search(r"\b" + re.escape(type_name) + r"\b", source.read_text()):
            names.add(source.stem)
    pattern = re.compile(r"\b(" + "|".join(re.escape(n) for n in sorted(names)) + r")\b")
    suites = set()
    for test in (ROOT / "Tests/OptimisersTests").rglob("*.swift"):
        if "/Support/" in str(test):
            continue
        if pattern.search(test.read_text()):
            suites.add(test.stem)
    # Suites that check every catalogued rule or wrapper.
    suites |= {"RuleLawTests", "ReferenceFixtureTests", "SemanticLawTests", "SemanticEquivalenceTests",
               "StatefulLawTests", "CompositionFixtureTests"}
    return sorted(suites)

def run(command, cwd, timeout):
    try:
        done = subprocess.run(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              timeout=timeout, text=True)
        return done.returncode, done.stdout
    except subprocess.TimeoutExpired:
        return None, ""

def apply(scratch, m):
    path = scratch / m["file"]
    lines = path.read_text().split("\n")
    line = lines[m["line"] - 1]
    indent = line[: len(line) - len(line.lstrip())]
    if line.strip() != m["original"]:
        return None
    original_text = "\n".join(lines)
    lines[m["line"] - 1] = indent + m["mutated"]
    path.write_text("\n".join(lines))
    return original_text

def sync_scratch(scratch):
    """The committed tree (HEAD) in the scratch directory; its .build is kept,
    so later runs rebuild incrementally. Uncommitted edits are not mutated."""
    scratch.mkdir(parents=True, exist_ok=True)
    for item in ["Package.swift", "Sources", "Tests", "Documentation.docc", "README.md"]:
        target = scratch / item
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()
    # README.md too: DocumentationSnippetTests reads it, and fails without it.
    archive = subprocess.run(["git", "archive", "HEAD", "Package.swift", "Sources", "Tests", "Documentation.docc",
                              "README.md"],
                             cwd=ROOT, stdout=subprocess.PIPE, check=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(scratch)

def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--sample", type=int, default=36, help="sampled pattern mutants (named ones are added)")
    parser.add_argument("--budget-minutes", type=float, default=120)
    parser.add_argument("--build-timeout", type=int, default=1200)
    parser.add_argument("--test-timeout", type=int, default=600)
    parser.add_argument("--results", default="Tests/Mutation/results.jsonl")
    parser.add_argument("--scratch", default=os.environ.get("MUTATION_SCRATCH", ".build-mutation/package"))
    parser.add_argument("--full", action="store_true", help="run the whole suite for every mutant")
    parser.add_argument("--list", action="store_true", help="list the chosen mutants and stop")
    parser.add_argument("--only", choices=["survived"], help="re-run the survivors recorded in the results file")
    parser.add_argument("--survivors-of", help="re-run the survivors recorded in this results file, "
                        "recording into --results (to measure new tests against an earlier run)")
    args = parser.parse_args()

    sites = all_sites()
    chosen = stratified_sample(sites, args.sample, args.seed) + named_mutants()
    results_path = ROOT / args.results
    previous = {}
    if results_path.exists():
        for raw in results_path.read_text().splitlines():
            record = json.loads(raw)
            previous[record["id"]] = record
    if args.survivors_of:
        earlier = [json.loads(raw) for raw in (ROOT / args.survivors_of).read_text().splitlines()]
        chosen = [r["mutant"] for r in earlier if r["status"] == "survived"]
    elif args.only == "survived":
        chosen = [r["mutant"] for r in previous.values() if r["status"] == "survived"]
        previous = {}
    if args.list:
        print(f"{len(sites)} sites; chosen {len(chosen)}")
        for m in chosen:
            print(f"{m['file']}:{m['line']} [{m['operator']}]\n    - {m['original']}\n    + {m['mutated']}")
        return

    scratch = (ROOT / args.scratch).resolve()
    sync_scratch(scratch)
    code, output = run(["swift", "build", "--build-tests"], scratch, args.build_timeout)
    if code != 0:
        sys.exit("the unmutated package does not build:\n" + output[-3000:])
    start = time.time()
    for index, m in enumerate(chosen):
        key = mutant_id(m)
        if key in previous:
            continue
        if time.time() - start > args.budget_minutes * 60:
            print("time budget spent; run again to resume")
            break
        original = apply(scratch, m)
        if original is None:
            status, detail = "stale", "the line changed since the sites were found"
        else:
            try:
                code, output = run(["swift", "build", "--build-tests"], scratch, args.build_timeout)
                if code is None:
                    status, detail = "timeout", "build"
                elif code != 0:
                    status, detail = "stillborn", ""
                else:
                    command = ["swift", "test", "--skip-build"]
                    suites = None if args.full else suites_for(m["file"])
                    if suites:
                        command += ["--filter", "|".join(suites)]
                    code, output = run(command, scratch, args.test_timeout)
                    if code is None:
                        status, detail = "killed", "test timeout"
                    elif code != 0:
                        failing = sorted(set(re.findall(r"Test (\w+)\(.*?recorded an issue", output)))[:5]
                        status, detail = "killed", ", ".join(failing)
                    else:
                        status, detail = "survived", "suites: " + ("all" if suites is None else ",".join(suites))
            finally:
                (scratch / m["file"]).write_text(original)
        record = {"id": key, "mutant": m, "status": status, "detail": detail}
        with results_path.open("a") as out:
            out.write(json.dumps(record) + "\n")
        previous[key] = record
        print(f"[{index + 1}/{len(chosen)}] {status:9} {m['file']}:{m['line']} {m['operator']}: {m['mutated']}",
              flush=True)
    counted = [r for r in previous.values() if r["status"] in ("killed", "survived")]
    killed = sum(r["status"] == "killed" for r in counted)
    stillborn = sum(r["status"] == "stillborn" for r in previous.values())
    if counted:
        print(f"score: {killed}/{len(counted)} killed = {100 * killed / len(counted):.1f}% "
              f"({stillborn} stillborn not counted)")
    for r in previous.values():
        if r["status"] == "survived":
            m = r["mutant"]
            print(f"SURVIVED {m['file']}:{m['line']} [{m['operator']}] {m['mutated']}")

if __name__ == "__main__":
    main()
