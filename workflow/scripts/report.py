"""The cohort report: a CSV table with one row per slide and a contact sheet of the thumbnails.

Run by the workflow's `report` rule (Snakemake's `script:` directive provides the `snakemake` object). Standard
library only, plus the libvips command-line tool `vips` for the contact sheet.

Columns of report.csv:
  slide_id, slide_path   the sample sheet row
  output, output_bytes   the stained image and its size on disk
  wall_s, cpu_s          from the job's benchmark file (Snakemake measures the whole `stain run`)
  max_rss_mb             peak resident memory of the job, from the benchmark file
  tiles_computed, tiles_skipped, tiles_from
                         tile counts, from the first source that has them: the run's `--progress json` log
                         ("log"), else the provenance sidecar ("provenance"); empty when neither has them
"""

import csv
import json
import os
import subprocess
import sys

COLUMNS = ["slide_id", "slide_path", "output", "output_bytes", "wall_s", "cpu_s", "max_rss_mb",
           "tiles_computed", "tiles_skipped", "tiles_from"]


def tile_counts(value):
    """(computed, skipped) from a `{"computed": N, "skipped": M}` object, or None if `value` is not one."""
    if isinstance(value, dict) and isinstance(value.get("computed"), int):
        skipped = value.get("skipped", 0)
        return value["computed"], skipped if isinstance(skipped, int) else 0
    return None


def tiles_from_log(path):
    """Tile counts reported in a `--progress json` log, or None.

    Any JSON line carrying `"tiles": {"computed": N, "skipped": M}` counts. A pass may report its counts more than
    once as it goes, so the last report of each pass (the line's "pass" field) is taken, and the passes are summed.
    """
    if not os.path.exists(path):
        return None
    last_per_pass = {}
    with open(path, errors="replace") as f:
        for line in f:
            line = line.strip()
            if not line.startswith("{"):
                continue  # stain's other output: "wrote PATH", warnings
            try:
                event = json.loads(line)
            except ValueError:
                continue
            counts = tile_counts(event.get("tiles")) if isinstance(event, dict) else None
            if counts:
                last_per_pass[event.get("pass", "")] = counts
    if not last_per_pass:
        return None
    return tuple(sum(c[i] for c in last_per_pass.values()) for i in (0, 1))


def tiles_from_provenance(path):
    """Tile counts in a provenance sidecar, or None: the sum over its nodes of each node's
    `"tiles": {"computed": N, "skipped": M}` (nodes may be a list of entries or an object keyed by node id),
    or a top-level `"tiles"` entry of the same shape."""
    try:
        with open(path) as f:
            record = json.load(f)
    except (OSError, ValueError):
        return None
    nodes = record.get("nodes", [])
    entries = nodes.values() if isinstance(nodes, dict) else nodes
    found = [c for c in (tile_counts(e.get("tiles")) for e in entries if isinstance(e, dict)) if c]
    if found:
        return tuple(sum(c[i] for c in found) for i in (0, 1))
    return tile_counts(record.get("tiles"))


def benchmark(path):
    """The first (only) row of a Snakemake benchmark TSV as a dict; empty if the file is missing or empty."""
    try:
        with open(path, newline="") as f:
            rows = list(csv.DictReader(f, delimiter="\t"))
    except OSError:
        return {}
    return rows[0] if rows else {}


def number(text, digits):
    """A benchmark value rounded for the table; empty for a missing value (Snakemake writes "NA" or "-")."""
    try:
        return round(float(text), digits)
    except (TypeError, ValueError):
        return ""


def report_rows(slides, paths, images, provenance, logs, benchmarks):
    for slide, path, image, sidecar, log, bench in zip(slides, paths, images, provenance, logs, benchmarks):
        times = benchmark(bench)
        tiles, source = tiles_from_log(log), "log"
        if tiles is None:
            tiles, source = tiles_from_provenance(sidecar), "provenance"
        yield {
            "slide_id": slide, "slide_path": path, "output": image, "output_bytes": os.path.getsize(image),
            "wall_s": number(times.get("s"), 2), "cpu_s": number(times.get("cpu_time"), 2),
            "max_rss_mb": number(times.get("max_rss"), 1),
            "tiles_computed": tiles[0] if tiles else "", "tiles_skipped": tiles[1] if tiles else "",
            "tiles_from": source if tiles else "",
        }


def contact_sheet(thumbnails, output, across, log):
    """Joins the thumbnails, in sample-sheet order, row by row, `across` per row, on a white background.

    `vips arrayjoin` takes the file names as one space-separated argument, so it runs inside the thumbnail folder
    with bare file names (slide ids have no spaces; the results folder might)."""
    folder = os.path.dirname(os.path.abspath(thumbnails[0]))
    names = [os.path.basename(t) for t in thumbnails]
    assert all(os.path.dirname(os.path.abspath(t)) == folder for t in thumbnails)
    command = ["vips", "arrayjoin", " ".join(names), os.path.abspath(output),
               "--across", str(min(across, len(names))), "--shim", "8", "--background", "255 255 255"]
    print("running:", " ".join(command), file=log, flush=True)
    subprocess.run(command, cwd=folder, check=True, stdout=log, stderr=log)


def main(smk):
    with open(smk.log[0], "w") as log:
        rows = list(report_rows(smk.params.slides, smk.params.paths, smk.input.images, smk.input.provenance,
                                smk.params.logs, smk.params.benchmarks))
        with open(smk.output.table, "w", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=COLUMNS)
            writer.writeheader()
            writer.writerows(rows)
        print(f"wrote {smk.output.table}: {len(rows)} slides", file=log, flush=True)
        contact_sheet(list(smk.input.thumbnails), smk.output.sheet, smk.params.across, log)
        print(f"wrote {smk.output.sheet}", file=log)


if __name__ == "__main__" and "snakemake" in globals():
    main(snakemake)  # noqa: F821 (provided by Snakemake's script directive)
elif __name__ == "__main__":
    sys.exit("report.py is run by the workflow's report rule (snakemake), not on its own")
