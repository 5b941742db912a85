#!/usr/bin/env bash
# Checks that jgrad works as a library: installs jgrad into a scratch Maven repository, copies this example
# project to a scratch folder, builds it against the installed artifacts through the BOM, and runs it on each JDK
# given (default: the java on PATH), printing everything the JVM prints.
#
#   docs/consumer-example/run.sh [JDK_HOME...]
#   JGRAD_M2=/tmp/m2-x CONSUMER_DIR=/tmp/consumer docs/consumer-example/run.sh /usr/lib/jvm/java-17-openjdk-amd64
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
repo="${JGRAD_M2:-/tmp/m2-jgrad-consumer}"
work="${CONSUMER_DIR:-/tmp/jgrad-consumer}"

echo "== installing jgrad into $repo"
(cd "$root" && mvn -q -B -ntp -Dstyle.color=never -DskipTests -Dmaven.repo.local="$repo" install)

rm -rf "$work" && mkdir -p "$work" && cp -r "$here/pom.xml" "$here/src" "$work/"
homes=("$@")
[ ${#homes[@]} -eq 0 ] && homes=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
for home in "${homes[@]}"; do
    version="$("$home/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')"
    echo "== JDK $version ($home): mvn package"
    # Maven 3.9's own Guava calls sun.misc.Unsafe, which JDK 24+ warns about; that is Maven's, not this project's.
    mopts="${MAVEN_OPTS:-}"
    [ "${version%%.*}" -ge 24 ] && mopts="$mopts --sun-misc-unsafe-memory-access=allow"
    (cd "$work" && JAVA_HOME="$home" MAVEN_OPTS="$mopts" mvn -q -B -ntp -Dstyle.color=never -Dmaven.repo.local="$repo" package dependency:build-classpath \
        -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime)
    flags=(--enable-native-access=ALL-UNNAMED)   # JDK 17+ accepts it; JDK 22+ warns about JCuda without it
    echo "== JDK $version: java ${flags[*]} -cp ... example.Hello"
    "$home/bin/java" "${flags[@]}" -cp "$work/target/classes:$(cat "$work/target/classpath.txt")" example.Hello
    echo "== JDK $version: java ${flags[*]} --add-modules jdk.incubator.vector -cp ... example.Hello"
    "$home/bin/java" "${flags[@]}" --add-modules jdk.incubator.vector -cp "$work/target/classes:$(cat "$work/target/classpath.txt")" example.Hello
done
