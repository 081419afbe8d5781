package dev.floe.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/**
 * No container engine here: the Dockerfile is checked statically. Its base image, a non-root user, the fast-jar paths
 * it copies (built by this reactor before these tests run), and the routes folder the manifests mount a ConfigMap on.
 */
class DockerfileTest {

    record Instruction(String keyword, String arguments) {
    }

    static List<Instruction> instructions() throws Exception {
        List<Instruction> result = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String raw : Files.readAllLines(Repository.ROOT.resolve("Dockerfile"))) {
            String text = raw.strip();
            if (text.startsWith("#") || text.isEmpty() && line.isEmpty()) {
                continue;
            }
            if (text.endsWith("\\")) {
                line.append(text, 0, text.length() - 1).append(' ');
                continue;
            }
            line.append(text);
            String joined = line.toString().strip();
            line.setLength(0);
            if (!joined.isEmpty()) {
                String[] parts = joined.split("\\s+", 2);
                result.add(new Instruction(parts[0].toUpperCase(), parts.length > 1 ? parts[1] : ""));
            }
        }
        return result;
    }

    static List<String> arguments(String keyword) throws Exception {
        return instructions().stream().filter(i -> i.keyword().equals(keyword)).map(Instruction::arguments).toList();
    }

    @Test
    void baseIsAJava17RuntimeImage() throws Exception {
        List<String> from = arguments("FROM");
        assertThat(from).hasSize(1);
        assertThat(from.get(0)).matches("(registry\\.access\\.redhat\\.com/ubi9/openjdk-17-runtime"
                + "|gcr\\.io/distroless/java17-debian12(:nonroot)?)(:[\\w.-]+)?");
    }

    @Test
    void theProcessRunsAsANonRootUser() throws Exception {
        List<String> users = arguments("USER");
        assertThat(users).isNotEmpty();
        String last = users.get(users.size() - 1).split(":")[0];
        assertThat(last).as("the last USER is numeric (runAsNonRoot can check it) and not root").matches("\\d+")
                .isNotEqualTo("0");
        for (String copy : arguments("COPY")) {
            assertThat(copy).as("files belong to the runtime user").startsWith("--chown=" + last);
        }
    }

    @Test
    void everyCopiedPathExistsAfterTheBuild() throws Exception {
        List<String> copies = arguments("COPY");
        assertThat(copies).anyMatch(c -> c.contains("app/target/quarkus-app/lib/"))
                .anyMatch(c -> c.contains("app/target/quarkus-app/quarkus/"));
        for (String copy : copies) {
            String[] words = copy.split("\\s+");
            for (int i = 0; i < words.length - 1; i++) {
                if (words[i].startsWith("--")) {
                    continue;
                }
                String source = words[i];
                if (source.contains("*")) {
                    Path folder = Repository.ROOT.resolve(source.substring(0, source.lastIndexOf('/')));
                    String glob = source.substring(source.lastIndexOf('/') + 1);
                    try (var matches = Files.newDirectoryStream(folder, glob)) {
                        assertThat(matches.iterator().hasNext()).as(source).isTrue();
                    }
                } else {
                    assertThat(Repository.ROOT.resolve(source)).as(source).exists();
                }
            }
        }
        assertThat(Repository.ROOT.resolve("app/target/quarkus-app/quarkus-run.jar")).isRegularFile();
    }

    @Test
    void routesAreReadFromTheFolderTheManifestsMount() throws Exception {
        String env = String.join(" ", arguments("ENV"));
        assertThat(env).contains("FLOE_ROUTES_DIR=/deployments/routes")
                .contains("JAVA_APP_JAR=/deployments/quarkus-run.jar");
        JsonNode deployment = Repository.documents(Repository.K8S.resolve("base/deployment.yaml")).get(0);
        assertThat(deployment.at("/spec/template/spec/containers/0/volumeMounts").toString())
                .contains("\"mountPath\":\"/deployments/routes\"");
        assertThat(arguments("EXPOSE")).containsExactly("8080 9000 50051");
        // the gRPC port is the route's default, the one the grpc overlay opens
        assertThat(Files.readString(Repository.ROOT.resolve("routes/grpc-to-iceberg.yaml")))
                .contains("{{floe.grpc.port:50051}}");
        // exec form: the JVM gets SIGTERM itself and commits the batches in memory
        assertThat(arguments("ENTRYPOINT")).singleElement().asString().startsWith("[");
    }
}
