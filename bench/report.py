#!/usr/bin/env python3
"""Turns JMH JSON results (java -jar benchmarks.jar ... -rf json) into the tables of bench/README.md.

Usage: python3 bench/report.py bench/results/jdk17 [bench/results/jdk25 ...] > tables.md

Each directory holds the JSON files of one JDK; every *.json in it is read. For each ESP and AH row
the ratio is the row's throughput over the CryptoBaselineBench row of the same alg, size and
direction with provider=datapath (the cipher and MAC on the libraries the datapath uses); where that
row was not run, the jce or bc row standing for the same choice is used.
"""
import glob
import json
import os
import sys

# The datapath's choice (TransformFactory.defaultProvider): (cipher, MAC).
DATAPATH = {
    "des-cbc/hmac-md5": ("bc", "jce"),
    "3des-cbc/hmac-sha1": ("bc", "jce"),
    "null/hmac-sha1": (None, "jce"),
    "aes-cbc/hmac-sha1": ("jce", "jce"),
    "aes-gcm-16": ("jce", None),
    "ah/hmac-md5": (None, "jce"),
    "ah/hmac-sha1": (None, "jce"),
}


def load(directory):
    rows = []
    for path in sorted(glob.glob(os.path.join(directory, "*.json"))):
        with open(path) as f:
            try:
                rows.extend(json.load(f))
            except ValueError:
                print("skipped (not finished?): " + path, file=sys.stderr)
    return rows


def short(benchmark):
    return benchmark.rsplit(".", 2)[-2], benchmark.rsplit(".", 1)[-1]


def alloc(row):
    m = row.get("secondaryMetrics", {}).get("gc.alloc.rate.norm")
    return None if m is None else (m["score"], m["scoreError"])


def fmt_alloc(a):
    if a is None:
        return "-"
    score, err = a
    if abs(score) < 0.5:
        return "0 (%.2f)" % score
    return "%.0f" % score


def err(x):
    x = float(x)  # JMH writes "NaN" when there is one iteration only
    return 0.0 if x != x else x


def fmt_ops(row):
    m = row["primaryMetric"]
    return "%s ± %s" % (group(m["score"]), group(err(m["scoreError"])))


def group(x):
    return "{:,.0f}".format(x).replace(",", " ")


def index(rows):
    out = {}
    for r in rows:
        cls, method = short(r["benchmark"])
        key = (cls, method) + tuple(sorted(r.get("params", {}).items()))
        out[key] = r
    return out


def find(idx, cls, method, **params):
    return idx.get((cls, method) + tuple(sorted((k, str(v)) for k, v in params.items())))


def baseline(idx, alg, size, direction):
    r = find(idx, "CryptoBaselineBench", direction, alg=alg, provider="datapath", size=size)
    if r is not None:
        return r
    cipher, mac = DATAPATH[alg]
    choices = {c for c in (cipher, mac) if c is not None}
    if len(choices) == 1:
        return find(idx, "CryptoBaselineBench", direction, alg=alg, provider=choices.pop(), size=size)
    return None


def jvm_line(rows):
    r = rows[0]
    forks = {}
    for x in rows:
        forks.setdefault(x.get("forks"), set()).add(short(x["benchmark"])[0])
    fork_text = ", ".join("%s for %s" % (f, ", ".join(sorted(c))) for f, c in sorted(forks.items()))
    return "%s %s (%s), JMH %s, forks: %s; warm-up %s x %s, measurement %s x %s" % (
        r.get("vmName"), r.get("jdkVersion"), r.get("vmVersion"), r.get("jmhVersion"),
        fork_text, r.get("warmupIterations"), r.get("warmupTime"),
        r.get("measurementIterations"), r.get("measurementTime"))


def lookup_table(idx, rows):
    print("| benchmark | param | ns/op | B/op |")
    print("| --- | --- | ---: | ---: |")
    for r in rows:
        cls, method = short(r["benchmark"])
        if cls != "SadbLookupBench":
            continue
        p = r["params"]
        param = ", ".join("%s=%s" % kv for kv in sorted(p.items()))
        m = r["primaryMetric"]
        print("| %s | %s | %.1f ± %.1f | %s |" % (method, param, m["score"], err(m["scoreError"]),
                                               fmt_alloc(alloc(r))))
    print()


def protocol_table(idx, rows, cls):
    print("| alg | size | direction | packets/s | MB/s (payload) | B/op | baseline packets/s | ratio |")
    print("| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: |")
    sel = [r for r in rows if short(r["benchmark"])[0] == cls]
    sel.sort(key=lambda r: (r["params"]["alg"], int(r["params"]["size"]), short(r["benchmark"])[1]))
    for r in sel:
        p = r["params"]
        direction = short(r["benchmark"])[1]
        alg = p["alg"] if cls == "EspBench" else "ah/" + p["alg"]
        size = int(p["size"])
        score = r["primaryMetric"]["score"]
        b = baseline(idx, alg, p["size"], direction)
        ratio = "-" if b is None else "%.2f" % (score / b["primaryMetric"]["score"])
        print("| %s | %d | %s | %s | %.0f | %s | %s | %s |" % (
            p["alg"], size, direction, fmt_ops(r), score * size / 1e6, fmt_alloc(alloc(r)),
            "-" if b is None else group(b["primaryMetric"]["score"]), ratio))
    print()


def baseline_table(idx, rows):
    print("| alg | size | direction | JCE packets/s | JCE B/op | BC packets/s | BC B/op | faster |")
    print("| --- | ---: | --- | ---: | ---: | ---: | ---: | --- |")
    keys = sorted({(r["params"]["alg"], int(r["params"]["size"]), short(r["benchmark"])[1])
                   for r in rows if short(r["benchmark"])[0] == "CryptoBaselineBench"})
    for alg, size, direction in keys:
        j = find(idx, "CryptoBaselineBench", direction, alg=alg, provider="jce", size=size)
        b = find(idx, "CryptoBaselineBench", direction, alg=alg, provider="bc", size=size)
        if j is None or b is None:
            continue
        js, bs = j["primaryMetric"]["score"], b["primaryMetric"]["score"]
        faster = "JCE %.1fx" % (js / bs) if js >= bs else "BC %.1fx" % (bs / js)
        print("| %s | %d | %s | %s | %s | %s | %s | %s |" % (
            alg, size, direction, fmt_ops(j), fmt_alloc(alloc(j)), fmt_ops(b),
            fmt_alloc(alloc(b)), faster))
    mixed = [r for r in rows if short(r["benchmark"])[0] == "CryptoBaselineBench"
             and r["params"]["provider"] == "datapath"]
    if mixed:
        print()
        print("Mixed libraries as the datapath uses them (provider=datapath):")
        print()
        print("| alg | size | direction | packets/s | B/op |")
        print("| --- | ---: | --- | ---: | ---: |")
        for r in sorted(mixed, key=lambda r: (r["params"]["alg"], int(r["params"]["size"]))):
            print("| %s | %s | %s | %s | %s |" % (r["params"]["alg"], r["params"]["size"],
                                               short(r["benchmark"])[1], fmt_ops(r),
                                               fmt_alloc(alloc(r))))
    print()


def pipeline_table(idx, rows):
    print("| alg | mode | size | direction | packets/s | B/op |")
    print("| --- | --- | ---: | --- | ---: | ---: |")
    sel = [r for r in rows if short(r["benchmark"])[0] == "PipelineBench"]
    sel.sort(key=lambda r: (r["params"]["alg"], r["params"]["mode"], int(r["params"]["size"]),
                            short(r["benchmark"])[1]))
    for r in sel:
        p = r["params"]
        print("| %s | %s | %s | %s | %s | %s |" % (p["alg"], p["mode"], p["size"],
                                                 short(r["benchmark"])[1], fmt_ops(r),
                                                 fmt_alloc(alloc(r))))
    print()


def main(dirs):
    for d in dirs:
        rows = load(d)
        if not rows:
            continue
        idx = index(rows)
        classes = {short(r["benchmark"])[0] for r in rows}
        print("## %s\n" % os.path.basename(os.path.normpath(d)))
        print(jvm_line(rows) + "\n")
        if "SadbLookupBench" in classes:
            print("### SadbLookupBench\n")
            lookup_table(idx, rows)
        for cls in ("EspBench", "AhBench"):
            if cls in classes:
                print("### %s\n" % cls)
                protocol_table(idx, rows, cls)
        if "CryptoBaselineBench" in classes:
            print("### CryptoBaselineBench\n")
            baseline_table(idx, rows)
        if "PipelineBench" in classes:
            print("### PipelineBench\n")
            pipeline_table(idx, rows)


if __name__ == "__main__":
    main(sys.argv[1:])
