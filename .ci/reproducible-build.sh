#!/usr/bin/env bash
# Builds the working tree twice, each time in a fresh copy at a different path, with the release
# profile (signing skipped, tests skipped), and fails if
#   - any published jar (each library's jar, -sources, -javadoc and test jars) or jnet.jar differs
#     between the two builds: the file and both sha256 sums are printed;
#   - a library lacks its -sources or -javadoc jar;
#   - a published POM (jnet-parent, jnet-bom, each library, as Maven sees it after inheritance)
#     lacks what Maven Central requires: name, description, url, license, scm, developer;
#   - jnet-bom drifts from the build: another version, other artifacts than the libraries, test
#     dependencies, or release plugins of other versions than jnet-parent's.
# The second build runs with another time zone, umask (002: group-writable files, as on many
# desktops) and locale (POSIX, ASCII: a common CI default), so none of them can leak into a jar.
# (umask 077 would: files generated during the build, such as pom.properties, keep their
# owner-only mode in the -sources, -tests and -javadoc jars. Build releases with umask 022.)
#
# Usage: .ci/reproducible-build.sh [extra mvn arguments, e.g. -o]
# Takes 2 to 3 minutes on 2 busy cores (two builds without tests; about 1 s of it is the checks).
set -euo pipefail
cd "$(dirname "$0")/.."

# The artifacts users take from Maven Central.
LIBRARIES=(net-api net-tcp net-ipc net-http-over-tcp net-testkit)
# Also built twice and compared, though not published to Central: the runnable jar.
OTHER_JARS=(net-cli/target/jnet.jar)

work=$(mktemp -d "${TMPDIR:-/tmp}/jnet-repro.XXXXXX")
trap 'rm -rf "$work"' EXIT

# What a fresh clone would have, plus files not yet committed (so it checks what you are about to
# commit), minus everything .gitignore'd (target/ above all). --ignore-failed-read: a tracked
# file deleted in the working tree is simply absent.
copy_tree() {
    mkdir -p "$1"
    git ls-files -z --cached --others --exclude-standard \
        | tar --null --files-from=- --ignore-failed-read -cf - 2>/dev/null \
        | tar -xf - -C "$1"
}

build() { # dir tz umask locale [-pl modules]
    local dir=$1 tz=$2 mask=$3 locale=$4 start=$SECONDS
    shift 4
    copy_tree "$dir"
    if ! (cd "$dir" && umask "$mask" && TZ="$tz" LC_ALL="$locale" mvn -B -q -Prelease -Dgpg.skip -DskipTests \
            -Djnet.fuzz.skip=true "${MVN_ARGS[@]}" "$@" verify >"$dir.log" 2>&1); then
        echo "FAIL: build in $dir (TZ=$tz umask $mask LC_ALL=$locale) failed; its log:" >&2
        tail -50 "$dir.log" >&2
        exit 1
    fi
    echo "built $dir (TZ=$tz umask $mask LC_ALL=$locale) in $((SECONDS - start)) s"
}

MVN_ARGS=("$@")
version=$(sed -n 's|^  <version>\(.*\)</version>$|\1|p' pom.xml | head -1)
[ -n "$version" ] || { echo "FAIL: no <version> in pom.xml" >&2; exit 1; }

# The first build is the whole reactor, exactly as RELEASING.md's dry run; the second only what is
# compared, which saves the test and benchmark modules' compilation.
build "$work/a" UTC 022 C.UTF-8
IFS=, compared_modules="${LIBRARIES[*]},net-cli,jnet-bom"; unset IFS
build "$work/b" Pacific/Kiritimati 002 C -pl "$compared_modules" -am

failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

# Every jar each library module attaches, found in the first build (so a new classifier is checked
# without editing this list), must be in the second build with the same bytes.
jars=()
for lib in "${LIBRARIES[@]}"; do
    for suffix in "" -sources -javadoc; do
        f="$lib/target/$lib-$version$suffix.jar"
        [ -f "$work/a/$f" ] || fail "$f was not built (every library needs its jar, -sources and -javadoc jars)"
    done
    for f in "$work/a/$lib/target/"*.jar; do
        [ -f "$f" ] && jars+=("${f#"$work/a/"}")
    done
done
jars+=("${OTHER_JARS[@]}")

for f in "${jars[@]}"; do
    if [ ! -f "$work/a/$f" ] || [ ! -f "$work/b/$f" ]; then
        fail "$f is missing from one of the two builds"
        continue
    fi
    a=$(sha256sum <"$work/a/$f" | cut -d' ' -f1)
    b=$(sha256sum <"$work/b/$f" | cut -d' ' -f1)
    if [ "$a" = "$b" ]; then
        echo "same   $a  $f"
    else
        fail "$f differs between two builds of one tree: $a vs $b"
        # Which entries differ, and how (content, mode, time, order):
        python3 - "$work/a/$f" "$work/b/$f" <<'PY' | head -20 >&2 || true
import sys, zipfile
def entries(path):
    with zipfile.ZipFile(path) as z:
        return [(i.filename, f"crc={i.CRC:08x} mode={i.external_attr >> 16:o} time={i.date_time}") for i in z.infolist()]
a, b = entries(sys.argv[1]), entries(sys.argv[2])
if [n for n, _ in a] != [n for n, _ in b]:
    print("  entries differ in names or order")
db = dict(b)
for name, info in a:
    if db.get(name) != info:
        print(f"  {name}: {info}  vs  {db.get(name)}")
PY
    fi
done

# The POMs as a user's Maven sees them: each library's with jnet-parent's metadata inherited.
effective="$work/effective-pom.xml"
published_modules=(jnet-parent jnet-bom "${LIBRARIES[@]}")
if ! (cd "$work/a" && mvn -B -q "${MVN_ARGS[@]}" \
        org.apache.maven.plugins:maven-help-plugin:3.5.1:effective-pom \
        -Doutput="$effective" >"$work/effective.log" 2>&1); then
    tail -30 "$work/effective.log" >&2
    fail "mvn help:effective-pom failed"
else
    if ! python3 - "$effective" "$work/a/pom.xml" "$work/a/jnet-bom/pom.xml" \
            "${LIBRARIES[*]}" "${published_modules[*]}" <<'PY'
import sys
import xml.etree.ElementTree as ET

effective, parent_pom, bom_pom, libraries, published = sys.argv[1:]
libraries, published = libraries.split(), published.split()
N = "{http://maven.apache.org/POM/4.0.0}"
problems = []

def q(path):  # "a/b" -> "{ns}a/{ns}b"
    return "/".join(N + p for p in path.split("/"))

projects = {p.findtext(q("artifactId")): p for p in ET.parse(effective).getroot().iter(N + "project")}
for name in published:
    p = projects.get(name)
    if p is None:
        problems.append(f"{name}: not in the reactor's effective POMs")
        continue
    for what in ("name", "description", "url", "licenses/license/name", "licenses/license/url",
                 "scm/url", "scm/connection", "developers/developer/name"):
        if not (p.findtext(q(what)) or "").strip():
            problems.append(f"{name}: no <{what}> in its POM (Maven Central requires it)")
    for what in ("url", "scm/url"):
        value = (p.findtext(q(what)) or "").rstrip("/")
        if value.endswith("/" + name):
            problems.append(f"{name}: <{what}> is {value}, the parent's with the module appended")
    if (p.findtext(q("properties/maven.deploy.skip")) or "false") != "false":
        problems.append(f"{name}: maven.deploy.skip is true, so it would not be published")
for name, p in projects.items():
    if name not in published and (p.findtext(q("properties/maven.deploy.skip")) or "") != "true":
        problems.append(f"{name}: not a library, yet maven.deploy.skip is not true (it would be published)")

# jnet-bom, read as published (its own file: it has no parent).
bom = ET.parse(bom_pom).getroot()
parent = ET.parse(parent_pom).getroot()
if bom.find(q("parent")) is not None:
    problems.append("jnet-bom: has a <parent>; importing it would bring the parent's test-dependency versions")
if bom.find(q("dependencies")) is not None:
    problems.append("jnet-bom: declares <dependencies>; a BOM manages versions only")
if bom.findtext(q("version")) != parent.findtext(q("version")):
    problems.append(f"jnet-bom: version {bom.findtext(q('version'))} but jnet-parent is {parent.findtext(q('version'))}")
managed = [(d.findtext(q("groupId")), d.findtext(q("artifactId")), d.findtext(q("version")), d.findtext(q("scope")))
           for d in bom.iterfind(q("dependencyManagement/dependencies/dependency"))]
if sorted(a for _, a, _, _ in managed) != sorted(libraries):
    problems.append(f"jnet-bom: manages {sorted(a for _, a, _, _ in managed)}, but the libraries are {sorted(libraries)}")
for g, a, v, s in managed:
    if g != "io.jnet" or v != "${project.version}" or s:
        problems.append(f"jnet-bom: {g}:{a}:{v} scope {s}: expected io.jnet, ${{project.version}}, no scope")

def plugin_versions(root, sections):
    out = {}
    for section in sections:
        for pl in root.iterfind(q(section + "/plugin")):
            if pl.findtext(q("version")):
                out[pl.findtext(q("artifactId"))] = pl.findtext(q("version"))
    return out
parent_versions = plugin_versions(parent, ["build/pluginManagement/plugins"])
bom_versions = plugin_versions(bom, ["build/pluginManagement/plugins", "profiles/profile/build/plugins"])
for artifact, version in bom_versions.items():
    if parent_versions.get(artifact) != version:
        problems.append(f"jnet-bom: {artifact} {version}, jnet-parent pins {parent_versions.get(artifact)}")

for p in problems:
    print("FAIL: " + p, file=sys.stderr)
print(f"checked the POMs of {', '.join(published)} and jnet-bom's contents: {len(problems)} problem(s)")
sys.exit(1 if problems else 0)
PY
    then
        failures=$((failures + 1))
    fi
fi

if [ "$failures" -gt 0 ]; then
    echo "reproducible-build: $failures failure(s)" >&2
    exit 1
fi
echo "reproducible-build: ${#jars[@]} jars byte-identical across two builds; POMs complete ($SECONDS s)"
