#!/usr/bin/env python3
"""Compares lclab HDF5 outputs: every dataset and every attribute, bit for bit.

usage:
  scripts/compare-outputs.py A.h5 B.h5 [--ignore NAME]... [--ignore-dataset PATH]...
  scripts/compare-outputs.py DIR_A DIR_B [--ignore NAME]...   (files of the same name)

Two files match when they hold the same groups and datasets, every dataset has
the same dtype, shape and bytes (so NaNs match only if their bits do), and every
object has the same attributes with the same values. The root attributes
`build_id` (the commit and compiler) and `seconds` (a run's wall time) are
always ignored; `--ignore NAME` ignores
another attribute name wherever it appears (e.g. `command_line`, which holds the
output path); `--ignore-dataset PATH` compares a dataset's type and shape but not
its values (e.g. `/runs/seconds` of a study summary, which holds wall times).
Exit 0 when everything matches, 1 on a difference, 2 on bad usage.

Used to check that a change which should not alter results does not: run the
example configs before and after, then compare the two directories.
"""
import argparse
import os
import sys

import h5py
import numpy as np


def attr_value(v):
    """An attribute as a comparable Python value."""
    if isinstance(v, bytes):
        return v.decode("utf-8", "surrogateescape")
    if isinstance(v, np.ndarray):
        if v.dtype.kind in "OSU":
            return tuple(x.decode() if isinstance(x, bytes) else str(x) for x in v.ravel())
        return (v.dtype.str, v.shape, v.tobytes())
    if isinstance(v, np.generic):
        return (v.dtype.str, v.tobytes())
    return v


def dataset_bytes(d):
    """A dataset's dtype description, shape and contents as bytes or strings."""
    if h5py.check_string_dtype(d.dtype) is not None:
        return ("string", d.shape, tuple(d.asstr()[()].ravel().tolist()) if d.size else ())
    data = d[()]
    arr = np.asarray(data)
    return (d.dtype.str, d.shape, arr.tobytes())


def collect(f, ignore, ignore_datasets=()):
    """Every object in a file: path -> ("group" | dataset contents, attributes)."""
    objects = {}

    def visit(name, obj):
        path = "/" + name
        attrs = {k: attr_value(obj.attrs[k]) for k in obj.attrs if k not in ignore}
        if isinstance(obj, h5py.Dataset):
            value = dataset_bytes(obj)
            objects[path] = ((value[0], value[1], None) if path in ignore_datasets else value, attrs)
        else:
            objects[path] = ("group", attrs)

    root_ignore = set(ignore) | {"build_id", "seconds"}
    objects["/"] = ("group", {k: attr_value(f.attrs[k]) for k in f.attrs if k not in root_ignore})
    f.visititems(visit)
    return objects


def describe(value):
    if value == "group":
        return "a group"
    kind, shape, _ = value
    return f"{kind} {shape}"


def compare_files(a, b, ignore, out, ignore_datasets=()):
    with h5py.File(a, "r") as fa, h5py.File(b, "r") as fb:
        oa, ob = collect(fa, ignore, ignore_datasets), collect(fb, ignore, ignore_datasets)
    diffs = []
    for path in sorted(set(oa) | set(ob)):
        if path not in ob:
            diffs.append(f"{path}: only in {a}")
            continue
        if path not in oa:
            diffs.append(f"{path}: only in {b}")
            continue
        (va, aa), (vb, ab) = oa[path], ob[path]
        if va != vb:
            if va == "group" or vb == "group" or va[:2] != vb[:2]:
                diffs.append(f"{path}: {describe(va)} against {describe(vb)}")
            else:
                diffs.append(f"{path}: values differ")
        for k in sorted(set(aa) | set(ab)):
            if aa.get(k, "<missing>") != ab.get(k, "<missing>"):
                diffs.append(f"{path} @{k}: attribute differs")
    for d in diffs:
        print(f"{os.path.basename(a)}: {d}", file=out)
    return len(diffs) == 0, len(oa)


def main(argv):
    parser = argparse.ArgumentParser(description="Compare lclab HDF5 outputs bit for bit.")
    parser.add_argument("a")
    parser.add_argument("b")
    parser.add_argument("--ignore", action="append", default=[], metavar="NAME",
                        help="an attribute name to ignore (repeatable); build_id is always ignored")
    parser.add_argument("--ignore-dataset", action="append", default=[], metavar="PATH",
                        help="a dataset whose values are not compared, e.g. /runs/seconds (repeatable)")
    args = parser.parse_args(argv)
    if os.path.isdir(args.a) != os.path.isdir(args.b):
        print("compare-outputs: give two files or two directories", file=sys.stderr)
        return 2
    if os.path.isdir(args.a):
        names_a = {n for n in os.listdir(args.a) if n.endswith(".h5")}
        names_b = {n for n in os.listdir(args.b) if n.endswith(".h5")}
        pairs = [(os.path.join(args.a, n), os.path.join(args.b, n)) for n in sorted(names_a & names_b)]
        missing = sorted(names_a ^ names_b)
        for n in missing:
            print(f"{n}: only in {args.a if n in names_a else args.b}")
        if not pairs:
            print("compare-outputs: no .h5 files in common", file=sys.stderr)
            return 2
    else:
        pairs, missing = [(args.a, args.b)], []
    same, objects = True, 0
    for a, b in pairs:
        ok, n = compare_files(a, b, args.ignore, sys.stdout, set(args.ignore_dataset))
        same = same and ok
        objects += n
    verdict = "identical" if same and not missing else "DIFFERENT"
    print(f"compare-outputs: {len(pairs)} file pair(s), {objects} objects compared: {verdict}")
    return 0 if same and not missing else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
