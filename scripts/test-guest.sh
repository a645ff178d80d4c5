#!/usr/bin/env bash
# Builds the QEMU test guest: a Debian cloud kernel (vmlinuz) and a busybox initramfs (initrd.img)
# whose /init loads the virtio block and network drivers and then obeys one-line commands on the serial console,
# and the same guest as a disk that SeaBIOS boots without -kernel (disk.raw, and disk.qcow2), and as a
# bootable CD (disk.iso).
# See docs/testing-guest.md. Usage: scripts/test-guest.sh [OUT_DIR]
# OUT_DIR defaults to ${KEEL_CACHE:-$HOME/.cache/keel}/guest so it survives `mvn clean`.
# Idempotent: does nothing when all outputs exist and are newer than this script, or were built
# by this same script.
set -euo pipefail
ROOT=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
SELF="$ROOT/scripts/test-guest.sh"
. "$ROOT/scripts/env.sh"

guest_die() { echo "test-guest: $*" >&2; exit 1; }

OUT=${1:-${KEEL_CACHE:-$HOME/.cache/keel}/guest}

# A fresh checkout makes the script look new; the stamp (the script's checksum) says it is not.
STAMP=$(sha256sum "$SELF" | cut -d' ' -f1)
OUTPUTS="vmlinuz initrd.img disk.raw disk.qcow2 disk.iso"
up_to_date() {
  local f newer=yes
  for f in $OUTPUTS; do
    [ -s "$OUT/$f" ] || return 1
    [ "$OUT/$f" -nt "$SELF" ] || newer=no
  done
  [ $newer = yes ] || [ "$(cat "$OUT/stamp" 2>/dev/null)" = "$STAMP" ]
}
up_to_date && exit 0

# dosfstools, mtools and syslinux build the boot disk on a plain file: no loop device, no mount.
keel_apt_install qemu-system-x86 qemu-utils busybox-static cpio dosfstools mtools syslinux isolinux xorriso
# The guest has no shared libraries, so it needs busybox-static's binary, not busybox's.
BUSYBOX=$(dpkg -L busybox-static 2>/dev/null | grep -m1 '/bin/busybox$' || true)
[ -n "$BUSYBOX" ] && [ -x "$BUSYBOX" ] || guest_die "busybox-static is installed but its binary was not found"

mkdir -p "$OUT"
# Build next to OUT and move into place at the end, so an interrupted run never leaves a
# half-written guest that a later run would mistake for a finished one.
WORK=$(mktemp -d "$OUT/.build.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
# apt's download sandbox user must be able to write where it downloads.
chmod 755 "$WORK"

# The metapackage only depends on the versioned kernel package; that one holds the files.
META=linux-image-cloud-amd64
DEPS=$(apt-cache depends "$META" 2>&1) || {
  apt-get update -q >/dev/null 2>&1 || true
  DEPS=$(apt-cache depends "$META" 2>&1) || guest_die "no $META available from apt: $DEPS"
}
KPKG=$(printf '%s\n' "$DEPS" | sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*-cloud-amd64\)$/\1/p' | head -n1)
[ -n "$KPKG" ] || guest_die "no versioned kernel package found among the dependencies of $META: $DEPS"

(cd "$WORK" && apt-get download -q "$KPKG" >/dev/null 2>"$WORK/apt.err") \
  || guest_die "no $KPKG available from apt: $(cat "$WORK/apt.err")"
DEB=$(ls "$WORK"/"$KPKG"_*.deb 2>/dev/null | head -n1)
[ -n "$DEB" ] || guest_die "apt-get download $KPKG produced no .deb"
dpkg-deb -x "$DEB" "$WORK/kernel"

KVER=${KPKG#linux-image-}
VMLINUZ="$WORK/kernel/boot/vmlinuz-$KVER"
[ -s "$VMLINUZ" ] || guest_die "$KPKG has no /boot/vmlinuz-$KVER"
MODDIR=$(ls -d "$WORK"/kernel/lib/modules/"$KVER" "$WORK"/kernel/usr/lib/modules/"$KVER" 2>/dev/null | head -n1 || true)
[ -n "$MODDIR" ] || guest_die "$KPKG has no module directory for $KVER"

# The initramfs tree.
RD="$WORK/rd"
mkdir -p "$RD"/{bin,sbin,dev,proc,sys,tmp,lib/modules}
cp "$BUSYBOX" "$RD/bin/busybox"
ln -s busybox "$RD/bin/sh"

# Load order matters: each module needs the ones before it (no modprobe/depmod in the guest).
MODULES="virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci virtio_blk failover net_failover virtio_net"
for m in $MODULES; do
  ko=$(find "$MODDIR" -name "$m.ko" -o -name "$m.ko.xz" -o -name "$m.ko.zst" -o -name "$m.ko.gz" | head -n1)
  if [ -z "$ko" ]; then
    # Built into the kernel: nothing to load.
    grep -qw "$m.ko" "$MODDIR/modules.builtin" 2>/dev/null && continue
    guest_die "module $m not found in $KPKG"
  fi
  # busybox insmod only loads plain .ko files.
  case "$ko" in
    *.xz) xz -dc "$ko" >"$RD/lib/modules/$m.ko" ;;
    *.zst) zstd -qdc "$ko" >"$RD/lib/modules/$m.ko" ;;
    *.gz) gzip -dc "$ko" >"$RD/lib/modules/$m.ko" ;;
    *) cp "$ko" "$RD/lib/modules/$m.ko" ;;
  esac
  echo "$m" >>"$RD/lib/modules/order"
done

cat >"$RD/init" <<'INIT'
#!/bin/sh
# Keel test guest init. Protocol on the serial console (ttyS0), one command per line:
#   blk [DEV]                   -> BLK SIZE <bytes>
#   write OFFSET COUNT SEED [DEV] -> WRITE SHA256 <hex> (pattern: "keel-pattern-SEED\n" repeated)
#   read OFFSET COUNT [DEV]     -> READ SHA256 <hex>   (guest page cache dropped first)
#   sync | run CMD... | echo TEXT | poweroff
# Every command ends with a line KEEL-OK or KEEL-ERR <reason>. DEV defaults to vda; a guest booted
# from disk.raw has its boot disk as vda, so its data disks are vdb onwards and must be named.
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
exec </dev/ttyS0 >/dev/ttyS0 2>&1
# Command words are split unquoted below; never let them glob against the root file system.
set -f
# No echo so the console carries only what the guest prints; commands are sent blind.
stty -echo 2>/dev/null
echo 1 >/proc/sys/kernel/printk 2>/dev/null
set -o pipefail

for m in $(cat /lib/modules/order); do
  if ! out=$(insmod /lib/modules/$m.ko 2>&1); then
    echo "KEEL-GUEST-FAIL insmod $m: $out"
  fi
done
echo "KEEL-GUEST-READY $(uname -r)"

dev_of() { echo "/dev/${1:-vda}"; }

# Device nodes appear asynchronously after the driver probes; wait briefly for them.
need_dev() {
  i=0
  while [ ! -b "$1" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
  [ -b "$1" ] || { echo "KEEL-ERR no block device $1"; return 1; }
}

# Largest block size that divides both offset and count, so dd does few large requests.
bs_for() {
  for b in 1048576 65536 4096 512 1; do
    if [ $(($1 % b)) -eq 0 ] && [ $(($2 % b)) -eq 0 ]; then echo $b; return; fi
  done
}

is_num() { case "$1" in ''|*[!0-9]*) return 1 ;; *) return 0 ;; esac; }

# yes dies of SIGPIPE when head has enough; that is success, not a pipefail failure.
pattern() { (yes "keel-pattern-$1" || :) | head -c "$2"; }

while true; do
  if ! IFS= read -r line; then sleep 1; continue; fi
  line=$(echo "$line" | tr -d '\r')
  set -- $line
  cmd=${1:-}
  [ $# -gt 0 ] && shift
  case "$cmd" in
    '') ;;
    blk)
      d=$(dev_of "${1:-}"); need_dev "$d" || continue
      if s=$(blockdev --getsize64 "$d" 2>&1); then echo "BLK SIZE $s"; echo KEEL-OK
      else echo "KEEL-ERR blockdev $d: $s"; fi ;;
    write)
      if [ $# -lt 3 ] || ! is_num "$1" || ! is_num "$2"; then echo "KEEL-ERR usage: write OFFSET COUNT SEED [DEV]"; continue; fi
      d=$(dev_of "${4:-}"); need_dev "$d" || continue
      b=$(bs_for "$1" "$2")
      if err=$(pattern "$3" "$2" | dd of="$d" bs=$b seek=$(($1 / b)) iflag=fullblock conv=notrunc,fsync 2>&1); then
        echo "WRITE SHA256 $(pattern "$3" "$2" | sha256sum | cut -d' ' -f1)"; echo KEEL-OK
      else echo "KEEL-ERR dd write: $(echo $err)"; fi ;;
    read)
      if [ $# -lt 2 ] || ! is_num "$1" || ! is_num "$2"; then echo "KEEL-ERR usage: read OFFSET COUNT [DEV]"; continue; fi
      d=$(dev_of "${3:-}"); need_dev "$d" || continue
      b=$(bs_for "$1" "$2")
      # Drop the page cache so the bytes come from the device, not from our own earlier write.
      sync; echo 3 >/proc/sys/vm/drop_caches
      if sum=$(dd if="$d" bs=$b skip=$(($1 / b)) count=$(($2 / b)) 2>/dev/null | sha256sum); then
        echo "READ SHA256 ${sum%% *}"; echo KEEL-OK
      else echo "KEEL-ERR dd read failed"; fi ;;
    sync) sync; echo KEEL-OK ;;
    echo) echo "ECHO $*"; echo KEEL-OK ;;
    run)
      sh -c "$*" 2>&1; rc=$?
      if [ $rc -eq 0 ]; then echo KEEL-OK; else echo "KEEL-ERR exit $rc"; fi ;;
    poweroff) sync; echo KEEL-OK; poweroff -f ;;
    *) echo "KEEL-ERR unknown command: $cmd" ;;
  esac
done
INIT
chmod 755 "$RD/init"

(cd "$RD" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0 | gzip -9) >"$WORK/initrd.img"
cp "$VMLINUZ" "$WORK/vmlinuz"
echo "$KVER" >"$WORK/kernel-version"

# The boot disk: one FAT filesystem over the whole disk, no partition table (a "superfloppy"),
# which SeaBIOS boots, with SYSLINUX loading the same kernel and initramfs. The kernel arguments
# must stay those TestGuest passes with -append, so both boots behave alike (GuestDiskBootIT checks).
DISK="$WORK/disk.raw"
truncate -s 48M "$DISK"
mkfs.vfat -n KEELGUEST "$DISK" >/dev/null
cat >"$WORK/syslinux.cfg" <<'CFG'
SERIAL 0 115200
PROMPT 0
TIMEOUT 0
DEFAULT keel
LABEL keel
  KERNEL vmlinuz
  INITRD initrd.img
  APPEND console=ttyS0 panic=-1 quiet
CFG
# mtools otherwise refuses a filesystem whose geometry does not look like a real floppy or disk.
export MTOOLS_SKIP_CHECK=1
mcopy -i "$DISK" "$WORK/vmlinuz" "$WORK/initrd.img" "$WORK/syslinux.cfg" ::/ \
  || guest_die "the kernel and initramfs do not fit in disk.raw: enlarge it in $SELF"
syslinux --install "$DISK" || guest_die "syslinux could not make disk.raw bootable"
qemu-img convert -O qcow2 "$DISK" "$WORK/disk.qcow2"

# The same guest as an El Torito CD (ISOLINUX, same kernel arguments): what a VM boots from its
# CD-ROM drive, as an installer ISO would be.
ISO="$WORK/iso"
mkdir -p "$ISO/isolinux"
cp /usr/lib/ISOLINUX/isolinux.bin /usr/lib/syslinux/modules/bios/ldlinux.c32 "$ISO/isolinux/" \
  || guest_die "isolinux.bin or ldlinux.c32 not found (packages isolinux, syslinux-common)"
cp "$WORK/vmlinuz" "$WORK/initrd.img" "$ISO/"
sed -e 's|KERNEL vmlinuz|KERNEL /vmlinuz|' -e 's|INITRD initrd.img|INITRD /initrd.img|' "$WORK/syslinux.cfg" \
  >"$ISO/isolinux/isolinux.cfg"
xorriso -as mkisofs -quiet -o "$WORK/disk.iso" -V KEELGUEST -b isolinux/isolinux.bin -c isolinux/boot.cat \
  -no-emul-boot -boot-load-size 4 -boot-info-table "$ISO" || guest_die "xorriso could not make disk.iso"

mv -f "$WORK/kernel-version" "$OUT/kernel-version"
mv -f "$WORK/vmlinuz" "$OUT/vmlinuz"
mv -f "$WORK/initrd.img" "$OUT/initrd.img"
mv -f "$WORK/disk.raw" "$OUT/disk.raw"
mv -f "$WORK/disk.qcow2" "$OUT/disk.qcow2"
mv -f "$WORK/disk.iso" "$OUT/disk.iso"
echo "$STAMP" >"$OUT/stamp"
echo "test-guest: built $OUT (kernel $KVER)" >&2
