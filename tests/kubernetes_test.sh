#!/bin/sh
# kubernetes_test.sh - the Kubernetes sidecar recipe (rootfs/kubernetes-sidecar.yaml)
# read by a YAML parser (Debian's python3-yaml) and checked against what
# the image and sh_login really do: the gateway's port and user are the
# Containerfile's, the app and the gateway share the socket's emptyDir, the
# token file is the Secret's key, the probes ask /cgi-bin/health, the root
# is read-only with /tmp writable. Then the gateway is started with the
# recipe's own args and environment (mount paths mapped into $WORK, the
# token written where the Secret would be) in front of tests/upstream.py on
# the socket: the probe's path answers 200, the Secret's token logs in.
# No cluster is used.
. "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3     # Debian's, with python3-websockets and python3-yaml
YAML=$TOP/rootfs/kubernetes-sidecar.yaml

oneTimeSetUp() {
	SKIP_WHY=
	"$PY" -c 'import yaml' 2>/dev/null || SKIP_WHY="no python3-yaml"
}
oneTimeTearDown() { cleanup_all; }
setUp() { [ -z "$SKIP_WHY" ] || skip_test "$SKIP_WHY"; }

# k8s EXPR: a Python expression over d (the documents by kind), gw and app
# (the two containers), vol (the pod's volumes by name), printed.
k8s() {
	"$PY" - "$YAML" "$1" <<'EOF'
import sys, yaml
docs = list(yaml.safe_load_all(open(sys.argv[1])))
d = {x["kind"]: x for x in docs}
pod = d["Deployment"]["spec"]["template"]["spec"]
c = {x["name"]: x for x in pod["containers"]}
gw, app = c["gateway"], c["app"]
vol = {v["name"]: v for v in pod["volumes"]}
env = {e["name"]: e["value"] for e in gw.get("env", [])}
mounts = lambda ct: {m["mountPath"]: m["name"] for m in ct.get("volumeMounts", [])}
print(eval(sys.argv[2]))
EOF
}

testParsesIntoSecretDeploymentService() {
	assertEquals "Secret Deployment Service" "$(k8s '" ".join(x["kind"] for x in docs)')"
	assertEquals "two containers" "app gateway" "$(k8s '" ".join(sorted(c))')"
}

testGatewayMatchesTheImage() {
	port=$(sed -n 's/.*SH_LOGIN_NGINX=\([0-9]*\).*/\1/p' "$TOP/Containerfile")
	user=$(sed -n 's/^USER \([0-9]*\):.*/\1/p' "$TOP/Containerfile")
	assertEquals "containerPort is the image's SH_LOGIN_NGINX" "$port" \
		"$(k8s 'gw["ports"][0]["containerPort"]')"
	assertEquals "runs as the image's user" "$user" "$(k8s 'pod["securityContext"]["runAsUser"]')"
	assertEquals "read-only root, no privilege escalation, no capabilities" "True False ['ALL']" \
		"$(k8s '" ".join(map(str, (gw["securityContext"]["readOnlyRootFilesystem"], gw["securityContext"]["allowPrivilegeEscalation"], gw["securityContext"]["capabilities"]["drop"])))')"
	assertEquals "/tmp writable: a memory emptyDir" "Memory" "$(k8s 'vol[mounts(gw)["/tmp"]]["emptyDir"]["medium"]')"
}

testAppOnASharedEmptyDirSocket() {
	sock=$(k8s 'gw["args"][gw["args"].index("--socket") + 1]')
	dir=${sock%/*}
	assertEquals "/run/app/app.sock" "$sock"
	assertEquals "the gateway mounts the socket's directory from an emptyDir" "True" \
		"$(k8s '"emptyDir" in vol[mounts(gw)["'"$dir"'"]]')"
	assertEquals "the app mounts the same volume there" "$(k8s 'mounts(gw)["'"$dir"'"]')" \
		"$(k8s 'mounts(app)["'"$dir"'"]')"
	assertEquals "the app listens on that socket under the gateway's prefix" \
		"True True" "$(k8s '"%s %s" % ("--ServerApp.sock='"$sock"'" in app["args"], "--ServerApp.base_url=/cgi-bin/app/" in app["args"])')"
	assertContains "the app keeps its prefix: --keep-prefix" "$(k8s 'gw["args"]')" "--keep-prefix"
}

testTokenFromASecretFile() {
	file=$(k8s 'env["SH_LOGIN_TOKEN_FILE"]')
	assertEquals "SH_LOGIN_TOKEN_FILE is the Secret's key in its mount" \
		"$(k8s 'vol[mounts(gw)["'"${file%/*}"'"]]["secret"]["secretName"]') ${file##*/}" \
		"$(k8s 'd["Secret"]["metadata"]["name"]') $(k8s '" ".join(d["Secret"]["stringData"])')"
	assertEquals "no token in the environment" "False" "$(k8s '"SH_LOGIN_TOKEN" in env')"
}

testProbesAskHealth() {
	assertEquals "/cgi-bin/health http /cgi-bin/health http" \
		"$(k8s '" ".join((gw["livenessProbe"]["httpGet"]["path"], gw["livenessProbe"]["httpGet"]["port"], gw["readinessProbe"]["httpGet"]["path"], gw["readinessProbe"]["httpGet"]["port"]))')"
	assertEquals "the port name is the gateway's" "http" "$(k8s 'gw["ports"][0]["name"]')"
}

# The recipe's args and environment, run: /run/app -> $WORK/app,
# /run/secrets/sh_login -> $WORK/secret, /tmp -> $WORK/tmp.
# recipe_env: the gateway container's environment, mount paths mapped
# into $WORK; /tmp, the emptyDir, made as the kubelet makes it with
# fsGroup: mode 2777, no sticky bit.
recipe_env() {
	mkdir -p "$WORK/secret" "$WORK/tmp" && chmod 700 "$WORK/secret" && chmod 2777 "$WORK/tmp"
	k8s 'd["Secret"]["stringData"]["token"]' >"$WORK/secret/token"
	chmod 400 "$WORK/secret/token"     # the recipe's defaultMode (one open to all is refused)
	map="sed -e s|/run/app|$WORK/app|g -e s|/run/secrets/sh_login|$WORK/secret|g -e s|^/tmp\$|$WORK/tmp|"
	args=$(k8s '" ".join(gw["args"])' | $map)
	envs=$(k8s '"\n".join("%s=%s" % kv for kv in env.items())' | sed 's/=/\n/' |
		$map | paste -d= - - | tr '\n' ' ')
}

testEmptyDirIsRefusedUnlessDeclaredPrivate() {
	recipe_env
	assertContains "the recipe declares /tmp private" "$envs" "SH_LOGIN_PRIVATE_DIR=$WORK/tmp"
	for private in "" "$WORK/secret"; do
		# shellcheck disable=SC2086
		env $(echo "$envs" | sed 's/SH_LOGIN_PRIVATE_DIR=[^ ]*//') ${private:+SH_LOGIN_PRIVATE_DIR=$private} \
			TMPDIR="$WORK/tmp" sh "$TOP/scripts/sh_login" start --nginx "$(free_port)" $args \
			>"$WORK/k8s.out" 2>"$WORK/k8s.err"
		assertEquals "refused with 100 (SH_LOGIN_PRIVATE_DIR='$private')" 100 "$?"
		assertContains "$(cat "$WORK/k8s.err")" "no sticky bit (mode 2777)"
		assertContains "$(cat "$WORK/k8s.err")" "SH_LOGIN_PRIVATE_DIR"
		assertEquals "nothing made in it" "" "$(ls -A "$WORK/tmp")"
	done
}

testGatewayRunsWithTheRecipesArgsAndEnv() {
	recipe_env
	start_upstream unix       # $WORK/app/app.sock
	port=$(free_port)
	# shellcheck disable=SC2086
	env $envs TMPDIR="$WORK/tmp" sh "$TOP/scripts/sh_login" start --nginx "$port" $args \
		>"$WORK/k8s.out" 2>"$WORK/k8s.err" &
	GW_PID=$!
	"$CGI" probe 127.0.0.1 "$port" 10 || fail "the gateway did not start: $(cat "$WORK/k8s.err")"
	mode=$(stat -c %a "$WORK"/tmp/sh_login.*)   # 2700: the emptyDir's setgid is inherited
	assertEquals "its state: a fresh directory of its own in the emptyDir, rwx for it only ($mode)" \
		700 "$(printf '%o' $((0$mode & 0777)))"
	path=$(k8s 'gw["livenessProbe"]["httpGet"]["path"]')
	assertEquals "the probe's path: app up" 200 "$(req "http://127.0.0.1:$port$path")"
	assertEquals "the Secret's token logs in" 303 \
		"$(req -c "$WORK/jar" --data-urlencode "token=$(cat "$WORK/secret/token")" "http://127.0.0.1:$port/cgi-bin/login")"
	assertEquals "the app, prefix kept" 200 "$(req -b "$WORK/jar" "http://127.0.0.1:$port/cgi-bin/app/echo")"
	assertContains "$(cat "$WORK/body")" '"target": "/cgi-bin/app/echo"'
	assertEquals "the ingress name passes the Host check" 200 \
		"$(req -H "Host: $(k8s 'env["SH_LOGIN_HOSTS"]')" "http://127.0.0.1:$port$path")"
	assertContains "access lines on stderr (kubectl logs)" "$(cat "$WORK/k8s.err")" "$path"
	stop_upstream
	assertEquals "the probe's path: app down" 503 "$(req "http://127.0.0.1:$port$path")"
	stop_gateway
}

. shunit2
