package dev.floe.app.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PastTheEndTest {

    @Test
    void aWatermarkBelowTheEndIsKept() {
        assertThat(PastTheEnd.held(41, 100, "a", "b")).isEqualTo(41);
        assertThat(PastTheEnd.held(-1, 0, null, "b")).isEqualTo(-1);
    }

    @Test
    void aTruncatedPartitionOfTheSameTopicCarriesOnFromItsEnd() {
        assertThat(PastTheEnd.held(500, 120, "id-1", "id-1")).isEqualTo(119);
        assertThat(PastTheEnd.held(120, 120, "id-1", "id-1")).isEqualTo(119);
    }

    @Test
    void aTopicCreatedAgainIsReadFromItsStart() {
        assertThat(PastTheEnd.held(500, 120, "id-1", "id-2")).isEqualTo(-1);
    }

    @Test
    void withoutAStoredIdARecreationIsAssumed() {
        assertThat(PastTheEnd.held(500, 120, null, "id-2")).isEqualTo(-1);
    }
}
