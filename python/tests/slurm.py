"""A single-node Slurm cluster in a temporary folder, for tests: munged, slurmctld and slurmd started as
root with every state, spool, log and pid path inside the folder, and stopped again."""

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

DAEMONS = ("munged", "slurmctld", "slurmd", "sbatch", "squeue")


def available() -> str:
    """Why a cluster cannot start here, or '' if it can."""
    if os.geteuid() != 0:
        return "the daemons are started as root"
    missing = [d for d in DAEMONS if shutil.which(d) is None and not Path(f"/usr/sbin/{d}").exists()]
    return f"not installed: {', '.join(missing)} (Debian's slurm-wlm and munge)" if missing else ""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    def __init__(self, root: Path, cpus: int = 2):
        self.root, host = root, socket.gethostname().split(".")[0]
        for d in ("state", "spool"):
            (root / d).mkdir(parents=True, exist_ok=True)
        key = root / "munge.key"
        key.write_bytes(os.urandom(1024))
        key.chmod(0o600)
        self.sock = root / "munge.sock"
        self.conf = root / "slurm.conf"
        self.conf.write_text(
            "\n".join(
                [
                    "ClusterName=richlazy-test",
                    f"SlurmctldHost={host}",
                    "AuthType=auth/munge",
                    f"AuthInfo=socket={self.sock}",
                    "CredType=cred/munge",
                    "ProctrackType=proctrack/linuxproc",
                    "TaskPlugin=task/none",
                    "SelectType=select/cons_tres",
                    "SelectTypeParameters=CR_CPU",
                    "SlurmUser=root",
                    "SlurmdUser=root",
                    f"StateSaveLocation={root}/state",
                    f"SlurmdSpoolDir={root}/spool",
                    f"SlurmctldPidFile={root}/slurmctld.pid",
                    f"SlurmdPidFile={root}/slurmd.pid",
                    f"SlurmctldLogFile={root}/slurmctld.log",
                    f"SlurmdLogFile={root}/slurmd.log",
                    f"SlurmctldPort={free_port()}",
                    f"SlurmdPort={free_port()}",
                    "ReturnToService=2",
                    "MpiDefault=none",
                    "SchedulerParameters=sched_interval=1",
                    "JobCompType=jobcomp/none",
                    "AccountingStorageType=accounting_storage/none",
                    f"NodeName={host} CPUs={cpus} State=UNKNOWN",
                    f"PartitionName=test Nodes={host} Default=YES MaxTime=INFINITE State=UP",
                    "",
                ]
            )
        )
        self.env = dict(os.environ, SLURM_CONF=str(self.conf))
        self.pids = []

    def _daemon(self, args, pidfile: str):
        subprocess.run(args, check=True, env=self.env, capture_output=True)
        self.pids.append(self.root / pidfile)

    def start(self):
        r = self.root
        self._daemon(
            ["munged", f"--key-file={r}/munge.key", f"--socket={self.sock}", f"--pid-file={r}/munged.pid",
             f"--log-file={r}/munged.log", f"--seed-file={r}/munged.seed", "--force"],
            "munged.pid",
        )
        self._daemon(["slurmctld", "-f", str(self.conf)], "slurmctld.pid")
        self._daemon(["slurmd", "-f", str(self.conf)], "slurmd.pid")
        deadline = time.time() + 60
        while time.time() < deadline:
            out = subprocess.run(["sinfo", "-h", "-o", "%t"], env=self.env, capture_output=True, text=True).stdout
            if out.strip() == "idle":
                return self
            time.sleep(0.5)
        raise RuntimeError(f"slurm did not come up: {self.log()}")

    def sbatch(self, *args: str) -> str:
        out = subprocess.run(["sbatch", "--parsable", *args], env=self.env, capture_output=True, text=True, check=True)
        return out.stdout.strip().split(";")[0]

    def wait(self, job: str, timeout: float = 600):
        deadline = time.time() + timeout
        while time.time() < deadline:
            out = subprocess.run(["squeue", "-h", "-j", job], env=self.env, capture_output=True, text=True).stdout
            if not out.strip():
                return
            time.sleep(0.5)
        raise TimeoutError(f"job {job} still queued after {timeout} s: {self.log()}")

    def log(self) -> str:
        return (self.root / "slurmctld.log").read_text()[-2000:] if (self.root / "slurmctld.log").exists() else ""

    def stop(self):
        for pidfile in reversed(self.pids):
            try:
                pid = int(pidfile.read_text())
                os.kill(pid, 15)
                for _ in range(100):
                    os.kill(pid, 0)
                    time.sleep(0.05)
            except (OSError, ValueError):
                pass
