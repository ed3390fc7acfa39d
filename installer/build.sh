#!/usr/bin/env bash
# Builds the Seqwatch Linux app-image and .deb with jpackage (JDK 17).
#
#   installer/build.sh            # app-image + .deb into target/installer/
#   installer/build.sh app-image  # only the app-image
#   MVN_ARGS=-o installer/build.sh  # offline Maven
#   INSTALLER_OUT=/tmp/x installer/build.sh  # another output folder
#
# JavaFX goes on the module path and is linked into the bundled runtime (its Linux jars from Maven
# Central; their native libraries unpack into ~/.openjfx/cache on first start); everything else,
# DL4J with its linux-x86_64 natives only (.mvn/maven.config), stays on the class path.
# Needs: JDK 17 with jpackage, Maven; for the .deb also fakeroot and dpkg-dev (apt-get install fakeroot dpkg-dev).
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
WHAT=${1:-all}
OUT=${INSTALLER_OUT:-$ROOT/target/installer}
STAGE=$OUT/stage
NAME=Seqwatch
# jpackage wants a numeric version: 0.1.0-SNAPSHOT -> 0.1.0
POM_VERSION=$(sed -n 's:^  <version>\(.*\)</version>:\1:p' pom.xml | head -1)
APP_VERSION=${POM_VERSION%%-*}

die() { echo "installer: $*" >&2; exit 1; }

command -v jpackage >/dev/null || die "jpackage not found: install a JDK 17 (Debian: openjdk-17-jdk)"
JV=$(java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1)
[ "${JV:-0}" -ge 17 ] || die "JDK 17 or newer needed, found ${JV:-none}"
if [ "$WHAT" != app-image ]; then
  command -v fakeroot >/dev/null || die "fakeroot not found (apt-get install fakeroot dpkg-dev)"
  command -v dpkg-deb >/dev/null || die "dpkg-deb not found (apt-get install dpkg-dev)"
fi
[ "$(uname -m)" = x86_64 ] || die "the bundled DL4J natives are linux-x86_64 only; build on x86_64"

echo "== building target/seqwatch.jar"
mvn -B -q ${MVN_ARGS:-} package -DskipTests

echo "== staging"
rm -rf "$OUT"
mkdir -p "$STAGE/input/lib" "$STAGE/fx"
cp target/seqwatch.jar "$STAGE/input/"
for j in target/lib/*.jar; do
  case "$(basename "$j")" in
    javafx-*-linux.jar) cp "$j" "$STAGE/fx/" ;;   # modules, linked into the runtime
    javafx-*.jar) ;;                               # platform-less placeholder jars: not needed
    *) cp "$j" "$STAGE/input/lib/" ;;
  esac
done
# the sample session ("Open sample" on the start page) is found next to the jar (SampleSession.locate)
mkdir -p "$STAGE/input/sample-sessions"
cp -r sample-sessions/demo "$STAGE/input/sample-sessions/"
ls "$STAGE/fx"/javafx-graphics-*-linux.jar >/dev/null 2>&1 || die "no JavaFX Linux jars in target/lib"

# JDK modules: the Java SE set (AWT for charts, SQL for H2, management for ND4J, ...) plus
# jdk.unsupported (JavaCPP, Unsafe), jdk.zipfs, crypto and locale data.
JDK_MODULES=java.se,jdk.unsupported,jdk.zipfs,jdk.crypto.ec,jdk.localedata,jdk.management
FX_MODULES=javafx.controls,javafx.fxml,javafx.swing
# ControlsFX (class path) reaches into JavaFX internals (its docs list these exports)
JAVA_OPTIONS=(
  "-XX:MaxRAMPercentage=50"
  "--add-exports=javafx.base/com.sun.javafx.event=ALL-UNNAMED"
  "--add-exports=javafx.graphics/com.sun.javafx.scene=ALL-UNNAMED"
  "--add-exports=javafx.graphics/com.sun.javafx.scene.traversal=ALL-UNNAMED"
  "--add-exports=javafx.controls/com.sun.javafx.scene.control=ALL-UNNAMED"
  "--add-exports=javafx.controls/com.sun.javafx.scene.control.behavior=ALL-UNNAMED"
  "--add-opens=javafx.controls/javafx.scene.control.skin=ALL-UNNAMED"
)
JOPTS=()
for o in "${JAVA_OPTIONS[@]}"; do JOPTS+=(--java-options "$o"); done

echo "== jpackage app-image"
jpackage --type app-image --name "$NAME" --app-version "$APP_VERSION" \
  --vendor "Seqwatch" --description "Investigation workbench for anomalous user-behaviour sequences" \
  --input "$STAGE/input" --main-jar seqwatch.jar --main-class dev.seqwatch.Main \
  --module-path "$STAGE/fx" --add-modules "$JDK_MODULES,$FX_MODULES" \
  --icon installer/seqwatch.png "${JOPTS[@]}" \
  --dest "$OUT"
echo "app-image: $OUT/$NAME ($(du -sh "$OUT/$NAME" | cut -f1))"

if [ "$WHAT" != app-image ]; then
  echo "== jpackage deb"
  # JavaFX's natives are inside its jars, so jpackage cannot see what they link to: name the
  # GTK 3 / OpenGL / X11 / font packages here (Debian 12 and Ubuntu 22.04+ names).
  # installer/deb/: our postinst/prerm (jpackage's fail on systems without XDG menu folders).
  jpackage --type deb --app-image "$OUT/$NAME" --name "$NAME" --app-version "$APP_VERSION" \
    --vendor "Seqwatch" --description "Investigation workbench for anomalous user-behaviour sequences" \
    --linux-package-name seqwatch --linux-deb-maintainer "seqwatch@localhost" \
    --linux-menu-group "Office;Development" --linux-app-category utils --linux-shortcut \
    --linux-package-deps "libgtk-3-0, libgl1, libglib2.0-0, libx11-6, libxtst6, libxxf86vm1, libfreetype6, fontconfig, libasound2" \
    --icon installer/seqwatch.png --resource-dir installer/deb \
    --dest "$OUT"
  ls -l "$OUT"/*.deb
fi
echo "== done: $OUT"
