package dev.floe.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM mid-batch, as Kubernetes stops a pod: Floe runs as its own process (the packaged fast-jar, prod profile,
 * its catalog configured through environment variables as the manifests configure it), holds five requests in a
 * batch that would wait ten minutes, gets SIGTERM, commits the batch, answers the requests 204 and exits within the
 * grace period.
 */
class GracefulShutdownIT {

    /** terminationGracePeriodSeconds of k8s/base/deployment.yaml, less its 5 s preStop pause */
    static final int GRACE_SECONDS = 40;

    @TempDir
    Path dir;

    @Test
    void sigtermCommitsTheBatchInMemoryAnswersItsRequestsAndExits() throws Exception {
        ProcessTable table = new ProcessTable(dir);
        try (FloeProcess floe = FloeProcess.start(dir, "graceful-shutdown-floe.log", table.catalogEnv(),
                List.of("-Dfloe.batch.max-wait-ms=600000"))) {

            List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
            for (int i = 1; i <= 5; i++) {
                responses.add(FloeProcess.HTTP.sendAsync(FloeProcess.binaryEvent(floe.events(), "term-" + i).build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
            // all five admitted, in a batch that would wait ten minutes for more
            await().atMost(Duration.ofSeconds(30)).until(() -> floe.received("http-to-iceberg") >= 5);
            assertThat(responses).noneMatch(CompletableFuture::isDone);
            assertThat(table.ids()).as("nothing committed before SIGTERM").isEmpty();

            long stopping = System.nanoTime();
            floe.process.destroy(); // SIGTERM
            boolean exited = floe.process.waitFor(GRACE_SECONDS, TimeUnit.SECONDS);
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - stopping);

            assertThat(exited).as("exited within %s s", GRACE_SECONDS).isTrue();
            for (CompletableFuture<HttpResponse<String>> response : responses) {
                assertThat(response.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(204);
            }
            System.out.printf("Floe exited with %d, %d s after SIGTERM%n", floe.process.exitValue(), seconds);
        }
        assertThat(table.ids()).containsExactlyInAnyOrder("term-1", "term-2", "term-3", "term-4", "term-5");
    }
}
