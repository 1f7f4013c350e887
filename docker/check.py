#!/usr/bin/env python3
"""Static consistency check of docker/Dockerfile and docker/compose.yml against the repository.

Run from anywhere: `python3 docker/check.py [REPO_ROOT]` (default: the parent of this folder).
Exits 1 with one line per problem. Standard library only; no Docker daemon needed.

Checks:
  * every COPY source (from the build context) exists and is not excluded by
    docker/Dockerfile.dockerignore; every COPY --from names an earlier stage that creates the path;
  * the build stage installs the apt providers Package.swift names, and builds, release and with a
    static Swift runtime, a product Package.swift declares;
  * the runtime stage installs the runtime libraries, puts the binary on PATH, and its CMD /
    HEALTHCHECK / ENTRYPOINT run subcommands the binary defines;
  * WATCHKEEPER_* variables are ones the binary reads; the database lies in a VOLUME; the public
    folder variable points at where Public/ is copied; the listen port is EXPOSEd;
  * the runtime user is created in the image and is not root;
  * compose.yml's build context holds Package.swift and its dockerfile is this Dockerfile; its
    port, volume, environment and restart policy match.
"""

import fnmatch
import glob
import json
import os
import re
import shlex
import sys

# Subcommands the binary is expected to define. Used as the reference when Sources/watchkeeper
# does not define its commands yet, and required to be present once it does.
EXPECTED_SUBCOMMANDS = ["serve", "migrate", "backup", "version", "api-key", "healthcheck"]

# Environment variables the binary is expected to read (fallback when the sources do not name them).
EXPECTED_ENVIRONMENT = [
    "WATCHKEEPER_LISTEN", "WATCHKEEPER_DATABASE", "WATCHKEEPER_PUBLIC_URL", "WATCHKEEPER_PUBLIC_DIR",
    "WATCHKEEPER_TLS_CERT", "WATCHKEEPER_TLS_KEY", "WATCHKEEPER_LOG_LEVEL",
]

RUNTIME_PACKAGES = ["libsqlite3-0", "libssl3", "libcurl4", "tzdata", "ca-certificates"]
BINARY = "watchkeeper"
DATA_VOLUME = "/data"


class Problems:
    def __init__(self):
        self.items = []

    def add(self, where, message):
        self.items.append(f"{where}: {message}")

    def require(self, condition, where, message):
        if not condition:
            self.add(where, message)
        return condition


# ---- Dockerfile ---------------------------------------------------------------------------------

class Instruction:
    def __init__(self, line, keyword, arguments):
        self.line = line
        self.keyword = keyword
        self.arguments = arguments

    def exec_form(self, text=None):
        """The JSON array of an exec-form CMD/ENTRYPOINT, or None for the shell form."""
        text = self.arguments if text is None else text
        try:
            value = json.loads(text)
        except ValueError:
            return None
        return value if isinstance(value, list) and all(isinstance(v, str) for v in value) else None


class Stage:
    def __init__(self, index, name, base, line):
        self.index = index
        self.name = name
        self.base = base
        self.line = line
        self.instructions = []

    def of(self, keyword):
        return [i for i in self.instructions if i.keyword == keyword]

    def label(self):
        return self.name or f"stage {self.index}"


def parse_dockerfile(text):
    """Returns (global ARG defaults, stages). Joins continuation lines, drops comments."""
    logical = []
    buffer, start = "", None
    for number, raw in enumerate(text.splitlines(), 1):
        stripped = raw.strip()
        if not buffer and (not stripped or stripped.startswith("#")):
            continue
        if buffer and stripped.startswith("#"):
            continue  # comment lines inside a continued instruction are ignored by Docker too
        if start is None:
            start = number
        if stripped.endswith("\\"):
            buffer += stripped[:-1] + " "
            continue
        buffer += stripped
        logical.append((start, buffer))
        buffer, start = "", None
    if buffer:
        logical.append((start, buffer))

    global_args, stages = {}, []
    for line, content in logical:
        keyword, _, arguments = content.partition(" ")
        instruction = Instruction(line, keyword.upper(), arguments.strip())
        if instruction.keyword == "FROM":
            words = instruction.arguments.split()
            words = [w for w in words if not w.startswith("--")]
            base = substitute(words[0], global_args) if words else ""
            name = words[2] if len(words) >= 3 and words[1].upper() == "AS" else None
            stages.append(Stage(len(stages), name, base, line))
        elif not stages:
            if instruction.keyword == "ARG":
                key, _, default = instruction.arguments.partition("=")
                global_args[key.strip()] = default.strip()
        else:
            stages[-1].instructions.append(instruction)
    return global_args, stages


def substitute(text, variables):
    return re.sub(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?", lambda m: variables.get(m.group(1), m.group(0)), text)


def copy_parts(instruction):
    """(options, sources, destination) of a COPY/ADD in shell or JSON form."""
    words = instruction.exec_form() or shlex.split(instruction.arguments)
    options = {}
    while words and words[0].startswith("--"):
        key, _, value = words.pop(0)[2:].partition("=")
        options[key] = value
    if len(words) < 2:
        return options, [], None
    return options, words[:-1], words[-1]


def env_pairs(instruction):
    words = shlex.split(instruction.arguments)
    if words and "=" not in words[0]:
        return {words[0]: " ".join(words[1:])}  # legacy `ENV KEY value`
    return dict(word.partition("=")[::2] for word in words)


# ---- .dockerignore --------------------------------------------------------------------------------

def read_ignore_patterns(path):
    if not os.path.exists(path):
        return []
    patterns = []
    with open(path, encoding="utf-8") as handle:
        for raw in handle:
            line = raw.strip()
            if line and not line.startswith("#"):
                patterns.append(line)
    return patterns


def is_ignored(relative_path, patterns):
    """Docker's rule: the last matching pattern wins; a pattern also excludes everything below."""
    relative_path = os.path.normpath(relative_path)
    parts = relative_path.split("/")
    prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    ignored = False
    for pattern in patterns:
        negated = pattern.startswith("!")
        body = pattern[1:] if negated else pattern
        body = os.path.normpath(body.lstrip("/"))
        candidates = [body]
        if body.startswith("**/"):
            candidates.append(body[3:])
        for prefix in prefixes:
            if any(fnmatch.fnmatchcase(prefix, c) for c in candidates):
                ignored = not negated
                break
    return ignored


# ---- Swift sources ------------------------------------------------------------------------------

def swift_files(folder):
    if not os.path.isdir(folder):
        return {}
    files = {}
    for name in sorted(os.listdir(folder)):
        if name.endswith(".swift"):
            with open(os.path.join(folder, name), encoding="utf-8") as handle:
                files[name] = handle.read()
    return files


def argument_parser_name(type_name):
    """swift-argument-parser's default command name: camel case to lower-case kebab case."""
    text = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1-\2", type_name)
    text = re.sub(r"([a-z0-9])([A-Z])", r"\1-\2", text)
    return text.lower()


def defined_subcommands(sources):
    """Top-level subcommands of the root command, or None when no command is defined yet."""
    text = "\n".join(sources.values())
    bodies = {}
    for match in re.finditer(r"struct\s+(\w+)\s*:\s*[^{]*\b(?:Async)?ParsableCommand\b", text):
        bodies[match.group(1)] = text[match.end(): match.end() + 1500]
    if not bodies:
        return None
    root = None
    for name, body in bodies.items():
        if re.search(r'commandName:\s*"' + BINARY + '"', body) or re.search(r"@main\s+struct\s+" + name + r"\b", text):
            root = name
            break
    if root is None:
        return None
    listed = re.search(r"subcommands:\s*\[([^\]]*)\]", bodies[root])
    if not listed:
        return []
    names = []
    for type_name in re.findall(r"(\w+)\.self", listed.group(1)):
        body = bodies.get(type_name, "")
        explicit = re.search(r'commandName:\s*"([^"]+)"', body.split("struct ")[0] if body else "")
        names.append(explicit.group(1) if explicit else argument_parser_name(type_name))
    return names


def package_products(package_swift):
    return re.findall(r'\.executable\(\s*name:\s*"([^"]+)"', package_swift)


def package_apt_providers(package_swift):
    found = []
    for group in re.findall(r"\.apt\(\[([^\]]*)\]\)", package_swift):
        found += re.findall(r'"([^"]+)"', group)
    return found


def installed_packages(stage):
    packages = set()
    for run in stage.of("RUN"):
        for command in re.split(r"&&|;", run.arguments):
            words = command.split()
            if len(words) >= 2 and words[0] in ("apt-get", "apt") and "install" in words:
                packages.update(w for w in words[words.index("install") + 1:] if not w.startswith("-"))
    return packages


# ---- compose.yml ----------------------------------------------------------------------------------

def parse_simple_yaml(text, where, problems):
    """Block-style YAML subset: nested mappings, lists of scalars, quoted or plain scalars."""
    root = {}
    stack = [(-1, root)]  # (indent, container)
    pending = None  # (indent, parent mapping, key) awaiting a nested block
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.split(" #")[0].rstrip() if not raw.lstrip().startswith("#") else ""
        if not line.strip():
            continue
        indent = len(line) - len(line.lstrip(" "))
        content = line.strip()
        if "\t" in raw[:indent] or content[0] in "{[&*!|>":
            problems.add(f"{where}:{number}", "unsupported YAML construct for this checker")
            return root
        if pending is not None:
            p_indent, p_parent, p_key = pending
            pending = None
            if indent > p_indent:
                container = [] if content.startswith("- ") or content == "-" else {}
                p_parent[p_key] = container
                stack.append((p_indent, container))
        while stack and indent <= stack[-1][0]:
            stack.pop()
        container = stack[-1][1] if stack else root
        if content.startswith("- "):
            if not isinstance(container, list):
                problems.add(f"{where}:{number}", "list item where a mapping was expected")
                return root
            container.append(scalar(content[2:].strip()))
            continue
        key, separator, value = content.partition(":")
        if not separator or not isinstance(container, dict):
            problems.add(f"{where}:{number}", "cannot parse line")
            return root
        key = scalar(key.strip())
        value = value.strip()
        if value:
            container[key] = scalar(value)
        else:
            container[key] = None
            pending = (indent, container, key)
    return root


def scalar(text):
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        return text[1:-1]
    return text


# ---- checks -----------------------------------------------------------------------------------

def check(root):
    problems = Problems()
    docker_dir = os.path.join(root, "docker")
    dockerfile_path = os.path.join(docker_dir, "Dockerfile")
    compose_path = os.path.join(docker_dir, "compose.yml")
    package_path = os.path.join(root, "Package.swift")
    for path in (dockerfile_path, compose_path, package_path):
        if not os.path.isfile(path):
            problems.add(os.path.relpath(path, root), "missing")
    if problems.items:
        return problems.items

    with open(dockerfile_path, encoding="utf-8") as handle:
        global_args, stages = parse_dockerfile(handle.read())
    with open(package_path, encoding="utf-8") as handle:
        package_swift = handle.read()
    ignore_patterns = read_ignore_patterns(dockerfile_path + ".dockerignore")
    sources = swift_files(os.path.join(root, "Sources", BINARY))
    app_sources = swift_files(os.path.join(root, "Sources", "WatchkeeperApp"))
    D = "docker/Dockerfile"

    if not problems.require(len(stages) >= 2, D, "expected a multi-stage build (build and runtime stages)"):
        return problems.items
    build, runtime = stages[0], stages[-1]
    stage_names = {s.name: s for s in stages if s.name}

    # COPY sources
    for stage in stages:
        for instruction in stage.of("COPY") + stage.of("ADD"):
            where = f"{D}:{instruction.line}"
            options, copy_sources, destination = copy_parts(instruction)
            if destination is None:
                problems.add(where, "COPY needs a source and a destination")
                continue
            origin = options.get("from")
            if origin is not None:
                earlier = stage_names.get(origin)
                if not problems.require(earlier is not None and earlier.index < stage.index, where,
                                        f"COPY --from={origin} names no earlier stage"):
                    continue
                for source in copy_sources:
                    mentioned = any(source in i.arguments for i in earlier.instructions if i.keyword in ("RUN", "COPY", "WORKDIR"))
                    problems.require(mentioned, where, f"{source} is never created in stage {origin}")
                continue
            for source in copy_sources:
                if not problems.require(glob_relative(root, source), where, f"COPY source {source!r} does not exist in the repository"):
                    continue
                problems.require(not is_ignored(source, ignore_patterns), where,
                                 f"COPY source {source!r} is excluded by docker/Dockerfile.dockerignore")

    # Build stage: apt providers and the build command
    build_where = f"{D}:{build.line}"
    installed = installed_packages(build)
    for provider in package_apt_providers(package_swift):
        problems.require(provider in installed, build_where,
                         f"build stage does not install {provider}, which Package.swift names as a provider")
    products = package_products(package_swift)
    # Each `swift build` that names a product (not the --show-bin-path query) must be release + static.
    build_commands = [(i, segment) for i in build.of("RUN") for segment in re.split(r"&&|;", i.arguments)
                      if re.search(r"\bswift build\b", segment) and "--show-bin-path" not in segment]
    if problems.require(build_commands, build_where, "build stage has no `swift build`"):
        for instruction, command in build_commands:
            where = f"{D}:{instruction.line}"
            built = re.findall(r"--product[= ](\S+)", command)
            problems.require(built, where, "swift build does not name a --product")
            for product in built:
                problems.require(product in products, where,
                                 f"product {product!r} is not declared in Package.swift (declared: {', '.join(products)})")
            problems.require(re.search(r"(-c|--configuration)[= ]release\b", command), where, "build is not -c release")
            problems.require("--static-swift-stdlib" in command, where, "build does not use --static-swift-stdlib")
    problems.require(re.match(r"swift:6\.\d+(\.\d+)?-bookworm$", build.base), build_where,
                     f"build image {build.base!r} is not a swift:6.x-bookworm image")

    # Runtime stage: packages, binary location, commands
    runtime_where = f"{D}:{runtime.line}"
    problems.require(runtime.base.startswith("debian:bookworm"), runtime_where,
                     f"runtime image {runtime.base!r} is not Debian bookworm (the build image's release)")
    runtime_installed = installed_packages(runtime)
    for package in RUNTIME_PACKAGES:
        problems.require(package in runtime_installed, runtime_where, f"runtime stage does not install {package}")
    destinations = {}
    for instruction in runtime.of("COPY"):
        options, copy_sources, destination = copy_parts(instruction)
        for source in copy_sources:
            destinations[os.path.basename(source.rstrip("/"))] = destination
    problems.require(destinations.get(BINARY) == f"/usr/local/bin/{BINARY}", runtime_where,
                     f"the {BINARY} binary is not copied to /usr/local/bin/{BINARY}")

    subcommands = defined_subcommands(sources)
    if subcommands is None:
        reference, reference_name = EXPECTED_SUBCOMMANDS, "EXPECTED_SUBCOMMANDS in docker/check.py"
        print(f"note: Sources/{BINARY} defines no commands yet; checking against {reference_name}")
    else:
        reference, reference_name = subcommands, f"the subcommands of Sources/{BINARY}"
        for expected in EXPECTED_SUBCOMMANDS:
            problems.require(expected in subcommands, f"Sources/{BINARY}",
                             f"expected subcommand {expected!r} is not defined (defined: {', '.join(subcommands)})")
    for keyword in ("CMD", "ENTRYPOINT", "HEALTHCHECK"):
        for instruction in runtime.of(keyword):
            where = f"{D}:{instruction.line}"
            text = instruction.arguments
            if keyword == "HEALTHCHECK":
                match = re.search(r"\bCMD\s+(.*)$", text)
                if not problems.require(match, where, "HEALTHCHECK has no CMD"):
                    continue
                text = match.group(1)
            arguments = instruction.exec_form(text)
            if not problems.require(arguments, where, f"{keyword} must use the exec (JSON array) form"):
                continue
            if not problems.require(arguments[0] in (BINARY, f"/usr/local/bin/{BINARY}"), where,
                                    f"{keyword} runs {arguments[0]!r}, not {BINARY}"):
                continue
            if problems.require(len(arguments) >= 2, where, f"{keyword} names no subcommand"):
                problems.require(arguments[1] in reference, where,
                                 f"subcommand {arguments[1]!r} is not one of {reference_name}: {', '.join(reference)}")
    problems.require(runtime.of("CMD"), runtime_where, "runtime stage has no CMD")
    problems.require(runtime.of("HEALTHCHECK"), runtime_where, "runtime stage has no HEALTHCHECK")

    # Environment, volume, port
    environment = {}
    for instruction in runtime.of("ENV"):
        environment.update(env_pairs(instruction))
    known = set(re.findall(r"WATCHKEEPER_[A-Z0-9_]+", "\n".join(list(sources.values()) + list(app_sources.values()))))
    known_name = "the sources" if known else "EXPECTED_ENVIRONMENT in docker/check.py"
    known = known or set(EXPECTED_ENVIRONMENT)
    for name in environment:
        if name.startswith("WATCHKEEPER_"):
            problems.require(name in known, D, f"ENV {name} is not read by the binary (not in {known_name})")
    volumes = set()
    for instruction in runtime.of("VOLUME"):
        volumes.update(instruction.exec_form() or instruction.arguments.split())
    problems.require(DATA_VOLUME in volumes, D, f"runtime stage declares no VOLUME {DATA_VOLUME}")
    database = environment.get("WATCHKEEPER_DATABASE", "")
    problems.require(any(database.startswith(v.rstrip("/") + "/") for v in volumes), D,
                     f"WATCHKEEPER_DATABASE={database!r} is not inside a VOLUME")
    problems.require(environment.get("WATCHKEEPER_PUBLIC_DIR") == destinations.get("Public"), D,
                     "WATCHKEEPER_PUBLIC_DIR is not where Public/ is copied")
    exposed = set()
    for instruction in runtime.of("EXPOSE"):
        exposed.update(p.split("/")[0] for p in instruction.arguments.split())
    listen_port = environment.get("WATCHKEEPER_LISTEN", "").rpartition(":")[2]
    problems.require(listen_port and listen_port in exposed, D,
                     f"WATCHKEEPER_LISTEN port {listen_port!r} is not EXPOSEd ({', '.join(sorted(exposed)) or 'none'})")

    # User
    users = runtime.of("USER")
    if problems.require(users, runtime_where, "runtime stage has no USER: the server would run as root"):
        user = users[-1].arguments.split(":")[0]
        where = f"{D}:{users[-1].line}"
        problems.require(user not in ("root", "0"), where, "the runtime user is root")
        created = any(re.search(r"\b(useradd|adduser)\b[^&;]*\b" + re.escape(user) + r"\b", i.arguments) for i in runtime.of("RUN"))
        problems.require(created or user.isdigit(), where, f"user {user!r} is never created in the runtime stage")

    check_compose(root, compose_path, dockerfile_path, exposed, problems)
    return problems.items


def glob_relative(root, source):
    source = source.rstrip("/") or "."
    return glob.glob(os.path.join(root, source))


def check_compose(root, compose_path, dockerfile_path, exposed, problems):
    C = "docker/compose.yml"
    with open(compose_path, encoding="utf-8") as handle:
        compose = parse_simple_yaml(handle.read(), C, problems)
    services = compose.get("services")
    if not problems.require(isinstance(services, dict) and len(services) == 1, C, "expected exactly one service"):
        return
    name, service = next(iter(services.items()))
    where = f"{C}: services.{name}"
    if not problems.require(isinstance(service, dict), where, "service is not a mapping"):
        return
    build = service.get("build")
    if problems.require(isinstance(build, dict), where, "build must give context and dockerfile"):
        context = os.path.normpath(os.path.join(os.path.dirname(compose_path), build.get("context", ".")))
        problems.require(os.path.isfile(os.path.join(context, "Package.swift")), where,
                         f"build context {build.get('context')!r} resolves to {context}, which has no Package.swift")
        dockerfile = os.path.normpath(os.path.join(context, build.get("dockerfile", "Dockerfile")))
        problems.require(os.path.realpath(dockerfile) == os.path.realpath(dockerfile_path), where,
                         f"build dockerfile resolves to {dockerfile}, not docker/Dockerfile")
    ports = service.get("ports") or []
    container_ports = {str(p).split(":")[-1].split("/")[0] for p in ports}
    problems.require(ports and container_ports <= exposed, where,
                     f"published container ports {sorted(container_ports)} do not match EXPOSE {sorted(exposed)}")
    volumes = service.get("volumes") or []
    named = [v for v in volumes if isinstance(v, str) and v.split(":")[1:2] == [DATA_VOLUME]]
    if problems.require(named, where, f"no volume is mounted at {DATA_VOLUME}"):
        volume = named[0].split(":")[0]
        declared = compose.get("volumes")
        problems.require(not volume.startswith((".", "/")) and isinstance(declared, dict) and volume in declared,
                         where, f"{volume!r} is not a named volume declared under top-level volumes")
    environment = service.get("environment")
    if isinstance(environment, list):
        environment = dict(str(e).partition("=")[::2] for e in environment)
    problems.require(isinstance(environment, dict) and "WATCHKEEPER_PUBLIC_URL" in environment, where,
                     "environment does not set WATCHKEEPER_PUBLIC_URL")
    problems.require(service.get("restart") == "unless-stopped", where, "restart policy is not unless-stopped")


def main():
    root = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    problems = check(root)
    if problems:
        print(f"docker/check.py: {len(problems)} problem(s) in {root}", file=sys.stderr)
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    print("docker/check.py: Dockerfile and compose.yml agree with the repository")
    return 0


if __name__ == "__main__":
    sys.exit(main())
