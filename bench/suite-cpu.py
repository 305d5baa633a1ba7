#!/usr/bin/env python3
"""Where a command's CPU goes, by kind of process: runs it (default: ./test.sh) and reads every process's user +
system time from /proc four times a second, then prints the CPU seconds of each kind (web app, CLI, test host,
Chromium by process type, build, ...) and the costliest processes.

    bench/suite-cpu.py [--out processes.tsv] [-- command ...]

Processes that start and end between two readings are missed, and each process's last quarter second is not counted,
so the totals are a slight underestimate. Kernel threads and processes that were running before the command started
are left out. Needs Linux's /proc and python3.
"""
import os
import re
import subprocess
import sys
import time

TICKS = os.sysconf("SC_CLK_TCK")


def kind(command: str) -> str:
    if "Web.dll" in command:
        return "web app"
    if "planner.dll" in command or "/.store/planner" in command:
        return "cli"
    if "chromium" in command:
        t = re.search(r"--type=(\S+)", command)
        return "chromium " + (t.group(1) if t else "browser")
    if "testhost" in command:
        project = re.search(r"tests/(\w+(?:\.\w+)*)\.Tests", command)
        return "test host " + (project.group(1) if project else "?")
    if "playwright" in command.lower():
        return "playwright driver"
    if "DocumentWorker" in command:
        return "pdf worker"
    if "postgres" in command:
        return "postgres"
    if "vstest" in command or command.startswith("dotnet test"):
        return "test runner"
    if any(s in command for s in ("MSBuild", "csc ", "Roslyn", "VBCSCompiler", "dotnet build", "dotnet restore",
                                  "dotnet pack", "tool install", "NuGet")):
        return "build"
    return "other"


def read(pid: str):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS, int(fields[19])


def main() -> int:
    args = sys.argv[1:]
    out = None
    if args[:1] == ["--out"]:
        if len(args) < 2:
            print("usage: bench/suite-cpu.py [--out processes.tsv] [-- command ...]", file=sys.stderr)
            return 2
        out, args = args[1], args[2:]
    if args[:1] == ["--"]:
        args = args[1:]
    command = args or ["./test.sh"]

    before = set()
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            before.add((pid, read(pid)[1]))
        except OSError:
            pass

    seen = {}  # (pid, start tick) -> [kind, command line, cpu]
    began = time.time()
    child = subprocess.Popen(command)
    while True:
        for pid in filter(str.isdigit, os.listdir("/proc")):
            try:
                cpu, start = read(pid)
                key = (pid, start)
                if key in before:
                    continue
                if key not in seen:
                    with open(f"/proc/{pid}/cmdline", "rb") as f:
                        line = f.read().replace(b"\0", b" ").decode(errors="replace").strip()
                    if not line:  # a kernel thread
                        before.add(key)
                        continue
                    seen[key] = [kind(line), line, cpu]
                seen[key][2] = cpu
            except (OSError, ValueError, IndexError):
                pass
        if child.poll() is not None:
            break
        time.sleep(0.25)
    wall = time.time() - began

    totals = {}
    for k, _, cpu in seen.values():
        count, total = totals.get(k, (0, 0.0))
        totals[k] = (count + 1, total + cpu)
    everything = sum(t for _, t in totals.values())
    print(f"\n{' '.join(command)}: exit code {child.returncode}, {wall:.0f} s wall, {everything:.0f} CPU-s "
          f"({everything / wall:.2f} cores on average)")
    print(f"{'kind':<28}{'processes':>10}{'CPU-s':>10}{'share':>8}")
    for k, (count, total) in sorted(totals.items(), key=lambda kv: -kv[1][1]):
        print(f"{k:<28}{count:>10}{total:>10.0f}{total / max(everything, 1e-9):>8.0%}")
    print("\ncostliest processes:")
    for k, line, cpu in sorted(seen.values(), key=lambda v: -v[2])[:15]:
        print(f"{cpu:>8.1f}  {k:<24} {line[:110]}")
    if out:
        with open(out, "w") as f:
            for (pid, _), (k, line, cpu) in seen.items():
                f.write(f"{pid}\t{k}\t{cpu:.2f}\t{line}\n")
    return child.returncode


if __name__ == "__main__":
    sys.exit(main())
