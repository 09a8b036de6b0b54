package credit.exchange.bench;

import credit.exchange.security.Suite;
import credit.exchange.security.envelope.Envelopes;
import credit.exchange.security.envelope.OpenedEnvelope;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link Envelopes#seal}, {@link Envelopes#open} and the two together, per suite and payload size,
 * with the receiving side wired as in production: the PKI's caching certificate validator and an
 * in-memory replay guard that sees every message id once. All clocks are frozen at the set-up
 * instant (see {@link BenchAlliance}), so the freshness window is never exceeded.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 5, time = 2)
public class EnvelopeBenchmarks {

    /** Envelopes per lap of the open benchmark's ring; a power of two. */
    static final int RING = 1024;

    /** A sending and a receiving node of one suite, and the payload. */
    @State(Scope.Thread)
    public static class Nodes {
        @Param({"GM", "INTL"})
        String suite;

        @Param({"2048", "65536"})
        int size;

        BenchAlliance alliance;
        Envelopes sender;
        Envelopes recipient;
        RotatingReplayGuard replay;
        X509Certificate recipientCertificate;
        byte[] payload;
        long messages;

        @Setup
        public void setUp() {
            alliance = new BenchAlliance(Suite.parse(suite));
            sender = alliance.senderEnvelopes();
            replay = new RotatingReplayGuard(alliance.clock);
            recipient = alliance.recipientEnvelopes(replay);
            recipientCertificate = alliance.recipient.certificate();
            payload = BenchAlliance.payload(size);
            OpenedEnvelope probe = recipient.open(sender.seal(payload, alliance.headers("probe"), recipientCertificate));
            BenchAlliance.check(Arrays.equals(payload, probe.payload()), "the probe envelope does not round-trip");
        }

        /** A message id this sender never used before. */
        String nextMessageId() {
            long n = messages++;
            if ((n & (RING - 1)) == 0) {
                replay.startLap(); // keeps the guard's map at the size the open benchmark gives it
            }
            return "m-" + n;
        }
    }

    /**
     * Nodes of their own with {@link #RING} envelopes sealed in set-up, each with its own message
     * id. (Its own nodes rather than an injected {@link Nodes}: the envelopes must be addressed to
     * exactly the recipient that opens them.)
     */
    @State(Scope.Thread)
    public static class SealedRing {
        @Param({"GM", "INTL"})
        String suite;

        @Param({"2048", "65536"})
        int size;

        Nodes nodes;
        byte[][] envelopes;
        int next;

        @Setup
        public void setUp() {
            nodes = new Nodes();
            nodes.suite = suite;
            nodes.size = size;
            nodes.setUp();
            envelopes = new byte[RING][];
            for (int i = 0; i < RING; i++) {
                envelopes[i] = nodes.sender.seal(nodes.payload, nodes.alliance.headers("ring-" + i), nodes.recipientCertificate);
            }
            next = 0;
        }
    }

    @Benchmark
    public byte[] seal(Nodes n) {
        return n.sender.seal(n.payload, n.alliance.headers(n.nextMessageId()), n.recipientCertificate);
    }

    @Benchmark
    public OpenedEnvelope open(SealedRing ring) {
        int i = ring.next;
        ring.next = (i + 1) & (RING - 1);
        if (i == 0) {
            ring.nodes.replay.startLap();
        }
        return ring.nodes.recipient.open(ring.envelopes[i]);
    }

    /** Both paths in one compiled method take longer to reach steady state (about 10 s here). */
    @Benchmark
    @Warmup(iterations = 6, time = 2)
    public OpenedEnvelope sealAndOpen(Nodes n) {
        return n.recipient.open(n.sender.seal(n.payload, n.alliance.headers(n.nextMessageId()), n.recipientCertificate));
    }
}
