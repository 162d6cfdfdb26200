#!/bin/sh
# slurm_test.sh - the README's Slurm batch recipe on a real one-node cluster:
# Debian's slurm-wlm (slurmctld, slurmd) and munge, configured in a private
# directory with free ports, its own state, spool, logs and munge socket,
# started and stopped by this suite. The recipe is cut out of README.md
# between its markers and submitted as written, with `sbatch`, by two users
# the suite creates (two uids): each job runs Jupyter behind sh_login (the
# `make rootfs` tree on PATH: static CGI, the project's busybox, so the
# relay) on a unix socket. The job's output file must carry the one-click
# URL and the ssh -L line; the suite logs in with that URL, saves a notebook
# and runs a cell over the kernel WebSocket; the two users cannot reach each
# other's app, token or session; scancel leaves no process, socket or state
# directory. The README's demo-app line (no app given) runs as a third job.
# Skips (counted) unless root with slurm-wlm, munge, Jupyter and
# build/rootfs (make rootfs).
# own target: make test-slurm
TEST_TOP=$(cd "$(dirname "$0")/.." && pwd)
IMAGE=$TEST_TOP/build/rootfs
SH_LOGIN_CGI=$IMAGE/usr/libexec/sh_login/sh_login-cgi
. "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3     # Debian's, with python3-websockets and python3-yaml

SKIP_WHY=
CLUSTER='' MUNGE_PID='' CTLD_PID='' SLURMD_PID=''
USERS='' JOB_A='' JOB_B=''

# as USER CMD...: CMD as USER, in USER's home, with the cluster's config and
# sh_login on PATH (sbatch passes this environment on to the job).
as() {
	u=$1
	shift
	(cd "$CLUSTER/home/$u" && runuser -u "$u" -- env -i HOME="$CLUSTER/home/$u" USER="$u" \
		LOGNAME="$u" PATH="$IMAGE/usr/bin:/usr/bin:/bin" SLURM_CONF="$CLUSTER/slurm.conf" "$@")
}

# The recipe as README.md has it, between its markers, without the fences.
readme_recipe() {
	awk '/^<!-- slurm-recipe -->$/ { on = 1; next } /^<!-- \/slurm-recipe -->$/ { on = 0 }
		on && !/^```/' "$TEST_TOP/README.md"
}

write_config() {
	host=$(hostname -s)
	cat >"$CLUSTER/slurm.conf" <<EOF
ClusterName=shlogintest
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$(free_port)
SlurmdPort=$(free_port)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$CLUSTER/munge/munge.socket
CredType=cred/munge
StateSaveLocation=$CLUSTER/state
SlurmdSpoolDir=$CLUSTER/spool
SlurmctldPidFile=$CLUSTER/slurmctld.pid
SlurmdPidFile=$CLUSTER/slurmd.pid
SlurmctldLogFile=$CLUSTER/slurmctld.log
SlurmdLogFile=$CLUSTER/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SlurmdParameters=config_overrides
MpiDefault=none
SwitchType=switch/none
ReturnToService=2
KillWait=15
MailProg=/bin/true
NodeName=$host NodeAddr=127.0.0.1 CPUs=8 State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
}

start_cluster() {
	mkdir -p "$CLUSTER/munge" "$CLUSTER/state" "$CLUSTER/spool" "$CLUSTER/home" || return 1
	chmod 755 "$CLUSTER" "$CLUSTER/munge" "$CLUSTER/home"
	dd if=/dev/urandom of="$CLUSTER/munge/munge.key" bs=1024 count=1 2>/dev/null &&
		chmod 400 "$CLUSTER/munge/munge.key" || return 1
	munged -F --force --socket="$CLUSTER/munge/munge.socket" --key-file="$CLUSTER/munge/munge.key" \
		--pid-file="$CLUSTER/munge/munged.pid" --log-file="$CLUSTER/munge/munged.log" \
		--seed-file="$CLUSTER/munge/munged.seed" 2>>"$CLUSTER/munged.err" &
	MUNGE_PID=$!
	"$CGI" probe unix "$CLUSTER/munge/munge.socket" 10 || { echo "munged did not start" >&2; return 1; }
	write_config
	slurmctld -D -c -f "$CLUSTER/slurm.conf" 2>>"$CLUSTER/slurmctld.err" &
	CTLD_PID=$!
	slurmd -D -f "$CLUSTER/slurm.conf" 2>>"$CLUSTER/slurmd.err" &
	SLURMD_PID=$!
	i=0
	until SLURM_CONF=$CLUSTER/slurm.conf sinfo -h -N -o '%T' 2>/dev/null | grep -qx idle; do
		i=$((i + 1))
		if [ $i -gt 60 ]; then
			tail -5 "$CLUSTER/slurmctld.log" "$CLUSTER/slurmd.log" >&2
			echo "the node never became idle" >&2
			return 1
		fi
		sleep 0.5
	done
}

# new_user NAME: a user of its own uid, home under the cluster directory
# (0700: what other users can see of it is what the recipe makes public).
new_user() {
	useradd -M -d "$CLUSTER/home/$1" -s /bin/sh "$1" || return 1
	USERS="$USERS $1"
	mkdir -m 700 "$CLUSTER/home/$1" && chown "$1:$1" "$CLUSTER/home/$1"
}

# submit USER: the README recipe as USER's notebook.sh, sbatch'ed from USER's
# home with umask 022 (the usual one, so the recipe's chmod must work);
# prints the job id.
submit() {
	readme_recipe >"$CLUSTER/home/$1/notebook.sh" && chown "$1:$1" "$CLUSTER/home/$1/notebook.sh"
	as "$1" sh -c 'umask 022; sbatch --parsable notebook.sh'
}

# wait_job_url USER JOB: until the job's output file has the one-click URL
wait_job_url() {
	out=$CLUSTER/home/$1/notebook-$2.out
	i=0
	until grep -q 'One-click URL:' "$out" 2>/dev/null; do
		i=$((i + 1))
		if [ $i -gt 240 ]; then
			cat "$out" >&2
			SLURM_CONF=$CLUSTER/slurm.conf squeue >&2
			tail -5 "$CLUSTER/slurmd.log" >&2
			return 1
		fi
		sleep 0.5
	done
}

oneTimeSetUp() {
	for c in slurmctld slurmd sbatch scancel munged jupyter-notebook runuser useradd; do
		command -v "$c" >/dev/null 2>&1 || { SKIP_WHY="no $c (sh scripts/deps slurm)"; break; }
	done
	[ "$(id -u)" = 0 ] || SKIP_WHY="not root (slurmd, munged and useradd need it)"
	[ -n "$SKIP_WHY" ] || [ -x "$IMAGE/usr/bin/sh_login" ] || SKIP_WHY="no $IMAGE: run 'make rootfs' first"
	[ -n "$SKIP_WHY" ] || "$PY" -c 'import websockets' 2>/dev/null || SKIP_WHY="no python3-websockets"
	if [ -n "$SKIP_WHY" ]; then
		echo "slurm_test: skipped: $SKIP_WHY" >&2
		return 0
	fi
	CLUSTER=$(mktemp -d /tmp/sh_login-slurm.XXXXXX)
	t0=$(date +%s)
	start_cluster || { fail "cannot start the one-node Slurm cluster"; return 0; }
	echo "cluster up in $(($(date +%s) - t0)) s"
	UA=shla$$
	UB=shlb$$
	new_user "$UA" && new_user "$UB" || { fail "cannot create the two users"; return 0; }
	JOB_A=$(submit "$UA") && JOB_B=$(submit "$UB") || { fail "sbatch failed"; return 0; }
	wait_job_url "$UA" "$JOB_A" || fail "job $JOB_A never printed its URL"
	wait_job_url "$UB" "$JOB_B" || fail "job $JOB_B never printed its URL"
	echo "both jobs serving $(($(date +%s) - t0)) s after the cluster was started"
	OUT_A=$CLUSTER/home/$UA/notebook-$JOB_A.out
	OUT_B=$CLUSTER/home/$UB/notebook-$JOB_B.out
}

oneTimeTearDown() {
	if [ -n "$CLUSTER" ]; then
		if [ "${__shunit_assertsFailed:-0}" != 0 ]; then
			for f in "$CLUSTER"/*.log "$CLUSTER"/*.err "$CLUSTER"/home/*/notebook-*.out; do
				[ ! -s "$f" ] || { echo "--- $f"; tail -15 "$f"; }
			done
		fi
		for j in $JOB_A $JOB_B; do SLURM_CONF=$CLUSTER/slurm.conf scancel "$j" 2>/dev/null; done
		i=0
		while [ $i -lt 40 ] && [ -n "$(SLURM_CONF=$CLUSTER/slurm.conf squeue -h 2>/dev/null)" ]; do
			sleep 0.5
			i=$((i + 1))
		done
		for pid in $SLURMD_PID $CTLD_PID $MUNGE_PID; do
			kill -TERM "$pid" 2>/dev/null
			wait "$pid" 2>/dev/null
		done
		for u in $USERS; do
			uid=$(id -u "$u")
			# only when a test failed to end a job: its processes, by pid
			for pid in $(pgrep -u "$u"); do kill -KILL "$pid" 2>/dev/null; done
			userdel "$u" 2>/dev/null
			rm -rf "/tmp/sh_login-$uid"     # the users' sh_login list registries
		done
		rm -rf "$CLUSTER"
		CLUSTER= USERS=
	fi
	cleanup_all
}

setUp() { [ -z "$SKIP_WHY" ] || skip_test "$SKIP_WHY"; }

one_click() { sed -n 's/^ *One-click URL: *//p' "$1"; }
state_of() { sed -n 's/^ *State and logs: *//p' "$1"; }
# the gateway's port, from the one-click URL
port_of() { one_click "$1" | sed 's|^http://[^:]*:\([0-9]*\)/.*|\1|'; }

# job_login OUT JAR: the job's one-click URL, as printed, asked on the node
# (the end of the ssh -L tunnel); prints the status.
job_login() {
	curl -s -o /dev/null -D "$WORK/head" -w '%{http_code}' -c "$2" --max-time 20 \
		"$(one_click "$1" | sed 's|^http://[^/]*|http://127.0.0.1:'"$(port_of "$1")"'|')"
}

testJobOutputHasOneClickUrlAndSshLine() {
	out=$(cat "$OUT_A")
	port=$(port_of "$OUT_A")
	assertContains "$out" "This looks like a remote machine: this is Slurm job $JOB_A."
	assertContains "the ssh -L line for the job's gateway port" "$out" \
		"ssh -N -L $port:localhost:$port $UA@"
	assertContains "the one-click URL behind the tunnel" "$out" \
		"http://localhost:$port/cgi-bin/login?token="
	assertContains "through the relay (the image's busybox)" "$out" "through the relay"
	assertEquals "the output file is the user's alone" "600 $UA" "$(stat -c '%a %U' "$OUT_A")"
	assertEquals "state directory 0700, the user's" "700 $UA" "$(stat -c '%a %U' "$(state_of "$OUT_A")")"
	assertTrue "Jupyter's socket in it" "[ -S '$(state_of "$OUT_A")/jupyter.sock' ]"
	assertContains "sh_login list on the node shows the job's gateway" \
		"$(as "$UA" sh_login list)" "$(one_click "$OUT_A")"
}

testLoginWithTheUrlAndRunACellOverTheWebSocket() {
	assertEquals "one-click login" 303 "$(job_login "$OUT_A" "$WORK/a.jar")"
	base=http://127.0.0.1:$(port_of "$OUT_A")
	assertEquals "Jupyter without a session" 401 "$(req "$base/cgi-bin/app/api/contents")"
	session=$(awk '$6 ~ /^sh_login_/ { print $6 "=" $7 }' "$WORK/a.jar")
	jupyter_session_check "$base/cgi-bin/app" "$session" 0.5
	assertTrue "the notebook is in the user's home" "[ -s '$CLUSTER/home/$UA/big.ipynb' ]"
	assertEquals "saved as the user" "$UA" "$(stat -c %U "$CLUSTER/home/$UA/big.ipynb")"
}

testTwoUsersCannotReachEachOthersAppOrSession() {
	sock_a=$(state_of "$OUT_A")/jupyter.sock
	assertEquals "root reaches A's Jupyter on its socket (it is live)" 200 \
		"$(curl -s -o /dev/null -w '%{http_code}' --unix-socket "$sock_a" http://localhost/cgi-bin/app/api)"
	as "$UB" curl -s -o /dev/null --unix-socket "$sock_a" http://localhost/cgi-bin/app/api
	assertEquals "B cannot connect to A's socket (curl exit 7)" 7 $?
	assertFalse "B cannot read A's output file" "as '$UB' cat '$OUT_A' >/dev/null 2>&1"
	assertFalse "B cannot list A's state directory" "as '$UB' ls '$(state_of "$OUT_A")' >/dev/null 2>&1"
	base_a=http://127.0.0.1:$(port_of "$OUT_A")
	token_b=$(one_click "$OUT_B" | sed 's/.*token=//')
	assertEquals "B's token on A's gateway" 403 "$(req --data-urlencode "token=$token_b" "$base_a/cgi-bin/login")"
	assertEquals "B logs into B's own gateway" 303 "$(job_login "$OUT_B" "$WORK/b.jar")"
	assertEquals "B's session cookie on A's gateway" 401 "$(req -b "$WORK/b.jar" "$base_a/cgi-bin/app/api/contents")"
	name_a=$(awk '$6 ~ /^sh_login_/ { print $6 }' "$WORK/a.jar")
	value_b=$(awk '$6 ~ /^sh_login_/ { print $7 }' "$WORK/b.jar")
	assertNotEquals "a cookie name per gateway" "$name_a" "$(awk '$6 ~ /^sh_login_/ { print $6 }' "$WORK/b.jar")"
	assertEquals "B's session id under A's cookie name" 401 \
		"$(req -b "$name_a=$value_b" "$base_a/cgi-bin/app/api/contents")"
	assertEquals "B's own gateway serves B" 200 \
		"$(req -b "$WORK/b.jar" "http://127.0.0.1:$(port_of "$OUT_B")/cgi-bin/app/api/contents")"
}

# The README's demo-app line, run as written from A's shell: the job's
# gateway serves the built-in demo app after the one-click login, and only
# then; scancel ends it and leaves nothing of it (A's Jupyter job runs on).
testDemoAppJobAsWritten() {
	block=$(awk '/^<!-- slurm-demo -->$/ { on = 1; next } /^<!-- \/slurm-demo -->$/ { on = 0 }
		on && !/^```/' "$TEST_TOP/README.md")
	assertContains "the README has the demo line" "$block" "sbatch"
	said=$(as "$UA" sh -c "umask 022; $block")
	job=$(echo "$said" | sed -n 's/^Submitted batch job \([0-9]*\)$/\1/p')
	assertNotNull "sbatch said: $said" "$job"
	[ -n "$job" ] || return
	out=$CLUSTER/home/$UA/demo-$job.out
	i=0
	until grep -q 'One-click URL:' "$out" 2>/dev/null || [ $i -ge 240 ]; do sleep 0.5; i=$((i + 1)); done
	assertContains "the job printed its URL" "$(cat "$out" 2>/dev/null)" "One-click URL:"
	assertContains "the demo app, said on startup" "$(cat "$out" 2>/dev/null)" "serving the built-in demo app"
	assertEquals "the output file is A's alone" "600 $UA" "$(stat -c '%a %U' "$out")"
	base=http://127.0.0.1:$(port_of "$out")
	assertEquals "no session: the demo app is not reached" 401 "$(req "$base/cgi-bin/app/")"
	assertEquals "one-click login" 303 "$(job_login "$out" "$WORK/demo.jar")"
	assertEquals "the demo app through the gateway" 200 "$(req -b "$WORK/demo.jar" "$base/cgi-bin/app/")"
	assertContains "$(cat "$WORK/body")" "It works: you are behind sh_login"
	state=$(state_of "$out")
	as "$UA" scancel "$job"
	i=0
	while [ $i -lt 60 ] && { [ -e "$state" ] ||
		[ -n "$(SLURM_CONF=$CLUSTER/slurm.conf squeue -h -j "$job" 2>/dev/null)" ]; }; do
		sleep 0.5
		i=$((i + 1))
	done
	assertEquals "the demo job is gone" "" "$(SLURM_CONF=$CLUSTER/slurm.conf squeue -h -j "$job" 2>/dev/null)"
	assertFalse "no state directory" "[ -e '$state' ]"
	assertFalse "the gateway's port is closed" "'$CGI' probe 127.0.0.1 '$(port_of "$out")' 0"
	assertEquals "A's Jupyter job still serves" 200 \
		"$(req -b "$WORK/a.jar" "http://127.0.0.1:$(port_of "$OUT_A")/cgi-bin/app/api/contents")"
}

# scancel: SIGTERM to every process of the job; nothing of it may remain.
testZzScancelLeavesNothing() {
	for u in "$UA:$JOB_A" "$UB:$JOB_B"; do
		user=${u%%:*}
		job=${u#*:}
		out=$CLUSTER/home/$user/notebook-$job.out
		state=$(state_of "$out")
		port=$(port_of "$out")
		assertTrue "job $job runs processes of $user" "pgrep -u '$user' >/dev/null"
		as "$user" scancel "$job"
		i=0
		while [ $i -lt 60 ] && { pgrep -u "$user" >/dev/null ||
			[ -n "$(SLURM_CONF=$CLUSTER/slurm.conf squeue -h -j "$job" 2>/dev/null)" ]; }; do
			sleep 0.5
			i=$((i + 1))
		done
		echo "job $job gone after about $((i / 2)) s"
		assertEquals "no process of $user left" "" "$(pgrep -u "$user" -a)"
		assertFalse "no state directory" "[ -e '$state' ]"
		assertFalse "no socket" "[ -e '$state/jupyter.sock' ]"
		assertEquals "no sh_login list entry" "" \
			"$(as "$user" sh -c 'ls "${TMPDIR:-/tmp}/sh_login-$(id -u)" 2>/dev/null')"
		assertFalse "the gateway's port is closed" "'$CGI' probe 127.0.0.1 '$port' 0"
		assertContains "sh_login said it stopped" "$(cat "$out")" "stopping"
	done
}

. shunit2
