#!/usr/bin/python3
"""oci_config.py SPEC CONTAINERFILE NETNS [KEY=VALUE...] [-- ARG...]: print the
config.json of an OCI bundle that runs the image the way a hardened container
host would, starting from SPEC (the default `runc spec` writes).

From the Containerfile's final stage (so the test runs the image's own
configuration, not a copy of it): ENV, USER, ENTRYPOINT. ARGs after `--` are
appended to the entrypoint (a container's CMD); KEY=VALUE set or override
environment variables. Then:
  - read-only root, a tmpfs /tmp (1777), nothing else writable;
  - no capabilities at all, no_new_privs;
  - no rlimits and no linux.resources (podman's crun fails on this machine
    setting them: README.md, "The image", the table of what the tests ran),
    no seccomp profile beyond runc's default;
  - its own pid, mount, ipc and uts namespaces; the network namespace NETNS
    (a path: one end of a veth pair) unless NETNS is `host`;
  - BIND=SRC:DST pairs (from the environment variable OCI_BINDS, space
    separated) bind-mounted read-write (the app's socket directory)."""
import json
import os
import shlex
import sys


def final_stage(path):
    """ENV, USER, ENTRYPOINT of the last FROM stage (continuation lines joined)."""
    with open(path) as f:
        text = f.read().replace("\\\n", " ")
    env, user, entry = {}, "0:0", []
    for line in text.splitlines():
        words = line.strip().split(None, 1)
        if not words or words[0].startswith("#"):
            continue
        key = words[0].upper()
        rest = words[1] if len(words) > 1 else ""
        if key == "FROM":
            env, user, entry = {}, "0:0", []
        elif key == "ENV":
            for pair in shlex.split(rest):
                k, _, v = pair.partition("=")
                env[k] = v
        elif key == "USER":
            user = rest.strip()
        elif key == "ENTRYPOINT":
            entry = json.loads(rest)
    return env, user, entry


def main():
    spec, containerfile, netns = sys.argv[1:4]
    rest = sys.argv[4:]
    extra_args = []
    if "--" in rest:
        extra_args = rest[rest.index("--") + 1:]
        rest = rest[:rest.index("--")]
    env, user, entry = final_stage(containerfile)
    for kv in rest:
        k, _, v = kv.partition("=")
        env[k] = v
    uid, _, gid = user.partition(":")

    with open(spec) as f:
        c = json.load(f)
    p = c["process"]
    p["terminal"] = False
    p["args"] = entry + extra_args
    p["env"] = ["%s=%s" % kv for kv in env.items()]
    p["cwd"] = "/"
    p["user"] = {"uid": int(uid), "gid": int(gid or uid)}
    p["capabilities"] = {k: [] for k in ("bounding", "effective", "inheritable", "permitted", "ambient")}
    p["noNewPrivileges"] = True
    p.pop("rlimits", None)
    c["root"] = {"path": "rootfs", "readonly": True}
    c["hostname"] = "sh-login-oci"
    c["mounts"].append({"destination": "/tmp", "type": "tmpfs", "source": "tmpfs",
                        "options": ["nosuid", "nodev", "mode=1777", "size=16m"]})
    for pair in os.environ.get("OCI_BINDS", "").split():
        src, _, dst = pair.partition(":")
        c["mounts"].append({"destination": dst, "type": "bind", "source": src,
                            "options": ["rbind", "rw", "nosuid", "nodev"]})
    lx = c["linux"]
    lx.pop("resources", None)
    ns = [n for n in lx["namespaces"] if n["type"] != "network"]
    if netns != "host":
        ns.append({"type": "network", "path": netns})
    lx["namespaces"] = ns
    json.dump(c, sys.stdout, indent=1)


main()
