package credit.exchange.routes.audit;

import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import credit.exchange.security.audit.AuditEvent;
import credit.exchange.security.audit.AuditRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Group commit for the audit trail: actions without a transaction of their own to share — a
 * query's reads, an exchange — hand their events here and wait until they are written and
 * chained; one writer thread takes whatever is waiting (up to a batch), appends it to the chain in
 * one transaction, and releases every waiting action at once. Concurrent actions share one commit
 * instead of queueing for the chain, and none answers before its events are durable.
 */
public final class AuditWriter implements AutoCloseable {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private record Waiting(List<AuditRecord> events, CompletableFuture<Void> written) {
    }

    private final AuditStore store;
    private final int maxBatch;
    private final BlockingQueue<Waiting> queue = new LinkedBlockingQueue<>(100_000);
    private final Thread writer;
    private volatile boolean open = true;

    public AuditWriter(AuditStore store, int maxBatch) {
        this.store = store;
        this.maxBatch = maxBatch;
        this.writer = new Thread(this::run, "audit-writer");
        this.writer.setDaemon(true);
        this.writer.start();
    }

    /** Appends the events to the chain; returns when they are durable. E_UNAVAILABLE if they cannot be written. */
    public void append(List<AuditEvent> events) {
        submit(events).await();
    }

    /** The events on their way to the chain: an action may do its work meanwhile, and answers only after {@link #await}. */
    public static final class Pending {
        /** No events: nothing to wait for. */
        public static final Pending NONE = new Pending(CompletableFuture.completedFuture(null));

        private final CompletableFuture<Void> written;

        private Pending(CompletableFuture<Void> written) {
            this.written = written;
        }

        /** Returns when the events are durable; E_UNAVAILABLE if they cannot be written (the action must not answer). */
        public void await() {
            AuditWriter.await(written);
        }
    }

    /** Hands the events to the writer and returns at once; {@link Pending#await} before the action answers. */
    public Pending submit(List<AuditEvent> events) {
        if (events.isEmpty()) {
            return Pending.NONE;
        }
        if (!open) {
            throw new CodedException(ErrorCode.E_UNAVAILABLE, "the audit trail is closed; nothing is done without its event");
        }
        Waiting waiting = new Waiting(events.stream().map(AuditEvent::record).toList(), new CompletableFuture<>());
        try {
            if (!queue.offer(waiting, WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new CodedException(ErrorCode.E_UNAVAILABLE, "the audit trail is behind; retry later");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CodedException(ErrorCode.E_UNAVAILABLE, "interrupted while the audit event was handed over");
        }
        return new Pending(waiting.written());
    }

    private static void await(CompletableFuture<Void> written) {
        try {
            written.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CodedException(ErrorCode.E_UNAVAILABLE, "interrupted while the audit event was written");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof CodedException coded ? coded
                    : new CodedException(ErrorCode.E_UNAVAILABLE, "the audit event cannot be written; nothing is done without it", e.getCause());
        } catch (TimeoutException e) {
            throw new CodedException(ErrorCode.E_UNAVAILABLE, "the audit event was not written in time; retry later");
        }
    }

    private void run() {
        List<Waiting> batch = new ArrayList<>();
        while (open || !queue.isEmpty()) {
            try {
                Waiting first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                int events = first.events().size();
                for (Waiting next = queue.peek(); next != null && events + next.events().size() <= maxBatch; next = queue.peek()) {
                    batch.add(queue.poll());
                    events += next.events().size();
                }
                List<AuditRecord> all = new ArrayList<>(events);
                batch.forEach(w -> all.addAll(w.events()));
                try {
                    store.append(all);
                    batch.forEach(w -> w.written().complete(null));
                } catch (RuntimeException failure) {
                    batch.forEach(w -> w.written().completeExceptionally(failure));
                }
                batch.clear();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public void close() {
        open = false;
        try {
            writer.join(WAIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
