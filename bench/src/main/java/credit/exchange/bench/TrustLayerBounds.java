package credit.exchange.bench;

import credit.exchange.security.Suite;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.bouncycastle.asn1.cms.AuthEnvelopedData;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.EnvelopedData;

/**
 * Turns a JMH result file of this module ({@code -rf json}) into the tables of docs/PERFORMANCE.md:
 * per suite and payload size, the bound that the primitives measured in the same run imply for
 * seal, open and seal+open, and the measured/bound ratios.
 *
 * <p>The bound is 1 / (sum of the per-message primitive costs):
 * <ul>
 *   <li>seal: sign the signed attributes + key transport (GM: SM2-encrypt the content key; INTL:
 *       ephemeral key pair + ECDH + KDF and AES key wrap) + bulk encryption of the SignedData +
 *       digest of the payload (the message-digest attribute);</li>
 *   <li>open: key transport (GM: SM2-decrypt; INTL: ECDH + KDF and unwrap) + bulk decryption of the
 *       SignedData + verify the signature + digest of the payload (the message-digest check) +
 *       digest of the whole envelope (the receipt digest) + one cached certificate validation.</li>
 * </ul>
 * Bulk operations are measured at 2 KiB and 64 KiB; their cost at the byte count an envelope
 * really processes (the SignedData carries the certificate and attributes besides the payload)
 * is interpolated on the straight line through those two points (fixed + per-byte cost).
 *
 * <p>Every figure, measured or bound, is the median of the measurement iterations rather than
 * JMH's mean: on the shared 2-core machine an iteration now and then loses half its CPU to other
 * work, and one such iteration moves a mean of five by 10-20 %. JMH's mean and its 99.9 % error
 * are listed beside the medians.
 *
 * <p>Usage: {@code java -cp bench/target/benchmarks.jar credit.exchange.bench.TrustLayerBounds results.json}
 */
public final class TrustLayerBounds {

    private static final int SMALL = 2048;
    private static final int LARGE = 65536;

    /** Medians of the iterations, JMH's means and their errors, by benchmark|size|suite. */
    private final Map<String, Double> scores = new TreeMap<>();
    private final Map<String, Double> means = new TreeMap<>();
    private final Map<String, Double> errors = new TreeMap<>();

    private TrustLayerBounds() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: TrustLayerBounds <jmh-results.json>");
            System.exit(2);
        }
        TrustLayerBounds bounds = new TrustLayerBounds();
        bounds.read(Path.of(args[0]));
        System.out.print(bounds.report());
    }

    @SuppressWarnings("unchecked")
    private void read(Path json) throws IOException {
        List<Object> results = (List<Object>) new Json(Files.readString(json, StandardCharsets.UTF_8)).value();
        for (Object o : results) {
            Map<String, Object> result = (Map<String, Object>) o;
            String name = (String) result.get("benchmark");
            String benchmark = name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1);
            Map<String, Object> params = result.containsKey("params") ? (Map<String, Object>) result.get("params") : Map.of();
            Map<String, Object> metric = (Map<String, Object>) result.get("primaryMetric");
            if (!"ops/s".equals(metric.get("scoreUnit"))) {
                throw new IllegalArgumentException("expected throughput in ops/s: " + name);
            }
            List<Double> iterations = new ArrayList<>();
            for (Object fork : (List<Object>) metric.get("rawData")) {
                for (Object v : (List<Object>) fork) {
                    iterations.add((Double) v);
                }
            }
            String key = key(benchmark, (String) params.getOrDefault("size", ""), (String) params.getOrDefault("suite", ""));
            scores.put(key, median(iterations));
            means.put(key, (Double) metric.get("score"));
            Object error = metric.get("scoreError");
            errors.put(key, error instanceof Double d ? d : Double.NaN);
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static String key(String benchmark, String size, String suite) {
        return benchmark + "|" + size + "|" + suite;
    }

    /** Seconds → microseconds per operation of a measured benchmark. */
    private double micros(String benchmark, String size, String suite) {
        Double score = scores.get(key(benchmark, size, suite));
        if (score == null) {
            throw new IllegalArgumentException("the results lack " + benchmark + " size=" + size + " suite=" + suite);
        }
        return 1e6 / score;
    }

    private double micros(String benchmark) {
        return micros(benchmark, "", "");
    }

    /** The cost of a bulk operation on {@code bytes}, on the line through its 2 KiB and 64 KiB measurements. */
    private double bulkMicros(String benchmark, int bytes) {
        double small = micros(benchmark, Integer.toString(SMALL), "");
        double large = micros(benchmark, Integer.toString(LARGE), "");
        double perByte = (large - small) / (LARGE - SMALL);
        return small + perByte * (bytes - SMALL);
    }

    private record Term(String what, double micros) {
    }

    private record Bound(List<Term> seal, List<Term> open) {
        double sealMicros() {
            return seal.stream().mapToDouble(Term::micros).sum();
        }

        double openMicros() {
            return open.stream().mapToDouble(Term::micros).sum();
        }
    }

    private record Sizes(int payload, int encryptedContent, int envelope) {
    }

    private Bound bound(Suite suite, Sizes s) {
        String primitives = suite == Suite.GM ? "GmPrimitiveBenchmarks." : "IntlPrimitiveBenchmarks.";
        double validation = micros(primitives + "certificateValidationCached");
        if (suite == Suite.GM) {
            return new Bound(List.of(
                    new Term("SM2 sign (attributes)", micros("GmPrimitiveBenchmarks.sm2Sign")),
                    new Term("SM2 encrypt CEK", micros("GmPrimitiveBenchmarks.sm2EncryptKey")),
                    new Term("SM4-CBC encrypt " + s.encryptedContent() + " B", bulkMicros("GmPrimitiveBenchmarks.sm4CbcEncrypt", s.encryptedContent())),
                    new Term("SM3 payload", bulkMicros("GmPrimitiveBenchmarks.sm3", s.payload()))),
                    List.of(
                    new Term("SM2 decrypt CEK", micros("GmPrimitiveBenchmarks.sm2DecryptKey")),
                    new Term("SM4-CBC decrypt " + s.encryptedContent() + " B", bulkMicros("GmPrimitiveBenchmarks.sm4CbcDecrypt", s.encryptedContent())),
                    new Term("SM2 verify", micros("GmPrimitiveBenchmarks.sm2Verify")),
                    new Term("SM3 payload", bulkMicros("GmPrimitiveBenchmarks.sm3", s.payload())),
                    new Term("SM3 envelope " + s.envelope() + " B", bulkMicros("GmPrimitiveBenchmarks.sm3", s.envelope())),
                    new Term("certificate validation (cached)", validation)));
        }
        return new Bound(List.of(
                new Term("ECDSA sign (attributes)", micros("IntlPrimitiveBenchmarks.ecdsaSignBc")),
                new Term("ephemeral key pair + ECDH", micros("IntlPrimitiveBenchmarks.ecdhEphemeralStatic")),
                new Term("KDF + AES key wrap", micros("IntlPrimitiveBenchmarks.keyWrap")),
                new Term("AES-256-GCM encrypt " + s.encryptedContent() + " B", bulkMicros("IntlPrimitiveBenchmarks.aesGcmEncryptBc", s.encryptedContent())),
                new Term("SHA-256 payload", bulkMicros("IntlPrimitiveBenchmarks.sha256Bc", s.payload()))),
                List.of(
                new Term("ECDH (ephemeral point)", micros("IntlPrimitiveBenchmarks.ecdhStaticEphemeral")),
                new Term("KDF + AES key unwrap", micros("IntlPrimitiveBenchmarks.keyUnwrap")),
                new Term("AES-256-GCM decrypt " + s.encryptedContent() + " B", bulkMicros("IntlPrimitiveBenchmarks.aesGcmDecryptBc", s.encryptedContent())),
                new Term("ECDSA verify", micros("IntlPrimitiveBenchmarks.ecdsaVerifyBc")),
                new Term("SHA-256 payload", bulkMicros("IntlPrimitiveBenchmarks.sha256Bc", s.payload())),
                new Term("SHA-256 envelope " + s.envelope() + " B", bulkMicros("IntlPrimitiveBenchmarks.sha256Bc", s.envelope())),
                new Term("certificate validation (cached)", validation)));
    }

    /** The byte counts a real envelope of this suite and payload size makes the bulk primitives process. */
    private static Sizes sizes(Suite suite, int payload) {
        BenchAlliance alliance = new BenchAlliance(suite);
        byte[] envelope = alliance.senderEnvelopes().seal(BenchAlliance.payload(payload), alliance.headers("size-probe"),
                alliance.recipient.certificate());
        ContentInfo info = ContentInfo.getInstance(envelope);
        int encrypted = suite == Suite.GM
                ? EnvelopedData.getInstance(info.getContent()).getEncryptedContentInfo().getEncryptedContent().getOctets().length
                : AuthEnvelopedData.getInstance(info.getContent()).getAuthEncryptedContentInfo().getEncryptedContent().getOctets().length;
        return new Sizes(payload, encrypted, envelope.length);
    }

    private String report() {
        StringBuilder out = new StringBuilder();
        StringBuilder detail = new StringBuilder();
        out.append("| suite | payload | seal ops/s | open ops/s | seal+open ops/s | bound seal / open / seal+open ops/s | seal+open / bound |\n");
        out.append("|---|---|---|---|---|---|---|\n");
        for (Suite suite : Suite.values()) {
            for (int payload : new int[] {SMALL, LARGE}) {
                String size = Integer.toString(payload);
                Sizes sizes = sizes(suite, payload);
                Bound bound = bound(suite, sizes);
                double seal = scores.get(key("EnvelopeBenchmarks.seal", size, suite.name()));
                double open = scores.get(key("EnvelopeBenchmarks.open", size, suite.name()));
                double both = scores.get(key("EnvelopeBenchmarks.sealAndOpen", size, suite.name()));
                double sealBound = 1e6 / bound.sealMicros();
                double openBound = 1e6 / bound.openMicros();
                double bothBound = 1e6 / (bound.sealMicros() + bound.openMicros());
                out.append(String.format(Locale.ROOT, "| %s | %s | %s (%.2f) | %s (%.2f) | **%s** | %s / %s / %s | **%.2f** |%n",
                        suite, kib(payload), n(seal), seal / sealBound, n(open), open / openBound, n(both),
                        n(sealBound), n(openBound), n(bothBound), both / bothBound));
                detail.append(String.format(Locale.ROOT, "%s %s (envelope %d B, encrypted content %d B): seal %.1f µs = %s; open %.1f µs = %s;"
                        + " bound seal+open = 1 / %.1f µs = %s/s; measured %.1f µs%n",
                        suite, kib(payload), sizes.envelope(), sizes.encryptedContent(),
                        bound.sealMicros(), terms(bound.seal()), bound.openMicros(), terms(bound.open()),
                        bound.sealMicros() + bound.openMicros(), n(bothBound), 1e6 / both));
            }
        }
        out.append("\n(in brackets: seal / seal bound and open / open bound)\n\n").append(detail).append('\n');
        out.append("| primitive | payload | median ops/s | µs/op | JMH mean ± error (99.9 %) |\n|---|---|---|---|---|\n");
        for (Map.Entry<String, Double> e : scores.entrySet()) {
            String[] k = e.getKey().split("\\|", -1);
            if (k[0].startsWith("EnvelopeBenchmarks")) {
                continue;
            }
            out.append(String.format(Locale.ROOT, "| %s | %s | %s | %.1f | %s ± %s |%n", k[0], k[1].isEmpty() ? "" : kib(Integer.parseInt(k[1])),
                    n(e.getValue()), 1e6 / e.getValue(), n(means.get(e.getKey())), n(errors.get(e.getKey()))));
        }
        out.append("\n| envelope benchmark | suite | payload | median ops/s | JMH mean ± error (99.9 %) |\n|---|---|---|---|---|\n");
        for (Map.Entry<String, Double> e : scores.entrySet()) {
            String[] k = e.getKey().split("\\|", -1);
            if (k[0].startsWith("EnvelopeBenchmarks")) {
                out.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s ± %s |%n", k[0], k[2], kib(Integer.parseInt(k[1])),
                        n(e.getValue()), n(means.get(e.getKey())), n(errors.get(e.getKey()))));
            }
        }
        return out.toString();
    }

    private static String terms(List<Term> terms) {
        List<String> parts = new ArrayList<>();
        for (Term t : terms) {
            parts.add(String.format(Locale.ROOT, "%s %.1f", t.what(), t.micros()));
        }
        return String.join(" + ", parts);
    }

    private static String kib(int bytes) {
        return bytes % 1024 == 0 ? bytes / 1024 + " KiB" : bytes + " B";
    }

    private static String n(double v) {
        if (Double.isNaN(v)) {
            return "–";
        }
        return v >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.1f", v);
    }

    /** Just enough JSON for JMH's result file: objects, arrays, strings, numbers (NaN as JMH writes it), literals. */
    private static final class Json {
        private final String text;
        private int pos;

        Json(String text) {
            this.text = text;
        }

        Object value() {
            skipSpace();
            char c = text.charAt(pos);
            if (c == '{') {
                Map<String, Object> object = new LinkedHashMap<>();
                pos++;
                skipSpace();
                if (text.charAt(pos) == '}') {
                    pos++;
                    return object;
                }
                while (true) {
                    skipSpace();
                    String name = string();
                    skipSpace();
                    expect(':');
                    object.put(name, value());
                    skipSpace();
                    if (text.charAt(pos++) == '}') {
                        return object;
                    }
                }
            }
            if (c == '[') {
                List<Object> array = new ArrayList<>();
                pos++;
                skipSpace();
                if (text.charAt(pos) == ']') {
                    pos++;
                    return array;
                }
                while (true) {
                    array.add(value());
                    skipSpace();
                    if (text.charAt(pos++) == ']') {
                        return array;
                    }
                }
            }
            if (c == '"') {
                String s = string();
                return s.equals("NaN") ? (Object) Double.NaN : s;
            }
            int start = pos;
            while (pos < text.length() && ",}] \t\r\n".indexOf(text.charAt(pos)) < 0) {
                pos++;
            }
            String token = text.substring(start, pos);
            return switch (token) {
                case "true" -> Boolean.TRUE;
                case "false" -> Boolean.FALSE;
                case "null" -> null;
                default -> Double.parseDouble(token);
            };
        }

        private String string() {
            expect('"');
            StringBuilder out = new StringBuilder();
            while (text.charAt(pos) != '"') {
                char c = text.charAt(pos++);
                if (c == '\\') {
                    char e = text.charAt(pos++);
                    switch (e) {
                        case 'n' -> out.append('\n');
                        case 't' -> out.append('\t');
                        case 'u' -> {
                            out.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
                            pos += 4;
                        }
                        default -> out.append(e);
                    }
                } else {
                    out.append(c);
                }
            }
            pos++;
            return out.toString();
        }

        private void expect(char c) {
            if (text.charAt(pos++) != c) {
                throw new IllegalArgumentException("JSON: expected '" + c + "' at " + (pos - 1));
            }
        }

        private void skipSpace() {
            while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
        }
    }
}
