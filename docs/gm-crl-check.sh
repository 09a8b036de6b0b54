#!/bin/sh
# Checks a certificate against the alliance's GM CRL with stock OpenSSL 3.0 (docs/protocol.md §8),
# which cannot verify a GM CRL itself (`openssl crl -CAfile` applies no SM2 signer id): the CRL's
# SM3withSM2 signature is verified over its TBSCertList with the signer id 1234567812345678, then
# its issuer, its nextUpdate and whether it lists the certificate are read.
#
#   curl -fsS -o gm.crl http://<the CA operator's node>:8081/crl/gm.crl   # or the URL the certificate names
#   sh gm-crl-check.sh gm.crl gm-ca.pem partner.gm.pem
#
# Exit 0: the certificate is not revoked by a current CRL of the CA; 1: it is revoked;
# 2: the CRL cannot be relied on (its signature, its issuer, past its nextUpdate) or cannot be read.
set -u
crl=$1 ca=$2 cert=$3
work=$(mktemp -d) || exit 2
trap 'rm -rf "$work"' EXIT
fail() { echo "$1" >&2; exit 2; }

# the CRL is SEQUENCE { tbsCertList, signatureAlgorithm, signatureValue }: the first and last elements at depth 1
offsets=$(openssl asn1parse -inform DER -in "$crl" | awk -F: '/:d=1 / { print $1 + 0 }') || fail "$crl is not a DER CRL"
tbs=$(echo "$offsets" | head -n 1)
sig=$(echo "$offsets" | tail -n 1)
openssl asn1parse -inform DER -in "$crl" -strparse "$tbs" -noout -out "$work/tbs.der" >/dev/null || fail "no TBSCertList in $crl"
openssl asn1parse -inform DER -in "$crl" -strparse "$sig" -noout -out "$work/sig.der" >/dev/null || fail "no signature in $crl"
openssl x509 -in "$ca" -noout -pubkey > "$work/ca.pub.pem" || fail "$ca is not a certificate"
openssl pkeyutl -verify -pubin -inkey "$work/ca.pub.pem" -rawin -digest sm3 -pkeyopt distid:1234567812345678 \
    -in "$work/tbs.der" -sigfile "$work/sig.der" >/dev/null || fail "the CRL's signature does not verify under $ca"

issuer=$(openssl crl -inform DER -in "$crl" -noout -issuer | cut -d= -f2-)
subject=$(openssl x509 -in "$ca" -noout -subject | cut -d= -f2-)
[ "$issuer" = "$subject" ] || fail "the CRL's issuer ($issuer) is not the CA ($subject)"
next=$(openssl crl -inform DER -in "$crl" -noout -nextupdate | cut -d= -f2-)
[ "$(date -u -d "$next" +%s)" -gt "$(date -u +%s)" ] || fail "the CRL was due for renewal at $next: fetch a newer one"

serial=$(openssl x509 -in "$cert" -noout -serial | cut -d= -f2)
number=$(openssl crl -inform DER -in "$crl" -noout -crlnumber | cut -d= -f2)
if openssl crl -inform DER -in "$crl" -noout -text | grep -q "Serial Number: $serial\$"; then
    echo "REVOKED $serial (CRL $number, next update $next)"
    exit 1
fi
echo "not revoked $serial (CRL $number, next update $next)"
