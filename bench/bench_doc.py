"""The generated sections of docs/BENCHMARKS.md that the bench scripts rewrite."""
import re


def replace_section(doc, script, section, heading=None):
    """Replaces the section between script's BEGIN/END markers in doc, or appends it.

    script is the marker name ("bench/s3-bench.sh"); heading, if given, goes before a section
    appended for the first time (for sections whose markers sit below their heading).
    """
    text = open(doc).read()
    pattern = re.compile(r"<!-- BEGIN " + re.escape(script) + r".*?<!-- END " + re.escape(script) + r" -->", re.S)
    if pattern.search(text):
        text = pattern.sub(lambda m: section, text)
    else:
        text = text.rstrip("\n") + "\n\n" + (heading + "\n\n" if heading else "") + section + "\n"
    open(doc, "w").write(text)
