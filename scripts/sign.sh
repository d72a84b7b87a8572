#!/usr/bin/env bash
# Authenticode-signs Windows executables in place with osslsigncode (Debian package osslsigncode).
#   scripts/sign.sh FILE...        sign (and verify) each file
#   scripts/sign.sh --configured   exit 0 when a certificate is configured, 1 otherwise
# Configure the certificate with either
#   SIGN_PKCS12=path/to/cert.pfx  [SIGN_PASSWORD_FILE=file holding the .pfx password]
# or
#   SIGN_CERT=cert.pem (or .spc)  SIGN_KEY=key.pem  [SIGN_PASSWORD_FILE=file holding the key password]
# and optionally SIGN_TIMESTAMP_URL (an RFC 3161 time-stamping server, e.g. your CA's) so the
# signature outlives the certificate. The password is read from a file, never from the command
# line (where other users could see it in the process list).
set -euo pipefail
configured() { [ -n "${SIGN_PKCS12:-}" ] || { [ -n "${SIGN_CERT:-}" ] && [ -n "${SIGN_KEY:-}" ]; }; }
if [ "${1:-}" = --configured ]; then
  configured
  exit $?
fi
if ! configured; then
  echo "sign: no certificate configured: set SIGN_PKCS12 (or SIGN_CERT and SIGN_KEY); see scripts/sign.sh" >&2
  exit 2
fi
[ "$#" -gt 0 ] || { echo "usage: scripts/sign.sh FILE..." >&2; exit 2; }
args=()
if [ -n "${SIGN_PKCS12:-}" ]; then args+=(-pkcs12 "$SIGN_PKCS12"); else args+=(-certs "$SIGN_CERT" -key "$SIGN_KEY"); fi
if [ -n "${SIGN_PASSWORD_FILE:-}" ]; then args+=(-readpass "$SIGN_PASSWORD_FILE"); fi
if [ -n "${SIGN_TIMESTAMP_URL:-}" ]; then args+=(-ts "$SIGN_TIMESTAMP_URL"); fi
for f in "$@"; do
  tmp="$f.signing"
  rm -f "$tmp"
  osslsigncode sign "${args[@]}" -h sha256 -n "AuditLight" -i "https://github.com/auditlight/auditlight" \
    -in "$f" -out "$tmp" >/dev/null
  mv "$tmp" "$f"
  echo "sign: signed $f"
done
