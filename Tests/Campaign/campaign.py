"""Shared pieces of the reliability campaign scripts (Tests/Campaign/*.py): the flowstore
binary, a `serve` process, queries, `verify`, the identifiable stream (stream.py)."""
import os
import random
import re
import signal
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def binary():
    """$FLOWSTORE, else the release build, else the debug build."""
    if os.environ.get("FLOWSTORE"):
        return os.environ["FLOWSTORE"]
    for c in (".build/release/flowstore", ".build/debug/flowstore"):
        p = os.path.join(ROOT, c)
        if os.path.exists(p):
            return p
    sys.exit("no flowstore binary: run `swift build -c release --product flowstore` first")


FS = binary()


def fail(message):
    print("FAIL: " + message, flush=True)
    sys.exit(1)


def free_port():
    return random.randint(20000, 60000)


class Serve:
    """`flowstore serve` on `data`, listening on a loopback port, stderr to `log`."""

    def __init__(self, data, log, extra=(), port=None):
        self.data, self.log_path, self.extra = data, log, list(extra)
        self.port = port or free_port()
        self.proc = None

    def start(self, timeout=30):
        self.log = open(self.log_path, "a")
        args = [FS, "serve", "--data", self.data, "--listen", f"127.0.0.1:{self.port}"] + self.extra
        self.mark = os.path.getsize(self.log_path)
        self.proc = subprocess.Popen(args, stdout=self.log, stderr=self.log)
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                return False
            if "listening" in self.text():
                return True
            time.sleep(0.02)
        fail(f"serve did not start listening within {timeout}s:\n{self.text()[-2000:]}")

    def text(self):
        """What this run wrote to its log."""
        with open(self.log_path, errors="replace") as f:
            f.seek(self.mark)
            return f.read()

    def kill(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()
        self.log.close()

    def stop(self, timeout=120):
        """SIGTERM, wait; returns the closing line's counts (dict) or fails."""
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            fail("serve did not stop within %ds after SIGTERM" % timeout)
        self.log.close()
        if self.proc.returncode != 0:
            fail(f"serve exited {self.proc.returncode}:\n{self.text()[-2000:]}")
        return closing_counts(self.text())

    def alive(self):
        return self.proc.poll() is None

    def rss_kib(self):
        try:
            with open(f"/proc/{self.proc.pid}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        return int(line.split()[1])
        except OSError:
            pass
        return 0


def closing_counts(text):
    """The counts of serve's closing line ("stopped; N datagrams received, ...")."""
    m = re.search(
        r"stopped; (\d+) datagrams received, (\d+) flows stored, (\d+) dropped by the kernel "
        r"\(receive buffer full\), (\d+) dropped before decoding, (\d+) rejected by --allow, "
        r"(\d+) lost to store errors", text)
    if not m:
        fail("no closing line in serve's log:\n" + text[-2000:])
    keys = ["received", "stored", "kernel_drops", "queue_drops", "rejected", "store_lost"]
    return dict(zip(keys, map(int, m.groups())))


def run(args, check=True, timeout=600):
    p = subprocess.run([FS] + args, capture_output=True, text=True, timeout=timeout)
    if check and p.returncode != 0:
        fail(f"flowstore {' '.join(args)[:200]} exited {p.returncode}: {p.stderr.strip()[:2000]}")
    return p


def query(data, sql, check=True):
    """Rows of a query as lists of strings (CSV without the header)."""
    p = run(["query", "--data", data, "--format", "csv", sql], check=check)
    if p.returncode != 0:
        return None
    lines = p.stdout.splitlines()
    return [l.split(",") for l in lines[1:]]


def ids(data, low=None, high=None):
    """Serial numbers (the `packets` column) of the stored rows, in a list (duplicates kept)."""
    where = []
    if low is not None:
        where.append(f"packets >= {low}")
    if high is not None:
        where.append(f"packets <= {high}")
    sql = "SELECT packets FROM flows" + (" WHERE " + " AND ".join(where) if where else "")
    return [int(r[0]) for r in query(data, sql)]


def count(data):
    return int(query(data, "SELECT count(*) FROM flows")[0][0])


def verify(data):
    p = run(["verify", "--data", data], check=False)
    if p.returncode != 0:
        fail(f"verify: exit {p.returncode}: {(p.stdout + p.stderr).strip()[:2000]}")
    return p.stdout.strip()


class Stream:
    """stream.py sending ids from `first` on to `port`."""

    def __init__(self, port, first, pps=40000, per=5, seconds=0, count=0):
        args = [sys.executable, os.path.join(HERE, "stream.py"), str(port), "--first", str(first),
                "--pps", str(pps), "--per", str(per)]
        if seconds:
            args += ["--seconds", str(seconds)]
        if count:
            args += ["--count", str(count)]
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, text=True)
        # Python and numpy take a while to start on a loaded machine: wait until the sender
        # handles SIGTERM, so that a run's time counts sending only and a stop is never lost.
        if self.proc.stdout.readline().strip() != "ready":
            fail("stream.py did not start")

    def pause(self):
        self.proc.send_signal(signal.SIGSTOP)

    def finish(self, signalled=True, timeout=600):
        """Stops (or waits for) the sender; returns (first, last, datagrams) sent."""
        if signalled:
            self.proc.send_signal(signal.SIGTERM)
            self.proc.send_signal(signal.SIGCONT)
        out, _ = self.proc.communicate(timeout=timeout)
        m = re.search(r"sent (\d+) (\d+) (\d+)", out)
        if not m:
            fail("stream.py printed no summary: " + out)
        return tuple(map(int, m.groups()))


def rate_note(sent_datagrams, seconds):
    return f"{sent_datagrams / seconds:,.0f} datagrams/s" if seconds > 0 else "-"
