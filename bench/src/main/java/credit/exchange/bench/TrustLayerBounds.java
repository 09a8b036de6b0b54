package credit.exchange.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import credit.exchange.security.Suite;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.bouncycastle.asn1.cms.AuthEnvelopedData;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.EnvelopedData;

/**
 * Turns JMH result files of this module ({@code -rf json}) into the tables of docs/PERFORMANCE.md:
 * per run, suite and payload size, the bound that the primitives measured in the same run imply
 * for seal, open and seal+open, and the measured/bound ratios.
 *
 * <p>The bound is 1 / (sum of the per-message primitive costs):
 * <ul>
 *   <li>seal: sign the signed attributes + key transport (GM: SM2-encrypt the content key; INTL:
 *       ephemeral key pair + ECDH, KDF and AES key wrap) + bulk encryption of the SignedData +
 *       digest of the payload (the message-digest attribute);</li>
 *   <li>open: key transport (GM: SM2-decrypt; INTL: ECDH, KDF and unwrap) + bulk decryption of the
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
 * <p>Usage: {@code java -cp bench/target/benchmarks.jar credit.exchange.bench.TrustLayerBounds [label=]run.json ...}
 * (one column or row per run; the label defaults to the file name).
 */
public final class TrustLayerBounds {

    private static final int SMALL = 2048;
    private static final int LARGE = 65536;
    private static final int[] PAYLOADS = {SMALL, LARGE};

    private TrustLayerBounds() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length == 0) {
            System.err.println("usage: TrustLayerBounds [label=]jmh-results.json ...");
            System.exit(2);
        }
        List<Run> runs = new ArrayList<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            Path file = Path.of(eq < 0 ? arg : arg.substring(eq + 1));
            runs.add(Run.read(eq < 0 ? file.getFileName().toString().replaceFirst("\\.json$", "") : arg.substring(0, eq), file));
        }
        System.out.print(report(runs));
    }

    /** One JMH result file: per benchmark|size|suite, the median of its iterations, JMH's mean and error. */
    private static final class Run {
        final String label;
        final Map<String, Double> medians = new TreeMap<>();
        final Map<String, Double> means = new TreeMap<>();
        final Map<String, Double> errors = new TreeMap<>();

        private Run(String label) {
            this.label = label;
        }

        static Run read(String label, Path json) throws IOException {
            Run run = new Run(label);
            for (JsonNode result : new ObjectMapper().readTree(json.toFile())) {
                String name = result.path("benchmark").asText();
                String benchmark = name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1);
                JsonNode params = result.path("params");
                JsonNode metric = result.path("primaryMetric");
                if (!"ops/s".equals(metric.path("scoreUnit").asText())) {
                    continue; // the diagnostics (EnvelopeOverheadBenchmarks) are times per operation, not part of the bound
                }
                List<Double> iterations = new ArrayList<>();
                for (JsonNode fork : metric.path("rawData")) {
                    fork.forEach(v -> iterations.add(v.asDouble()));
                }
                String key = key(benchmark, params.path("size").asText(""), params.path("suite").asText(""));
                run.medians.put(key, median(iterations));
                run.means.put(key, metric.path("score").asDouble());
                // JMH writes an error it cannot compute as the string "NaN"
                run.errors.put(key, metric.path("scoreError").asDouble(Double.NaN));
            }
            return run;
        }

        double opsPerSecond(String benchmark, String size, String suite) {
            Double score = medians.get(key(benchmark, size, suite));
            if (score == null) {
                throw new IllegalArgumentException(label + " lacks " + benchmark + " size=" + size + " suite=" + suite);
            }
            return score;
        }

        double micros(String benchmark) {
            return 1e6 / opsPerSecond(benchmark, "", "");
        }

        /** The cost of a bulk operation on {@code bytes}, on the line through its 2 KiB and 64 KiB measurements. */
        double bulkMicros(String benchmark, int bytes) {
            double small = 1e6 / opsPerSecond(benchmark, Integer.toString(SMALL), "");
            double large = 1e6 / opsPerSecond(benchmark, Integer.toString(LARGE), "");
            return small + (large - small) / (LARGE - SMALL) * (bytes - SMALL);
        }

        Bound bound(Suite suite, Sizes s) {
            double validation = micros((suite == Suite.GM ? "GmPrimitiveBenchmarks." : "IntlPrimitiveBenchmarks.")
                    + "certificateValidationCached");
            if (suite == Suite.GM) {
                return new Bound(List.of(
                        new Term("SM2 sign", micros("GmPrimitiveBenchmarks.sm2Sign")),
                        new Term("SM2 encrypt CEK", micros("GmPrimitiveBenchmarks.sm2EncryptKey")),
                        new Term("SM4-CBC encrypt " + s.encryptedContent() + " B",
                                bulkMicros("GmPrimitiveBenchmarks.sm4CbcEncrypt", s.encryptedContent())),
                        new Term("SM3 payload", bulkMicros("GmPrimitiveBenchmarks.sm3", s.payload()))),
                        List.of(
                        new Term("SM2 decrypt CEK", micros("GmPrimitiveBenchmarks.sm2DecryptKey")),
                        new Term("SM4-CBC decrypt " + s.encryptedContent() + " B",
                                bulkMicros("GmPrimitiveBenchmarks.sm4CbcDecrypt", s.encryptedContent())),
                        new Term("SM2 verify", micros("GmPrimitiveBenchmarks.sm2Verify")),
                        new Term("SM3 payload", bulkMicros("GmPrimitiveBenchmarks.sm3", s.payload())),
                        new Term("SM3 envelope " + s.envelope() + " B", bulkMicros("GmPrimitiveBenchmarks.sm3", s.envelope())),
                        new Term("cached certificate validation", validation)));
            }
            return new Bound(List.of(
                    new Term("ECDSA sign", micros("IntlPrimitiveBenchmarks.ecdsaSignBc")),
                    new Term("ephemeral key pair + ECDH", micros("IntlPrimitiveBenchmarks.ecdhEphemeralStatic")),
                    new Term("KDF + AES key wrap", micros("IntlPrimitiveBenchmarks.keyWrap")),
                    new Term("AES-256-GCM encrypt " + s.encryptedContent() + " B",
                            bulkMicros("IntlPrimitiveBenchmarks.aesGcmEncryptBc", s.encryptedContent())),
                    new Term("SHA-256 payload", bulkMicros("IntlPrimitiveBenchmarks.sha256Bc", s.payload()))),
                    List.of(
                    new Term("ECDH with the ephemeral point", micros("IntlPrimitiveBenchmarks.ecdhStaticEphemeral")),
                    new Term("KDF + AES key unwrap", micros("IntlPrimitiveBenchmarks.keyUnwrap")),
                    new Term("AES-256-GCM decrypt " + s.encryptedContent() + " B",
                            bulkMicros("IntlPrimitiveBenchmarks.aesGcmDecryptBc", s.encryptedContent())),
                    new Term("ECDSA verify", micros("IntlPrimitiveBenchmarks.ecdsaVerifyBc")),
                    new Term("SHA-256 payload", bulkMicros("IntlPrimitiveBenchmarks.sha256Bc", s.payload())),
                    new Term("SHA-256 envelope " + s.envelope() + " B", bulkMicros("IntlPrimitiveBenchmarks.sha256Bc", s.envelope())),
                    new Term("cached certificate validation", validation)));
        }
    }

    private static String key(String benchmark, String size, String suite) {
        return benchmark + "|" + size + "|" + suite;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
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

    private static String report(List<Run> runs) {
        Map<String, Sizes> sizes = new LinkedHashMap<>();
        for (Suite suite : Suite.values()) {
            for (int payload : PAYLOADS) {
                sizes.put(suite + "|" + payload, sizes(suite, payload));
            }
        }
        StringBuilder out = new StringBuilder();
        StringBuilder detail = new StringBuilder();
        out.append("| run | suite | payload | seal ops/s | open ops/s | seal+open ops/s | bound seal / open / seal+open ops/s"
                + " | seal+open / bound |\n|---|---|---|---|---|---|---|---|\n");
        for (Run run : runs) {
            for (Suite suite : Suite.values()) {
                for (int payload : PAYLOADS) {
                    String size = Integer.toString(payload);
                    Sizes s = sizes.get(suite + "|" + payload);
                    Bound bound = run.bound(suite, s);
                    double seal = run.opsPerSecond("EnvelopeBenchmarks.seal", size, suite.name());
                    double open = run.opsPerSecond("EnvelopeBenchmarks.open", size, suite.name());
                    double both = run.opsPerSecond("EnvelopeBenchmarks.sealAndOpen", size, suite.name());
                    double sealBound = 1e6 / bound.sealMicros();
                    double openBound = 1e6 / bound.openMicros();
                    double bothBound = 1e6 / (bound.sealMicros() + bound.openMicros());
                    out.append(String.format(Locale.ROOT, "| %s | %s | %s | %s (%.2f) | %s (%.2f) | **%s** | %s / %s / %s | **%.2f** |%n",
                            run.label, suite, kib(payload), n(seal), seal / sealBound, n(open), open / openBound, n(both),
                            n(sealBound), n(openBound), n(bothBound), both / bothBound));
                    detail.append(String.format(Locale.ROOT, "- %s, %s %s (envelope %d B, encrypted content %d B): seal %.0f µs = %s;"
                            + " open %.0f µs = %s; seal+open bound 1 / %.0f µs = %s/s, measured %.0f µs%n",
                            run.label, suite, kib(payload), s.envelope(), s.encryptedContent(),
                            bound.sealMicros(), terms(bound.seal()), bound.openMicros(), terms(bound.open()),
                            bound.sealMicros() + bound.openMicros(), n(bothBound), 1e6 / both));
                }
            }
        }
        out.append("\n(in brackets: seal / seal bound, open / open bound)\n\n").append(detail).append('\n');

        TreeSet<String> keys = new TreeSet<>();
        runs.forEach(r -> keys.addAll(r.medians.keySet()));
        out.append("| primitive | payload |");
        runs.forEach(r -> out.append(' ').append(r.label).append(": median ops/s (µs/op) |"));
        out.append("\n|---|---|").append("---|".repeat(runs.size())).append('\n');
        for (String key : keys) {
            String[] k = key.split("\\|", -1);
            if (k[0].startsWith("EnvelopeBenchmarks")) {
                continue;
            }
            out.append("| ").append(k[0]).append(" | ").append(k[1].isEmpty() ? "" : kib(Integer.parseInt(k[1]))).append(" |");
            for (Run r : runs) {
                Double v = r.medians.get(key);
                out.append(v == null ? " – |" : String.format(Locale.ROOT, " %s (%.1f) |", n(v), 1e6 / v));
            }
            out.append('\n');
        }
        out.append("\n| envelope benchmark | suite | payload |");
        runs.forEach(r -> out.append(' ').append(r.label).append(": median ops/s (JMH mean ± 99.9 % error) |"));
        out.append("\n|---|---|---|").append("---|".repeat(runs.size())).append('\n');
        for (String key : keys) {
            String[] k = key.split("\\|", -1);
            if (!k[0].startsWith("EnvelopeBenchmarks")) {
                continue;
            }
            out.append("| ").append(k[0]).append(" | ").append(k[2]).append(" | ").append(kib(Integer.parseInt(k[1]))).append(" |");
            for (Run r : runs) {
                Double v = r.medians.get(key);
                out.append(v == null ? " – |" : String.format(Locale.ROOT, " %s (%s ± %s) |", n(v), n(r.means.get(key)),
                        n(r.errors.get(key))));
            }
            out.append('\n');
        }
        return out.toString();
    }

    private static String terms(List<Term> terms) {
        List<String> parts = new ArrayList<>();
        for (Term t : terms) {
            parts.add(String.format(Locale.ROOT, t.micros() < 10 ? "%s %.1f" : "%s %.0f", t.what(), t.micros()));
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
}
