#!/usr/bin/env bash
# Start (or stop) a single-node Slurm cluster on this machine from Debian's packages, for the
# integration test of array scans: munge for authentication, slurmctld and slurmd running as root,
# one node with this machine's CPUs, one default partition, no cgroups.
#   scripts/slurm-local.sh start   # installs slurm-wlm and munge with apt if needed (root only)
#   scripts/slurm-local.sh stop
# Exits 0 when the cluster answers sinfo; prints why and exits 1 when it cannot start one.
set -uo pipefail

why() { echo "slurm-local: $*" >&2; exit 1; }

stop() {
  pkill -x slurmd 2>/dev/null; pkill -x slurmctld 2>/dev/null; pkill -x munged 2>/dev/null
  # slurmctld can take a while to save its state; give it 5 s, then make sure.
  for _ in 1 2 3 4 5 6 7 8 9 10; do { pgrep -x slurmctld || pgrep -x slurmd || pgrep -x munged; } >/dev/null || return 0; sleep 0.5; done
  pkill -9 -x slurmd 2>/dev/null; pkill -9 -x slurmctld 2>/dev/null; pkill -9 -x munged 2>/dev/null
  return 0
}

start() {
  [ "$(id -u)" = 0 ] || why "needs root (to install packages and run the daemons)"
  if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
    command -v apt-get >/dev/null || why "no apt-get to install slurm-wlm and munge"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q slurm-wlm munge >/tmp/slurm-local-apt.log 2>&1 \
      || { apt-get update -q >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q slurm-wlm munge >/tmp/slurm-local-apt.log 2>&1; } \
      || why "apt-get install slurm-wlm munge failed (see /tmp/slurm-local-apt.log)"
  fi
  stop
  local host; host=$(hostname -s)
  # munge: a key, its directories with the ownership munged insists on, and the daemon.
  mkdir -p /etc/munge /var/lib/munge /var/log/munge /run/munge
  [ -s /etc/munge/munge.key ] || mungekey --create --force >/dev/null 2>&1 || dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 2>/dev/null
  chown -R munge:munge /etc/munge /var/lib/munge /var/log/munge /run/munge 2>/dev/null
  chmod 700 /etc/munge /var/lib/munge /var/log/munge; chmod 400 /etc/munge/munge.key; chmod 755 /run/munge
  if id munge >/dev/null 2>&1; then runuser -u munge -- munged || why "munged did not start"; else munged --force || why "munged did not start"; fi
  # slurm: this node as the controller and the only compute node.
  local cpus mem
  cpus=$(slurmd -C | sed -n 's/.*CPUs=\([0-9]*\).*/\1/p' | head -1)
  mem=$(slurmd -C | sed -n 's/.*RealMemory=\([0-9]*\).*/\1/p' | head -1)
  mkdir -p /etc/slurm /var/spool/slurmctld /var/spool/slurmd /var/log/slurm
  cat > /etc/slurm/slurm.conf <<CONF
ClusterName=ncsde-local
SlurmctldHost=${host}
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
ReturnToService=2
MpiDefault=none
SlurmctldTimeout=30
SlurmdTimeout=30
NodeName=${host} CPUs=${cpus} RealMemory=$((mem * 9 / 10)) State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
  slurmctld || why "slurmctld did not start (see /var/log/slurm/slurmctld.log)"
  slurmd || why "slurmd did not start (see /var/log/slurm/slurmd.log)"
  for _ in $(seq 1 60); do
    if sinfo -h -o '%t' 2>/dev/null | grep -qE '^(idle|mix|alloc)'; then echo "slurm-local: cluster up on ${host} (${cpus} CPUs)"; return 0; fi
    scontrol update nodename="${host}" state=resume >/dev/null 2>&1
    sleep 1
  done
  why "the node did not become idle (sinfo: $(sinfo -h 2>&1 | head -1))"
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  *) why "usage: $0 start|stop" ;;
esac
