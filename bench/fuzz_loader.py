"""Fuzz the data loader with at least 10,000 mutated data sets and count tracebacks and hangs.

Each case is the fictional city (tests/fixtures/tiny_city) with one file mutated by the strategy of
tests/test_fuzz_loader.py: values replaced, deleted or added, odd text, duplicate keys, anchors,
truncation, alias bombs, over-long text, control and invisible characters, deep nesting, YAML tags,
bad email addresses. A case must end in a Guide or in clean DataErrors (file, Japanese message,
English key, short messages). Anything else is a traceback; a case over TIMEOUT seconds is a hang.
The process runs under a 4 GB address-space limit, so a blow-up shows as MemoryError.

    python3 bench/fuzz_loader.py            # 10,000 cases
    python3 bench/fuzz_loader.py --cases 500
"""

from __future__ import annotations

import argparse
import collections
import resource
import shutil
import signal
import sys
import tempfile
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402

from test_fuzz_loader import TINY, judge, mutation  # noqa: E402

TIMEOUT = 20  # seconds for one case
MEMORY = 4 * 1024 ** 3


class Hang(Exception):
    pass


def _alarm(signum, frame):
    raise Hang()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=10_000)
    args = parser.parse_args()
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))
    signal.signal(signal.SIGALRM, _alarm)
    counts: collections.Counter = collections.Counter()
    kinds: collections.Counter = collections.Counter()
    samples: list[str] = []
    slowest = [0.0, ""]
    tmp = Path(tempfile.mkdtemp())
    data = tmp / "data"
    shutil.copytree(TINY, data)

    @settings(max_examples=args.cases, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(mutation())
    def case(change):
        name, text = change
        start = time.monotonic()
        signal.alarm(TIMEOUT)
        try:
            counts[judge(name, text, data)] += 1
        except Hang:
            counts["hang"] += 1
            samples.append(f"hang: {name}: {text[:200]!r}")
        except BaseException as exc:  # noqa: BLE001 - every failure is what this counts
            if isinstance(exc, KeyboardInterrupt):
                raise
            counts["traceback"] += 1
            samples.append(f"traceback: {name}: {text[:200]!r}\n{traceback.format_exc(limit=4)}")
        finally:
            signal.alarm(0)
            shutil.copyfile(TINY / name, data / name)
        took = time.monotonic() - start
        if took > slowest[0]:
            slowest[:] = [took, name]
        kinds[len(text) > 100_000] += 1
        done = sum(counts.values())
        if done % 1000 == 0:
            print(f"{done} cases: {dict(counts)}", file=sys.stderr, flush=True)

    began = time.monotonic()
    case()
    shutil.rmtree(tmp, ignore_errors=True)
    total = sum(counts.values())
    print(f"cases: {total}")
    print(f"valid guides: {counts['valid']}")
    print(f"clean error reports: {counts['errors']}")
    print(f"tracebacks: {counts['traceback']}")
    print(f"hangs (over {TIMEOUT} s): {counts['hang']}")
    print(f"cases with a file over 100 KB: {kinds[True]}")
    print(f"slowest case: {slowest[0]:.2f} s ({slowest[1]})")
    print(f"time: {time.monotonic() - began:.0f} s")
    for sample in samples[:10]:
        print(sample)
    return 1 if counts["traceback"] or counts["hang"] else 0


if __name__ == "__main__":
    sys.exit(main())
