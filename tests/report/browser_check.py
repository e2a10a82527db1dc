#!/usr/bin/env python3
"""The report as a person sees it: headless Chromium renders an lclab report to PNG and PDF, and
this checks that the page drew (not blank; the health table's and the charts' colours where they
belong), that the browser's DOM after load holds every chart the file has, with its marks, and that
the browser logged no console error. Usage: browser_check.py CHROMIUM REPORT.html OUT_PREFIX [MIN_CHARTS]"""
import re
import subprocess
import sys

from PIL import Image

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--enable-logging=stderr", "--v=0"]


def chromium(binary, args, url):
    run = subprocess.run([binary, *FLAGS, *args, url], capture_output=True, text=True, timeout=180)
    assert run.returncode == 0, run.stderr[-2000:]
    errors = [l for l in run.stderr.splitlines() if "CONSOLE" in l or "Uncaught" in l]
    assert not errors, "console errors:\n" + "\n".join(errors)
    return run.stdout


def main(binary, html, prefix, min_charts="5"):
    url = "file://" + html
    source = open(html, encoding="utf-8").read()
    # The DOM after load: every chart of the file is there, each with its marks.
    dom = chromium(binary, ["--dump-dom"], url)
    charts = re.findall(r"<svg\b.*?</svg>", dom, flags=re.S)
    assert len(charts) == source.count("<svg "), (len(charts), source.count("<svg "))
    assert len(charts) >= int(min_charts), (len(charts), min_charts)
    for c in charts:
        assert re.search(r"<(line|rect|circle|path)\b", c), c[:200]
    # The picture: a tall screenshot and a PDF.
    chromium(binary, ["--window-size=1100,3000", f"--screenshot={prefix}.png"], url)
    chromium(binary, ["--no-pdf-header-footer", f"--print-to-pdf={prefix}.pdf"], url)
    with open(f"{prefix}.pdf", "rb") as f:
        pdf = f.read()
    assert pdf.startswith(b"%PDF") and len(pdf) > 10000, len(pdf)
    image = Image.open(f"{prefix}.png").convert("RGB")
    width, height = image.size
    pixels = image.load()
    counts = {}
    for y in range(0, height, 2):
        for x in range(0, width, 2):
            counts[pixels[x, y]] = counts.get(pixels[x, y], 0) + 1
    total = sum(counts.values())
    white = counts.get((255, 255, 255), 0)
    assert white < 0.97 * total, f"the page is blank: {white} of {total} pixels white"

    def near(colour, tolerance=40):
        return sum(n for c, n in counts.items() if sum(abs(a - b) for a, b in zip(c, colour)) <= tolerance)

    assert near((0x00, 0x9E, 0x73)) > 20, "no health verdict cell drawn (#009E73)"
    assert near((0x00, 0x72, 0xB2)) > 50, "no chart mark drawn in the first palette colour (#0072B2)"
    print(f"{html}: {len(charts)} charts in the DOM, {100 * (1 - white / total):.1f}% of the page inked, "
          f"PDF {len(pdf)} bytes, no console errors")


if __name__ == "__main__":
    main(*sys.argv[1:5])
