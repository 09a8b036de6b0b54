package credit.exchange.gateway.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The whole machine's busy CPU time, every process and the kernel together (Linux {@code /proc/stat}): what a phase of a
 * bench cost the cores, the driver, the node and PostgreSQL alike. Time stolen by the hypervisor, idle and I/O wait do not
 * count. NaN where {@code /proc/stat} cannot be read.
 */
final class MachineCpu {

    private static final Path STAT = Path.of("/proc/stat");
    /** Linux reports {@code /proc/stat} in USER_HZ, 100 per second on every architecture the JDK runs on. */
    private static final double TICKS_PER_SECOND = 100;

    private MachineCpu() {
    }

    /** Busy CPU seconds of every core since boot: user, nice, system, irq and softirq. */
    static double busySeconds() {
        try {
            String[] f = Files.readAllLines(STAT).get(0).trim().split("\\s+");
            long busy = 0;
            for (int i : new int[] {1, 2, 3, 6, 7}) {
                busy += Long.parseLong(f[i]);
            }
            return busy / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** The machine's busy CPU microseconds per unit of work done since {@code startSeconds} (a {@link #busySeconds} reading). */
    static double microsPer(double startSeconds, long units) {
        return (busySeconds() - startSeconds) * 1e6 / units;
    }
}
