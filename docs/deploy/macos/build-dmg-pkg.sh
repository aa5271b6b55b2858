#!/bin/sh
# Champions for macOS: a signed, notarised .dmg for people, and .pkg files for managed deployment.
#
# *** UNTESTED HERE: written on Linux, where codesign, hdiutil, pkgbuild and notarytool do not
# *** exist. Run it on a Mac with Xcode's command-line tools and a Developer ID, and check the
# *** result with `spctl -a -vv` and a test install before rolling it out.
#
# Usage, from the repository's top folder:
#   python3 scripts/build.py                  # -> dist/Champions.app (PyInstaller BUNDLE)
#   APP_ID="Developer ID Application: Your Org (TEAMID)" \
#   INSTALLER_ID="Developer ID Installer: Your Org (TEAMID)" \
#   NOTARY_PROFILE=champions-notary \
#   sh docs/deploy/macos/build-dmg-pkg.sh [path/to/champions.toml]
#
# NOTARY_PROFILE is a keychain profile made once with
#   xcrun notarytool store-credentials champions-notary --apple-id you@example.org --team-id TEAMID
set -eu

VERSION=$(python3 -c 'import champions; print(champions.__version__)')
APP=dist/Champions.app
OUT=dist
: "${APP_ID:?set APP_ID to your Developer ID Application identity}"
: "${INSTALLER_ID:?set INSTALLER_ID to your Developer ID Installer identity}"
: "${NOTARY_PROFILE:?set NOTARY_PROFILE to a notarytool keychain profile}"
ENTITLEMENTS=$(dirname "$0")/entitlements.plist

# 1. Sign inside out: every library and executable, then the bundle, with the hardened runtime
#    (notarisation requires it) and a secure timestamp.
find "$APP/Contents" -type f \( -name '*.dylib' -o -name '*.so' -o -perm -u+x \) -print0 |
  xargs -0 codesign --force --timestamp --options runtime --entitlements "$ENTITLEMENTS" --sign "$APP_ID"
codesign --force --timestamp --options runtime --entitlements "$ENTITLEMENTS" --sign "$APP_ID" "$APP"
codesign --verify --deep --strict --verbose=2 "$APP"

# 2. The .dmg people open and drag to Applications.
STAGE=$(mktemp -d)
cp -R "$APP" "$STAGE/"
ln -s /Applications "$STAGE/Applications"
hdiutil create -volname "Champions $VERSION" -srcfolder "$STAGE" -ov -format UDZO "$OUT/Champions-$VERSION.dmg"
rm -rf "$STAGE"
codesign --timestamp --sign "$APP_ID" "$OUT/Champions-$VERSION.dmg"

# 3. The .pkg for Jamf, Intune, Munki or `sudo installer -pkg ... -target /`.
pkgbuild --component "$APP" --install-location /Applications --identifier org.champions.desktop \
  --version "$VERSION" --sign "$INSTALLER_ID" "$OUT/Champions-$VERSION.pkg"

# 4. Optional: the organisation's managed settings as their own small .pkg, so they can be changed
#    without reinstalling the app. Installs /Library/Application Support/Champions/champions.toml,
#    owned by root and readable by everyone (users cannot change it).
if [ "${1:-}" != "" ]; then
  ROOT=$(mktemp -d)
  mkdir -p "$ROOT/Library/Application Support/Champions"
  install -m 0644 "$1" "$ROOT/Library/Application Support/Champions/champions.toml"
  pkgbuild --root "$ROOT" --install-location / --identifier org.champions.settings --version "$VERSION" \
    --ownership recommended --sign "$INSTALLER_ID" "$OUT/Champions-settings-$VERSION.pkg"
  rm -rf "$ROOT"
fi

# 5. Notarise and staple (Gatekeeper then opens them without a network check).
for f in "$OUT/Champions-$VERSION.dmg" "$OUT/Champions-$VERSION.pkg" "$OUT"/Champions-settings-*.pkg; do
  [ -f "$f" ] || continue
  xcrun notarytool submit "$f" --keychain-profile "$NOTARY_PROFILE" --wait
  xcrun stapler staple "$f"
done
spctl -a -vv "$APP"
echo "Done: $(ls "$OUT"/Champions-*"$VERSION"*)"
