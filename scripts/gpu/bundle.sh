#!/usr/bin/env bash
# Packs what a GPU machine without Java, Maven or network needs to run jgrad's CUDA tests into
# .bundle/jgrad-gpu.tar.gz: a jlink'ed Java runtime, every module and dependency jar, the test classes of
# engine-cuda and engine-cpu, the JUnit console launcher and the cuBLAS shim sources (built there with gcc).
# On the GPU machine, from the repository root: scripts/gpu/run-on-gpu.sh
# BUNDLE_MODULES=engine-api,engine-cuda overrides the modules to build (default: every module with sources).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
BUILD=target-bundle
JDK="${JLINK_JDK:-/usr/lib/jvm/temurin-25-jdk-amd64}"
JUNIT=junit-platform-console-standalone-1.11.4.jar
STAGE=.bundle/jgrad-gpu
TARBALL=.bundle/jgrad-gpu.tar.gz
MAX_MB=60

modules=""
for m in engine-api engine-cpu engine-cuda conformance examples benchmarks; do
    [ -f "$m/pom.xml" ] && [ -d "$m/src/main" ] && modules="${modules:+$modules,}$m"
done
modules="${BUNDLE_MODULES:-$modules}"
echo "bundle: building $modules"
mvn -q -o -Djgrad.build=$BUILD -DskipTests -pl "$modules" -am package \
    dependency:copy-dependencies -DincludeScope=test -DexcludeGroupIds=io.jgrad

rm -rf "$STAGE"
mkdir -p "$STAGE/lib" "$STAGE/tests" "$STAGE/junit" "$STAGE/cublas-shim"
for m in ${modules//,/ }; do
    cp "$m/$BUILD/$m"-[0-9]*.jar "$STAGE/lib/"  # the plain module jar, not benchmarks' shaded one
    [ -d "$m/$BUILD/dependency" ] && cp -n "$m/$BUILD/dependency/"*.jar "$STAGE/lib/"
done
for m in engine-cuda engine-cpu; do
    classes="$m/$BUILD/test-classes"
    [ -d "$classes" ] && "$JDK/bin/jar" cf "$STAGE/tests/$m-tests.jar" -C "$classes" .
done

junit_jar="$(find "$HOME/.m2/repository/org/junit/platform/junit-platform-console-standalone" -name "$JUNIT" 2>/dev/null | head -n 1)"
if [ -z "$junit_jar" ]; then
    mvn -q dependency:copy -Dartifact=org.junit.platform:junit-platform-console-standalone:1.11.4 -DoutputDirectory="$STAGE/junit"
else
    cp "$junit_jar" "$STAGE/junit/"
fi

# Uncompressed modules plus gzip make a smaller tarball than jlink's own zip compression (31 vs 40 MB);
# java.desktop is there for the examples' PNG charts, jdk.zipfs for JUnit's scan of test jars.
"$JDK/bin/jlink" --add-modules java.base,java.logging,java.xml,java.naming,java.management,jdk.unsupported,jdk.incubator.vector,java.desktop,jdk.zipfs \
    --strip-debug --no-header-files --no-man-pages --compress=zip-0 --output "$STAGE/jre" 2>&1 | grep -v 'incubator modules' || true
find "$STAGE/jre" -name '*.so' -exec strip --strip-unneeded {} + 2>/dev/null || true
echo "bundle: Java runtime $(du -sh "$STAGE/jre" | cut -f1)"

cp engine-cuda/scripts/cublas-shim/{shim.c,build.sh,symbols.txt,update-symbols.sh} "$STAGE/cublas-shim/"
cp scripts/gpu/run-on-gpu.sh "$STAGE/"

tar -C .bundle -cf - jgrad-gpu | gzip -9 > "$TARBALL"
size_mb=$(( $(stat -c %s "$TARBALL") / 1048576 ))
echo "bundle: $TARBALL ${size_mb} MB ($(ls "$STAGE/lib" | wc -l) jars)"
[ "$size_mb" -lt "$MAX_MB" ] || { echo "bundle: larger than $MAX_MB MB" >&2; exit 1; }
