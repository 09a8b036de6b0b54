#!/usr/bin/env bash
# A partner node of the INTL suite built from docs/protocol.md alone, with stock OpenSSL 3.0, curl,
# and a few lines of python3 (standard library) where OpenSSL has no command: adding the exchange
# attributes to a SignedData (§2), reading signed attributes and receipts, writing a receipt (§4).
# It queries the node (§10), pulls what the node holds for it and acknowledges it (§11); each
# request is sealed as §1-§3 say, each answer opened and verified, each receipt checked against the
# exact bytes sent. One line per step; the first failure ends it, exit 1, with the reason.
# CI runs it against a node (gateway/src/test/java/credit/exchange/gateway/federation/PartnerRecipeIT.java).
set -euo pipefail

usage() {
  cat >&2 <<'EOF'
usage: query-and-pull.sh [NAME=value ...]    (or the same names in the environment)
  NODE_URL        the node's exchange listener, https://<IP address>:<port>/exchange
  NODE_ID         the node's id, as its certificates name it (CN and DNS name)
  NODE_CERT       the node's INTL certificate (PEM): requests are encrypted to it
  SELF_ID         this partner's node id, as the node's partner file names it
  SELF_KEY        this partner's INTL private key (PEM)
  SELF_CERT       this partner's INTL certificate (PEM)
  CA_CERT         the alliance INTL root CA certificate (PEM)
  SELF_KEY_PASS   optional: openssl -passin source of an encrypted key (env:NAME or file:PATH)
  CRL             optional: the alliance CRL (PEM); signers and the node's TLS certificate are checked against it
  USCC            optional: the subject to query (default 91330100716105852F)
  OUT             optional: a directory to keep every message in (default: a temporary one, removed)
EOF
  exit 2
}

for arg in "$@"; do
  case "$arg" in
    [A-Z]*=*) export "${arg?}" ;;
    *) usage ;;
  esac
done
for name in NODE_URL NODE_ID NODE_CERT SELF_ID SELF_KEY SELF_CERT CA_CERT; do
  [ -n "${!name:-}" ] || { echo "missing $name" >&2; usage; }
done
case "$NODE_URL" in https://*:*/*) ;; *) echo "NODE_URL is not https://<address>:<port>/<path>" >&2; usage ;; esac
USCC=${USCC:-91330100716105852F}
ARC=2.25.121204040241858460375247650636373434115   # the alliance's OID arc (§2)

ok() { printf 'ok   %-19s %s\n' "$1" "$2"; }
fail() { printf 'FAIL %-19s %s\n' "$1" "$2" >&2; exit 1; }

# The DER work OpenSSL has no command for. No ASN.1 library: a DER tree is [[tag, bytes or children]].
der() {
  python3 - "$@" <<'PY'
import datetime, hashlib, json, sys

def tlv(tag, body):
    n = len(body)
    size = bytes([n]) if n < 0x80 else bytes([0x80 | (n.bit_length() + 7) // 8]) + n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([tag]) + size + body

def parse(b):
    out, i = [], 0
    while i < len(b):
        tag, n = b[i], b[i + 1]
        i += 2
        if n & 0x80:
            k = n & 0x7F
            n, i = int.from_bytes(b[i:i + k], "big"), i + k
        out.append([tag, parse(b[i:i + n]) if tag & 0x20 else b[i:i + n]])
        i += n
    return out

def encode(nodes):
    return b"".join(tlv(tag, encode(v) if isinstance(v, list) else v) for tag, v in nodes)

def oid(dotted):
    arcs, body = [int(x) for x in dotted.split(".")], b""
    for n in [40 * arcs[0] + arcs[1]] + arcs[2:]:
        chunk = bytes([n & 0x7F])
        while n > 0x7F:
            n >>= 7
            chunk = bytes([0x80 | n & 0x7F]) + chunk
        body += chunk
    return tlv(0x06, body)

def utf8(s):
    return tlv(0x0C, s.encode())

def signer_info(cms):  # ContentInfo -> content [0] -> SignedData -> signerInfos (its last field) -> the one SignerInfo
    return cms[0][1][1][1][0][1][-1][1][0][1]

def signed_attrs(cms):  # the SignerInfo field tagged [0]
    return next(f for f in signer_info(cms) if f[0] == 0xA0)

def read(path):
    with open(path, "rb") as f:
        return f.read()

ARC = "2.25.121204040241858460375247650636373434115"
cmd, args, out = sys.argv[1], sys.argv[2:], sys.stdout.buffer
if cmd == "attrs":  # attrs SIGNED ID SENDER RECIPIENT TYPE [CORRELATION]: OpenSSL's attributes and ours, as one DER SET OF
    kept = [encode([a]) for a in signed_attrs(parse(read(args[0])))[1]]
    ours = [tlv(0x30, oid(f"{ARC}.{n}") + tlv(0x31, utf8(v))) for n, v in enumerate(args[1:], 1)]
    out.write(tlv(0x31, b"".join(sorted(kept + ours))))  # DER: a SET OF's elements in the order of their encodings
elif cmd == "splice":  # splice SIGNED ATTRS SIGNATURE: the attributes as [0] IMPLICIT (0x31 -> 0xA0), the new signature
    cms = parse(read(args[0]))
    fields = signer_info(cms)
    signed_attrs(cms)[1] = parse(read(args[1]))[0][1]
    fields[-1] = [0x04, read(args[2])]
    out.write(encode(cms))
elif cmd == "attr":  # attr SIGNED N: the UTF8String value of the signed attribute <arc>.N, or nothing
    want = oid(f"{ARC}.{args[1]}")
    for attribute in signed_attrs(parse(read(args[0])))[1]:
        if encode([attribute[1][0]]) == want:
            print(attribute[1][1][1][0][1].decode())
elif cmd == "receipt":  # receipt MESSAGE-ID SENDER RECEIVER ENVELOPE: an ExchangeReceipt (§4) of the envelope's bytes
    at = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%d%H%M%SZ").encode()
    digest = hashlib.sha256(read(args[3])).digest()
    out.write(tlv(0x30, b"".join([utf8(a) for a in args[:3]] + [utf8("SHA-256"), tlv(0x04, digest), tlv(0x18, at), utf8("ACCEPTED")])))
elif cmd == "fields":  # fields RECEIPT: the ExchangeReceipt's seven fields on one line, the digest in hex
    print(*[v.hex() if tag == 0x04 else v.decode() for tag, v in parse(read(args[0]))[0][1]])
elif cmd == "json":  # json FILE KEY [SUBKEY]: a value of a JSON object (a list's length; SUBKEY: each element's, as JSON)
    try:
        value = json.load(open(args[0], encoding="utf-8"))[args[1]]
    except (ValueError, KeyError, TypeError):
        value = ""
    if len(args) > 2:
        print(json.dumps([e[args[2]] for e in value]))
    else:
        print(len(value) if isinstance(value, list) else value)
PY
}

tmp=$(mktemp -d)   # readable by the owner only; holds the key in the clear, so that curl needs no passphrase
trap 'rm -rf "$tmp"' EXIT
work=${OUT:-$tmp}
mkdir -p "$work"
hostport=${NODE_URL#https://}; hostport=${hostport%%/*}
path=/${NODE_URL#https://*/}; address=${hostport%:*}; port=${hostport##*:}
url="https://$NODE_ID:$port$path"   # the node's certificate names its id (§9): curl maps it to the address

key="$tmp/self.key.pem"
openssl pkey -in "$SELF_KEY" ${SELF_KEY_PASS:+-passin "$SELF_KEY_PASS"} -out "$key" 2>"$work/err" \
  || fail "key" "cannot read $SELF_KEY: $(head -1 "$work/err")"
cat "$CA_CERT" ${CRL:+"$CRL"} > "$work/trust.pem"   # openssl reads the CRL from the CA file
verify=(-CAfile "$work/trust.pem" -purpose any ${CRL:+-crl_check})

# exchange TYPE PAYLOAD: seals the payload, sends it, opens the answer, checks the receipt.
# Leaves $work/TYPE.p7m (sent), TYPE.answer.p7m (received), TYPE.answer.json; sets $sent_id and $answer_id.
exchange() {
  local type=$1 d="$work/$1" status signer
  sent_id=$(openssl rand -hex 16)
  printf '%s' "$2" > "$d.json"

  # §2: openssl signs with contentType, signingTime and messageDigest; the exchange attributes are
  # added to that SET OF, which is signed again and put back as [0] with the new signature.
  openssl cms -sign -binary -nodetach -nosmimecap -md sha256 -in "$d.json" -signer "$SELF_CERT" -inkey "$key" \
    -outform DER -out "$d.cms" 2>"$work/err" || fail "$type seal" "openssl cms -sign: $(head -1 "$work/err")"
  der attrs "$d.cms" "$sent_id" "$SELF_ID" "$NODE_ID" "$type" > "$d.attrs"
  openssl dgst -sha256 -sign "$key" -out "$d.sig" "$d.attrs"
  der splice "$d.cms" "$d.attrs" "$d.sig" > "$d.signed"
  openssl cms -verify -binary -inform DER -in "$d.signed" "${verify[@]}" -out /dev/null 2>"$work/err" \
    || fail "$type seal" "the spliced SignedData does not verify: $(head -1 "$work/err")"
  # §1, §3: AuthEnvelopedData, AES-256-GCM, ECDH with the SHA-256 KDF; the content is the SignedData's DER, as id-data
  openssl cms -encrypt -binary -aes-256-gcm -in "$d.signed" -recip "$NODE_CERT" -keyopt ecdh_kdf_md:sha256 \
    -outform DER -out "$d.p7m" 2>"$work/err" || fail "$type seal" "openssl cms -encrypt: $(head -1 "$work/err")"
  ok "$type seal" "message $sent_id to $NODE_ID, $(wc -c < "$d.p7m") bytes"

  # §9: mutual TLS 1.3 with the partner's certificate; the node must present a certificate naming NODE_ID
  status=$(curl -sS --tlsv1.3 --cert "$SELF_CERT" --key "$key" --cacert "$CA_CERT" ${CRL:+--crlfile "$CRL"} \
    --resolve "$NODE_ID:$port:$address" -H 'Content-Type: application/pkcs7-mime' --data-binary "@$d.p7m" \
    -D "$d.headers" -o "$d.answer.p7m" -w '%{http_code}' "$url" 2>"$work/err") \
    || fail "$type send" "$url ($address): $(head -1 "$work/err")"
  [ "$status" = 200 ] || fail "$type send" "HTTP $status $(der json "$d.answer.p7m" code): $(der json "$d.answer.p7m" message)"
  ok "$type send" "HTTP 200, answer $(wc -c < "$d.answer.p7m") bytes"

  # the answer: decrypt, verify under the alliance CA, then the signer and the signed attributes (§2, §9)
  openssl cms -decrypt -binary -inform DER -in "$d.answer.p7m" -recip "$SELF_CERT" -inkey "$key" -out "$d.answer.signed" \
    2>"$work/err" || fail "$type answer" "openssl cms -decrypt: $(head -1 "$work/err")"
  openssl cms -verify -binary -inform DER -in "$d.answer.signed" "${verify[@]}" -signer "$d.answer.signer.pem" \
    -out "$d.answer.json" 2>"$work/err" || fail "$type answer" "openssl cms -verify: $(head -1 "$work/err")"
  signer=$(openssl x509 -in "$d.answer.signer.pem" -noout -subject -nameopt sep_multiline,sname | sed -n 's/^ *CN=//p')
  answer_id=$(der attr "$d.answer.signed" 1)
  [ "$signer" = "$NODE_ID" ] && [ "$(der attr "$d.answer.signed" 2)" = "$NODE_ID" ] \
    || fail "$type answer" "signed by '$signer', sender '$(der attr "$d.answer.signed" 2)', not $NODE_ID"
  [ "$(der attr "$d.answer.signed" 3)" = "$SELF_ID" ] || fail "$type answer" "addressed to $(der attr "$d.answer.signed" 3)"
  [ "$(der attr "$d.answer.signed" 4)" = "$type-answer" ] || fail "$type answer" "type $(der attr "$d.answer.signed" 4)"
  [ "$(der attr "$d.answer.signed" 5)" = "$sent_id" ] || fail "$type answer" "answers $(der attr "$d.answer.signed" 5)"
  ok "$type answer" "message $answer_id, $type-answer to $sent_id, signed by $NODE_ID"

  # §4, §9: the Exchange-Receipt header is the node's signed receipt of exactly the bytes sent
  sed -n 's/^exchange-receipt: *//Ip' "$d.headers" | tr -d '\r\n' | openssl base64 -d -A > "$d.receipt.der"
  [ -s "$d.receipt.der" ] || fail "$type receipt" "the answer has no Exchange-Receipt header"
  openssl cms -verify -binary -inform DER -in "$d.receipt.der" "${verify[@]}" -signer "$d.receipt.signer.pem" \
    -out "$d.receipt" 2>"$work/err" || fail "$type receipt" "openssl cms -verify: $(head -1 "$work/err")"
  signer=$(openssl x509 -in "$d.receipt.signer.pem" -noout -subject -nameopt sep_multiline,sname | sed -n 's/^ *CN=//p')
  local id sender receiver algorithm digest at outcome
  read -r id sender receiver algorithm digest at outcome < <(der fields "$d.receipt")
  [ "$id $sender $receiver $signer" = "$sent_id $SELF_ID $NODE_ID $NODE_ID" ] \
    || fail "$type receipt" "about $id of $sender, by $receiver, signed by $signer"
  [ "$algorithm $digest" = "SHA-256 $(openssl dgst -sha256 -r "$d.p7m" | cut -d' ' -f1)" ] \
    || fail "$type receipt" "its $algorithm digest is not that of the bytes sent"
  [ "$outcome" = ACCEPTED ] || fail "$type receipt" "status $outcome"
  ok "$type receipt" "$receiver $outcome at $at, SHA-256 of the $(wc -c < "$d.p7m") bytes sent"
}

# §10: a query of one subject
exchange query "{\"uscc\": \"$USCC\", \"requestedBy\": \"recipe@$SELF_ID\", \"purpose\": \"partner recipe\"}"
ok "query result" "$(der json "$work/query.answer.json" status), $(der json "$work/query.answer.json" records) records of $USCC"

# §11: pull a batch, keep it (here: $work), acknowledge it with our signed receipt of the answer envelope
exchange pull '{"max": 100}'
batch=$sent_id
ids=$(der json "$work/pull.answer.json" messages messageId)
[ "$ids" != "[]" ] || { ok "pull result" "nothing due"; exit 0; }
ok "pull result" "$(der json "$work/pull.answer.json" messages) deliveries"
der receipt "$answer_id" "$NODE_ID" "$SELF_ID" "$work/pull.answer.p7m" > "$work/pull.our-receipt"
openssl cms -sign -binary -nodetach -nosmimecap -md sha256 -econtent_type "$ARC.6" -in "$work/pull.our-receipt" \
  -signer "$SELF_CERT" -inkey "$key" -outform DER -out "$work/pull.our-receipt.der" 2>"$work/err" \
  || fail "acknowledge seal" "our receipt: openssl cms -sign: $(head -1 "$work/err")"
exchange acknowledge "{\"batch\": \"$batch\", \"messageIds\": $ids, \"receipt\": \"$(openssl base64 -A -in "$work/pull.our-receipt.der")\"}"
ok "acknowledge result" "$(der json "$work/acknowledge.answer.json" acknowledged) deliveries acknowledged"
