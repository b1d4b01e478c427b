#!/usr/bin/env python3
"""Builds the dbtool serve container image from a release archive, without a registry or a daemon.

The image is the release (under /opt/dbtool) on top of nothing but what its Java runtime and launcher
need: the C library files the runtime links against, copied from this (glibc) build host, and a static
busybox for the launcher's sh, sed, ls and dirname and for the health check's wget. No base image is
pulled. It runs as user 10001, checks its health on /ready, and is written as one tar that holds both
an OCI image layout and Docker's manifest.json: `docker load`, `podman load` and `skopeo copy
oci-archive:...` take it. The output is reproducible: the same archive gives the same image digest.

Usage: build-image.py --archive dbtool-VERSION-linux-x64.tar.gz --output dbtool-image.tar
                      [--tag dbtool:VERSION] [--busybox /bin/busybox]
"""
import argparse
import gzip
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile

UID = 10001
PORT = 9330
HOME = "/var/lib/dbtool"
MTIME = int(os.environ.get("SOURCE_DATE_EPOCH", "0"))
TOOLS = ["sh", "sed", "ls", "dirname", "wget", "id", "cat"]


def fail(message):
    print("build-image: " + message, file=sys.stderr)
    sys.exit(1)


def shared_libraries(root):
    """The host files the runtime's executables and libraries load, by ldd (absolute paths)."""
    needed = set()
    own = {name for _, _, files in os.walk(root) for name in files}
    for folder, _, files in os.walk(root):
        for name in files:
            path = os.path.join(folder, name)
            if not (name.endswith(".so") or folder.endswith("/bin")) or os.path.islink(path):
                continue
            result = subprocess.run(["ldd", path], capture_output=True, text=True)
            for line in result.stdout.splitlines():
                if "not found" in line and line.split("=>")[0].strip() not in own:
                    # the runtime's own libraries (libjvm.so) are found by the JVM, not by ldd
                    fail(path + ": " + line.strip())
                match = re.search(r"(/\S+) \(0x", line)
                if match and not match.group(1).startswith(root):
                    needed.add(match.group(1))
    return sorted(needed)


class Layer:
    """A reproducible tar layer: sorted entries, fixed times, owners root unless said otherwise."""

    def __init__(self):
        self.buffer = io.BytesIO()
        self.tar = tarfile.open(fileobj=self.buffer, mode="w", format=tarfile.PAX_FORMAT)
        self.seen = set()

    def _info(self, name, kind, mode, uid=0):
        info = tarfile.TarInfo(name.lstrip("/"))
        info.type, info.mode, info.mtime, info.uid, info.gid = kind, mode, MTIME, uid, uid
        info.uname = info.gname = ""
        return info

    def directory(self, name, mode=0o755, uid=0):
        parts = name.strip("/").split("/")
        for i in range(1, len(parts) + 1):
            path = "/".join(parts[:i])
            if path not in self.seen:
                self.seen.add(path)
                last = i == len(parts)
                self.tar.addfile(self._info(path, tarfile.DIRTYPE, mode if last else 0o755, uid if last else 0))

    def file(self, name, data, mode):
        self.directory(os.path.dirname(name.strip("/")))
        info = self._info(name, tarfile.REGTYPE, mode)
        info.size = len(data)
        self.tar.addfile(info, io.BytesIO(data))
        self.seen.add(name.strip("/"))

    def link(self, name, target):
        self.directory(os.path.dirname(name.strip("/")))
        info = self._info(name, tarfile.SYMTYPE, 0o777)
        info.linkname = target
        self.tar.addfile(info)
        self.seen.add(name.strip("/"))

    def tree(self, source, dest):
        for folder, dirs, files in os.walk(source):
            dirs.sort()
            rel = os.path.relpath(folder, source)
            base = dest if rel == "." else dest + "/" + rel
            self.directory(base)
            for name in sorted(files + [d for d in dirs if os.path.islink(os.path.join(folder, d))]):
                path = os.path.join(folder, name)
                if os.path.islink(path):
                    self.link(base + "/" + name, os.readlink(path))
                else:
                    with open(path, "rb") as f:
                        self.file(base + "/" + name, f.read(), 0o755 if os.access(path, os.X_OK) else 0o644)

    def host_file(self, path):
        """A host library at its own path, and the file a symlink names (ld-linux is one)."""
        while os.path.islink(path):
            target = os.readlink(path)
            resolved = target if target.startswith("/") else os.path.normpath(os.path.join(os.path.dirname(path), target))
            if path.strip("/") not in self.seen:
                self.link(path, target)
            path = resolved
        if path.strip("/") not in self.seen:
            with open(path, "rb") as f:
                self.file(path, f.read(), 0o755)

    def close(self):
        self.tar.close()
        raw = self.buffer.getvalue()
        compressed = io.BytesIO()
        with gzip.GzipFile(fileobj=compressed, mode="wb", mtime=0, compresslevel=6) as gz:
            gz.write(raw)
        return raw, compressed.getvalue()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--archive", required=True, help="dbtool-VERSION-linux-x64.tar.gz")
    parser.add_argument("--output", required=True, help="the image tar to write")
    parser.add_argument("--tag", help="image name, default dbtool:VERSION")
    parser.add_argument("--busybox", default=shutil.which("busybox") or "/bin/busybox",
                        help="a statically linked busybox (Debian's busybox-static)")
    args = parser.parse_args()

    name = os.path.basename(args.archive)
    match = re.fullmatch(r"dbtool-(.+)-linux-x64\.tar\.gz", name)
    if not match:
        fail("--archive: expected dbtool-VERSION-linux-x64.tar.gz, got " + name)
    version = match.group(1)
    tag = args.tag or "dbtool:" + version
    if not os.path.isfile(args.busybox):
        fail("--busybox: no file at " + args.busybox + " (apt-get install busybox-static)")
    ldd = subprocess.run(["ldd", args.busybox], capture_output=True, text=True)
    if "not a dynamic executable" not in ldd.stdout + ldd.stderr:
        fail("--busybox: " + args.busybox + " is not statically linked (apt-get install busybox-static)")

    with tempfile.TemporaryDirectory() as work:
        with tarfile.open(args.archive) as archive:
            if hasattr(tarfile, "data_filter"):
                archive.extractall(work, filter="tar")
            else:  # Python before 3.11.4; the archive is this project's own release
                archive.extractall(work)
        roots = os.listdir(work)
        if len(roots) != 1:
            fail(name + ": expected one top folder, found " + ", ".join(roots))
        bundle = os.path.join(work, roots[0])

        layer = Layer()
        # proc, dev and sys: where a runtime mounts them (the dynamic loader reads /proc/self/exe for $ORIGIN)
        for directory in ["bin", "etc", "lib", "lib64", "usr/lib", "opt", "run/secrets", "proc", "dev", "sys"]:
            layer.directory(directory)
        layer.directory("tmp", 0o1777)
        layer.directory(HOME, 0o700, UID)
        layer.directory("etc/dbtool")
        layer.file("etc/passwd", b"root:x:0:0:root:/root:/bin/sh\ndbtool:x:%d:%d:dbtool:%s:/bin/sh\n" % (UID, UID, HOME.encode()), 0o644)
        layer.file("etc/group", b"root:x:0:\ndbtool:x:%d:\n" % UID, 0o644)
        layer.file("etc/dbtool/config.json", b"{\"targets\": {}}\n", 0o644)
        with open(args.busybox, "rb") as f:
            layer.file("bin/busybox", f.read(), 0o755)
        for tool in TOOLS:
            layer.link("bin/" + tool, "busybox")
        for library in shared_libraries(os.path.join(bundle, "runtime")):
            layer.host_file(library)
        layer.tree(bundle, "opt/dbtool")
        raw, compressed = layer.close()

    diff_id = "sha256:" + hashlib.sha256(raw).hexdigest()
    layer_digest = hashlib.sha256(compressed).hexdigest()
    created = "1970-01-01T00:00:00Z" if MTIME == 0 else __import__("datetime").datetime.fromtimestamp(
        MTIME, __import__("datetime").timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    config = {
        "architecture": "amd64",
        "os": "linux",
        "created": created,
        "config": {
            "User": "%d:%d" % (UID, UID),
            "Env": ["PATH=/opt/dbtool/bin:/bin", "HOME=" + HOME, "XDG_DATA_HOME=/var/lib",
                    "XDG_CONFIG_HOME=" + HOME + "/config", "DBTOOL_CONFIG=/etc/dbtool/config.json"],
            "Entrypoint": ["/opt/dbtool/bin/dbtool"],
            "Cmd": ["serve", "--listen", "0.0.0.0:%d" % PORT, "--token-file", "/run/secrets/dbtool-token"],
            "WorkingDir": HOME,
            "ExposedPorts": {"%d/tcp" % PORT: {}},
            "StopSignal": "SIGTERM",
            # Docker's extension of the image config; Kubernetes uses the probes of its manifest instead.
            "Healthcheck": {
                "Test": ["CMD", "/bin/busybox", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:%d/ready" % PORT],
                "Interval": 30 * 10**9, "Timeout": 5 * 10**9, "StartPeriod": 60 * 10**9, "Retries": 3,
            },
            "Labels": {
                "org.opencontainers.image.title": "dbtool serve",
                "org.opencontainers.image.version": version,
                "org.opencontainers.image.description": "dbtool serve: database checks, Prometheus metrics, /health and /ready",
            },
        },
        "rootfs": {"type": "layers", "diff_ids": [diff_id]},
        "history": [{"created": created, "created_by": "deploy/container/build-image.py " + name}],
    }
    config_bytes = json.dumps(config, sort_keys=True, separators=(",", ":")).encode()
    config_digest = hashlib.sha256(config_bytes).hexdigest()
    manifest = {
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": "sha256:" + config_digest,
                   "size": len(config_bytes)},
        "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": "sha256:" + layer_digest,
                    "size": len(compressed)}],
    }
    manifest_bytes = json.dumps(manifest, sort_keys=True, separators=(",", ":")).encode()
    manifest_digest = hashlib.sha256(manifest_bytes).hexdigest()
    index = {
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.index.v1+json",
        "manifests": [{"mediaType": manifest["mediaType"], "digest": "sha256:" + manifest_digest, "size": len(manifest_bytes),
                       "annotations": {"org.opencontainers.image.ref.name": tag.split(":", 1)[-1],
                                       "io.containerd.image.name": tag}}],
    }
    docker_manifest = [{"Config": "blobs/sha256/" + config_digest, "RepoTags": [tag],
                        "Layers": ["blobs/sha256/" + layer_digest]}]

    os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
    partial = args.output + ".partial"
    with tarfile.open(partial, "w", format=tarfile.PAX_FORMAT) as out:
        def add(path, data):
            info = tarfile.TarInfo(path)
            info.size, info.mtime, info.mode = len(data), MTIME, 0o644
            out.addfile(info, io.BytesIO(data))
        add("oci-layout", b"{\"imageLayoutVersion\":\"1.0.0\"}")
        add("index.json", json.dumps(index, sort_keys=True, separators=(",", ":")).encode())
        add("manifest.json", json.dumps(docker_manifest, separators=(",", ":")).encode())
        add("blobs/sha256/" + config_digest, config_bytes)
        add("blobs/sha256/" + manifest_digest, manifest_bytes)
        add("blobs/sha256/" + layer_digest, compressed)
    os.replace(partial, args.output)
    print("build-image: %s (%s, %.1f MB, manifest sha256:%s)" % (args.output, tag, len(compressed) / 1e6, manifest_digest))


if __name__ == "__main__":
    main()
