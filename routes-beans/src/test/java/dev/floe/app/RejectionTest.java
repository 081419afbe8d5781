package dev.floe.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.Set;

import com.google.rpc.Code;
import dev.floe.app.grpc.GrpcStatusResponder;
import dev.floe.app.http.HttpProblemResponder;
import org.junit.jupiter.api.Test;

/** Every protocol tells a sender the same thing about one refusal: whose fault it is, and whether to retry. */
class RejectionTest {

    private static final Set<Code> SERVER_SIDE = EnumSet.of(Code.UNAVAILABLE, Code.INTERNAL);
    private static final Set<Code> RETRY_LATER = EnumSet.of(Code.UNAVAILABLE, Code.RESOURCE_EXHAUSTED);

    @Test
    void httpAndGrpcAgreeOnEveryRefusal() {
        for (Rejection rejection : Rejection.values()) {
            int http = HttpProblemResponder.status(rejection);
            Code grpc = GrpcStatusResponder.code(rejection);
            assertThat(http >= 500).as("%s is a server error over HTTP", rejection).isEqualTo(rejection.serverSide());
            assertThat(SERVER_SIDE.contains(grpc)).as("%s is a server error over gRPC", rejection)
                    .isEqualTo(rejection.serverSide());
            // 429 and 503 carry Retry-After; gRPC clients retry UNAVAILABLE and back off on RESOURCE_EXHAUSTED
            boolean httpRetry = http == 429 || http == 503;
            if (rejection != Rejection.LIMIT) {
                assertThat(RETRY_LATER.contains(grpc)).as("%s: retry later on both", rejection).isEqualTo(httpRetry);
            }
        }
    }

    @Test
    void aLimitIsItsOwnRefusalNotAnInvalidEvent() {
        assertThat(Rejection.of(new dev.floe.camel.iceberg.cloudevents.EventLimitExceededException("subject", "long")))
                .isEqualTo(Rejection.LIMIT);
        assertThat(HttpProblemResponder.status(Rejection.LIMIT)).isEqualTo(413);
        assertThat(GrpcStatusResponder.code(Rejection.LIMIT)).isEqualTo(Code.RESOURCE_EXHAUSTED);
    }

    @Test
    void anUnknownErrorIsInternalAndHidesItsMessage() {
        IllegalStateException bug = new IllegalStateException("/secret/path");
        assertThat(Rejection.of(bug)).isEqualTo(Rejection.INTERNAL);
        assertThat(Rejection.INTERNAL.detail(bug)).doesNotContain("secret");
        assertThat(Rejection.of(null)).isEqualTo(Rejection.INTERNAL);
    }
}
