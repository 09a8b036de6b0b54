package credit.exchange.gateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The project's source files, for the tests that hold a rule over all of them (table ownership, no sleeps). */
final class ProjectSources {

    /** The project root: the build sets credit.project.root; from the gateway module it is "..". */
    static final Path ROOT = Path.of(System.getProperty("credit.project.root", ".."));

    private ProjectSources() {
    }

    /** The files under {@code directory} whose names end with {@code suffix}, in path order. */
    static List<Path> files(Path directory, String suffix) {
        try (Stream<Path> paths = Files.walk(directory)) {
            return paths.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The file's path from the project root, with forward slashes. */
    static String relative(Path file) {
        return ROOT.relativize(file).toString().replace('\\', '/');
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
