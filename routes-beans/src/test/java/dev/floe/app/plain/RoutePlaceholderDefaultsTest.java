package dev.floe.app.plain;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * A route runs with nothing configured only if each of its placeholders has a default, and it runs the same outside
 * the application only if that default is the application's (app/src/main/resources/application.properties).
 */
class RoutePlaceholderDefaultsTest {

    static final Path ROUTES = Path.of("..", "routes").toAbsolutePath().normalize();
    static final Path APPLICATION_PROPERTIES = Path.of("..", "app", "src", "main", "resources",
            "application.properties").toAbsolutePath().normalize();
    /** {{name}} or {{name:default}}; {{?name}} is optional and needs none. */
    static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([^?}:]+)(?::([^}]*))?}}");
    /** Reads the application's own beans (Kafka progress, watermarks): it runs in the application only. */
    static final String APPLICATION_ONLY = "kafka-to-iceberg.yaml";

    @Test
    void everyPlaceholderHasTheApplicationsDefault() throws IOException {
        Properties application = new Properties();
        try (Reader reader = Files.newBufferedReader(APPLICATION_PROPERTIES)) {
            application.load(reader);
        }
        List<String> wrong = new ArrayList<>();
        int placeholders = 0;
        for (Path route : routes()) {
            Matcher m = PLACEHOLDER.matcher(Files.readString(route));
            while (m.find()) {
                placeholders++;
                String name = m.group(1);
                String expected = application.getProperty(name);
                if (m.group(2) == null) {
                    wrong.add(route.getFileName() + ": {{" + name + "}} has no default");
                } else if (expected != null && !expected.equals(m.group(2))) {
                    wrong.add(route.getFileName() + ": {{" + name + ":" + m.group(2) + "}}, the application says "
                            + expected);
                }
            }
        }
        assertThat(placeholders).isGreaterThan(20);
        assertThat(wrong).isEmpty();
    }

    static List<Path> routes() throws IOException {
        try (Stream<Path> files = Files.list(ROUTES)) {
            return files.filter(f -> f.toString().endsWith(".yaml"))
                    .filter(f -> !f.getFileName().toString().equals(APPLICATION_ONLY)).sorted().toList();
        }
    }
}
