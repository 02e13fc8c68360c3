"""Shared by the CLI tests that run sessions with several workers
(tune_workers.sh, compare_workers.sh): no two timings of stored trials
overlap on a core. Import it with tests/cli/lib on sys.path."""


def cpus(text):
    """The set of logical CPUs in a cores column ("0", "0-3", "0,2-3")."""
    out = set()
    for part in text.split(","):
        a, _, b = part.partition("-")
        out |= set(range(int(a), int(b or a) + 1))
    return out


def assert_no_overlap(rows, start, end, cores):
    """Fails when two rows whose cores intersect have overlapping timing
    windows. rows: tuples; start, end, cores: the indices of the timing
    interval's ends and of the cores column in each row."""
    for i, a in enumerate(rows):
        for b in rows[i + 1:]:
            if cpus(a[cores]) & cpus(b[cores]):
                assert a[end] <= b[start] + 1e-6 or b[end] <= a[start] + 1e-6, (
                    "two timings at once", a, b)
