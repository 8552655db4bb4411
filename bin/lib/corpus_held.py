#!/usr/bin/env python3
"""How much everyday PostgreSQL a column rule holds: the share of PostgreSQL 15's regression statements that
only read or set session state by the real parser's class (kind_map.py: READ or SESSION, no risky class also
acceptable) and name no `*`, that `bin/gatehouse check` holds under a policy whose one rule
is about a column nothing in the corpus has. Every such hold comes from the reader (a statement it cannot read,
or lineage it leaves incomplete), never from the rule.

Usage: corpus_held.py CHECKOUT [CORPUS_DIR] [--verbose]
  CORPUS_DIR defaults to CHECKOUT/../shared/corpus/pg15-regress (read only: corpus.jsonl, kind_map.py).
Last line: "corpus-held: H of N (P%) READ/SESSION statements without * held under one unrelated column rule";
exit 1 when P > 2.5 (or when the check run fails), else 0.
"""
import collections, json, os, subprocess, sys, tempfile, time

LIMIT_PERCENT = 2.5
RISKY = {"WRITE", "DDL", "PRIVILEGE", "EXPORT", "PROCEDURAL"}
# The only rule: a column no corpus statement reads. No schema file is given, as `serve` runs by default.
POLICY = """version: 1
defaults: { unparsed: review, otherwise: allow }
rules:
  - { id: one-column, match: { columns: ["nobody_schema.nobody_table.nobody_column"] }, action: review }
"""

args = [a for a in sys.argv[1:] if not a.startswith("--")]
verbose = "--verbose" in sys.argv
checkout = os.path.abspath(args[0] if args else os.getcwd())
corpus_dir = os.path.abspath(args[1] if len(args) > 1 else os.path.join(checkout, "..", "shared", "corpus", "pg15-regress"))
sys.path.insert(0, corpus_dir)
from kind_map import expected_class  # noqa: E402  (the real parser's class of each statement)

# As run_regress.py reads the corpus: one row per distinct text, standard_conforming_strings on only.
seen, picked = set(), []
with open(os.path.join(corpus_dir, "corpus.jsonl")) as f:
    for line in f:
        r = json.loads(line)
        if r.get("scs") is False or r["sql"] in seen:
            continue
        seen.add(r["sql"])
        if "*" in r["sql"]:
            continue  # `*` without a schema leaves lineage incomplete by design; not this figure's subject
        # READ or SESSION with no risky class also acceptable (an EXPLAIN that may run its statement is left
        # out), as run_regress.py counts statements over-flagged
        exp = expected_class(r["pg_node"], r.get("detail", {}))
        if exp["expected"] in ("READ", "SESSION") and not set(exp.get("also_ok", [])) & RISKY:
            picked.append(r)

launcher = os.path.join(checkout, "bin", "gatehouse")
with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as f:
    f.write(POLICY)
    policy = f.name
started = time.monotonic()
try:
    p = subprocess.run([launcher, "check", "--jsonl", "--dialect", "postgres", "--policy", policy],
                       input="".join(json.dumps({"sql": r["sql"]}) + "\n" for r in picked),
                       capture_output=True, text=True, timeout=3600, cwd=checkout)
finally:
    os.unlink(policy)
out = [l for l in p.stdout.splitlines() if l.strip().startswith("{")]
if len(out) != len(picked):
    print(p.stderr[-1500:])
    print(f"corpus-held: expected {len(picked)} lines from gatehouse check, got {len(out)}")
    sys.exit(1)

held = []
for r, line in zip(picked, out):
    res = json.loads(line)
    if res.get("decision") != "allow":
        held.append((r, res))
by_node = collections.Counter(r["pg_node"] for r, _ in held)
by_reason = collections.Counter((res.get("reason") or "")[:90] for _, res in held)
if verbose:
    for r, res in held:
        print(f"HELD {r['file']}#{r['n']} {r['pg_node']}: {res.get('reason', '')[:80]!r}: {r['sql'][:120]!r}")
print("held by node:", ", ".join(f"{k} {v}" for k, v in by_node.most_common(12)))
print("held by reason:", "; ".join(f"{k!r} {v}" for k, v in by_reason.most_common(5)))
print(f"corpus-held: check took {time.monotonic() - started:.0f}s")
percent = 100.0 * len(held) / max(1, len(picked))
print(f"corpus-held: {len(held)} of {len(picked)} ({percent:.1f}%) READ/SESSION statements without * held "
      f"under one unrelated column rule")
sys.exit(1 if percent > LIMIT_PERCENT else 0)
