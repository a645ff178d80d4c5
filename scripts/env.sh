# Shared by ./keel and the scripts: finds a JDK 25 and Maven, installs what Debian can provide.
# Sourced, not run. Every failure says what is missing and how to get it.

keel_die() { echo "keel: $*" >&2; exit 1; }

keel_find_jdk() {
  if [ -n "${KEEL_JAVA_HOME:-}" ] && [ -x "$KEEL_JAVA_HOME/bin/javac" ]; then echo "$KEEL_JAVA_HOME"; return; fi
  local c v
  for c in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk* /usr/lib/jvm/java-25-* /usr/lib/jvm/jdk-25* /usr/lib/jvm/*25* /opt/java/*25* /opt/jdk-25*; do
    [ -n "$c" ] && [ -x "$c/bin/javac" ] || continue
    v=$("$c/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
    [ "$v" = "25" ] && { echo "$c"; return; }
  done
  return 1
}

keel_need_root_for() {
  if [ "$(id -u)" -ne 0 ]; then
    keel_die "$1 is missing and installing it needs root: run 'sudo apt-get install -y $2' and try again"
  fi
}

keel_apt_install() { # package...
  local missing=()
  local p
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  command -v apt-get >/dev/null || keel_die "missing Debian packages ${missing[*]} and no apt-get on this machine"
  keel_need_root_for "${missing[*]}" "${missing[*]}"
  echo "keel: installing ${missing[*]} ..." >&2
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null 2>&1; then
    apt-get update -q >/dev/null 2>&1 || true
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null \
      || keel_die "could not install ${missing[*]} with apt-get"
  fi
}

keel_setup_env() {
  local jdk
  jdk=$(keel_find_jdk) || keel_die "no JDK 25 found (looked in \$KEEL_JAVA_HOME, \$JAVA_HOME and /usr/lib/jvm).
  Keel builds and runs on Java 25: install a JDK 25 (for example Temurin 25) under /usr/lib/jvm,
  or point KEEL_JAVA_HOME at one."
  export JAVA_HOME="$jdk"
  export PATH="$JAVA_HOME/bin:$PATH"
  command -v mvn >/dev/null || keel_apt_install maven
  command -v mvn >/dev/null || keel_die "Maven (mvn) is missing: install Debian's 'maven' package"
  keel_setup_node
  # Maven 3.8's own Guice/Guava call sun.misc.Unsafe; allow it quietly on JDK 25.
  export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow -XX:+UseSerialGC"
}

# The admin panel (keel-ui) is built by npm during the Maven build; Vite needs Node.js 20.19 or newer.
keel_setup_node() {
  command -v node >/dev/null && command -v npm >/dev/null || keel_apt_install nodejs npm
  command -v node >/dev/null && command -v npm >/dev/null \
    || keel_die "Node.js and npm are missing: install Debian's 'nodejs' and 'npm' packages (Node.js 20 or newer)"
  local version
  version=$(node -p 'process.versions.node.split(".").slice(0, 2).map(n => n.padStart(3, "0")).join("")' 2>/dev/null)
  [ "${version:-0}" -ge 020019 ] 2>/dev/null || keel_die "Node.js $(node --version 2>/dev/null) is too old to build the admin panel:
  Keel needs Node.js 20.19 or newer (Debian 13 ships it), or build without the panel: mvn ... -Dkeel.ui.skip=true"
}
