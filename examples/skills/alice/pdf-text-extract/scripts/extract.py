#!/usr/bin/env python3
"""Print the text of a PDF, page by page, using pypdf or else poppler's pdftotext.

Safety: reads only the given PDF (at most 50 MB), writes only to --output inside the
current folder (never overwriting without --force), runs no shell, uses no network.
"""
import argparse
import os
import shutil
import subprocess
import sys

MAX_PDF_BYTES = 50 * 1024 * 1024


def fail(message, code):
    print(f"extract.py: {message}", file=sys.stderr)
    sys.exit(code)


def parse_pages(spec):
    """'3' or '2-5' -> (first, last), 1-based and inclusive."""
    try:
        first, _, last = spec.partition("-")
        first, last = int(first), int(last or first)
    except ValueError:
        fail(f"bad --pages '{spec}': use N or N-M, e.g. 2-5", 2)
    if first < 1 or last < first:
        fail(f"bad --pages '{spec}': pages count from 1 and the range must not be reversed", 2)
    return first, last


def safe_output(path, force):
    """The absolute output path, if it is inside the current folder and may be written."""
    here = os.path.realpath(os.getcwd())
    target = os.path.realpath(path)
    if os.path.commonpath([here, target]) != here:
        fail(f"--output '{path}' is outside the current folder; write inside it", 2)
    if os.path.exists(target) and not force:
        fail(f"--output '{path}' exists; add --force to replace it", 2)
    return target


def with_pypdf(pdf, first, last):
    from pypdf import PdfReader  # imported here so a missing pypdf falls back to pdftotext

    reader = PdfReader(pdf)
    if reader.is_encrypted:
        fail("the PDF is encrypted; ask the user for an unencrypted copy", 1)
    count = len(reader.pages)
    last = min(last, count)
    if first > count:
        fail(f"the PDF has {count} pages; --pages starts after the end", 2)
    return [(n, reader.pages[n - 1].extract_text() or "") for n in range(first, last + 1)]


def with_pdftotext(pdf, first, last):
    # Argument list, no shell: the file name is never interpreted. "--" ends the options,
    # so a file named like an option is still read as a file.
    command = ["pdftotext", "-layout", "-enc", "UTF-8", "-f", str(first)]
    if last < 10**9:
        command += ["-l", str(last)]
    done = subprocess.run(command + ["--", pdf, "-"], capture_output=True, check=False)
    if done.returncode != 0:
        fail(f"pdftotext could not read the PDF: {done.stderr.decode(errors='replace').strip()}", 1)
    # pdftotext ends every page with a form feed.
    bodies = done.stdout.decode("utf-8", errors="replace").split("\f")[:-1]
    return [(first + i, body) for i, body in enumerate(bodies)]


def main():
    parser = argparse.ArgumentParser(description="Print the text of a PDF, page by page.")
    parser.add_argument("pdf", help="the PDF file to read")
    parser.add_argument("--pages", help="N or N-M (1-based); default: every page")
    parser.add_argument("--output", help="write to this file (inside the current folder) instead of stdout")
    parser.add_argument("--force", action="store_true", help="replace --output if it exists")
    args = parser.parse_args()

    if not os.path.isfile(args.pdf):
        fail(f"'{args.pdf}' is not a file", 2)
    if os.path.getsize(args.pdf) > MAX_PDF_BYTES:
        fail(f"'{args.pdf}' is larger than 50 MB; split it first", 2)
    first, last = parse_pages(args.pages) if args.pages else (1, 10**9)
    output = safe_output(args.output, args.force) if args.output else None

    try:
        import pypdf  # noqa: F401

        pages = with_pypdf(args.pdf, first, last)
    except ImportError:
        if shutil.which("pdftotext") is None:
            fail("needs pypdf (pip install pypdf) or pdftotext (apt install poppler-utils)", 3)
        pages = with_pdftotext(args.pdf, first, last)

    if not any(text.strip() for _, text in pages):
        fail("no text layer found; the PDF is probably scanned and needs OCR", 1)
    text = "".join(f"--- page {n} ---\n{body.rstrip()}\n" for n, body in pages)
    if output:
        with open(output, "w", encoding="utf-8") as f:
            f.write(text)
        print(f"wrote {len(pages)} page(s) to {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
