package credit.exchange.routes.partner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The partners of this node, read from partner-configs/ (one {@code <id>.yaml} per partner) and
 * re-read when a file changes, without a restart. A file that fails its checks is rejected with
 * file, line and reason, and the last good configuration of that partner stays in force; a
 * deleted file removes its partner. Thread-safe: readers see one consistent snapshot.
 */
public final class PartnerDirectory {

    private static final Logger LOG = LoggerFactory.getLogger(PartnerDirectory.class);

    /** What one reload did: partners now in force and the problems of the files rejected. */
    public record Reload(int partners, List<String> changed, List<ConfigProblem> problems) {
    }

    /** A file's content, by digest: a change of content, not of timestamp, is what triggers a re-read. */
    private record FileState(String sha256) {
        static FileState of(Path file) throws IOException {
            long size = Files.size(file);
            if (size > PartnerConfigReader.MAX_FILE_BYTES) {
                return new FileState("size:" + size);
            }
            try {
                return new FileState(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file))));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private final Path directory;
    private final PartnerConfigReader reader;
    private volatile Map<String, Partner> partners = Map.of();
    private volatile List<ConfigProblem> problems = List.of();
    private final Map<Path, FileState> seen = new HashMap<>();

    public PartnerDirectory(Path directory, Path certificates) {
        this.directory = directory;
        this.reader = new PartnerConfigReader(certificates);
    }

    /** Reads every file (the first time) or the files changed since the last reload. */
    public synchronized Reload reload() {
        Map<Path, FileState> current = new TreeMap<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path f : (Iterable<Path>) files.filter(PartnerDirectory::isPartnerFile)::iterator) {
                current.put(f, FileState.of(f));
            }
        } catch (IOException e) {
            ConfigProblem problem = new ConfigProblem(directory, 0, "the partner configuration directory cannot be listed: "
                    + e.getClass().getSimpleName() + "; the last good configuration stays in force");
            LOG.warn("{}", problem);
            problems = List.of(problem);
            return new Reload(partners.size(), List.of(), problems);
        }
        Map<String, Partner> next = new HashMap<>(partners);
        List<String> changed = new ArrayList<>();
        List<ConfigProblem> rejected = new ArrayList<>();
        for (Map.Entry<Path, FileState> e : current.entrySet()) {
            Path file = e.getKey();
            if (e.getValue().equals(seen.get(file))) {
                problems.stream().filter(p -> p.file().equals(file)).forEach(rejected::add);
                continue;
            }
            PartnerConfigReader.Result result = reader.read(file);
            if (result instanceof PartnerConfigReader.Result.Read read) {
                Partner partner = read.partner();
                next.values().removeIf(p -> p.source().equals(file));
                Partner previous = next.put(partner.id(), partner);
                if (!Objects.equals(previous, partner)) {
                    changed.add(partner.id());
                    partner.gaps().forEach(gap -> LOG.warn("partner configuration incomplete: {}", gap));
                }
            } else if (result instanceof PartnerConfigReader.Result.Rejected r) {
                rejected.addAll(r.problems());
                r.problems().forEach(p -> LOG.warn("partner configuration rejected, the last good one stays in force: {}", p));
            }
        }
        for (Path gone : seen.keySet()) {
            if (!current.containsKey(gone)) {
                next.values().removeIf(p -> {
                    boolean removed = p.source().equals(gone);
                    if (removed) {
                        changed.add(p.id());
                    }
                    return removed;
                });
            }
        }
        seen.clear();
        seen.putAll(current);
        partners = Map.copyOf(next);
        problems = List.copyOf(rejected);
        if (!changed.isEmpty()) {
            LOG.info("partner configuration: {} partners in force; changed: {}", partners.size(), changed);
        }
        return new Reload(partners.size(), List.copyOf(changed), problems);
    }

    public Optional<Partner> find(String id) {
        return Optional.ofNullable(partners.get(id));
    }

    public Collection<Partner> all() {
        return partners.values();
    }

    /** The problems of the files rejected at the last reload. */
    public List<ConfigProblem> problems() {
        return problems;
    }

    public Path directory() {
        return directory;
    }

    private static boolean isPartnerFile(Path f) {
        String name = f.getFileName().toString();
        return (name.endsWith(".yaml") || name.endsWith(".yml")) && Files.isRegularFile(f);
    }
}
