package dev.floe.camel.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Locations as metadata writes them and as a listing returns them name the same file. */
class FileLocationsTest {

    @Test
    void spellingsOfOneLocalFileAreEqual() {
        String expected = "/w/db/t/data/a.parquet";
        assertThat(List.of("file:/w/db/t/data/a.parquet", "file:///w/db/t/data/a.parquet", "/w/db/t/data/a.parquet",
                "file://localhost/w/db/t/data/a.parquet", "file:///w/db/t//data/a.parquet"))
                .allSatisfy(l -> assertThat(FileLocations.normalize(l)).isEqualTo(expected));
    }

    @Test
    void objectStoreSchemesAreEqualButPathsStayDistinct() {
        assertThat(FileLocations.normalize("s3a://bucket/db/t/x"))
                .isEqualTo(FileLocations.normalize("s3://bucket/db/t/x"));
        assertThat(FileLocations.normalize("s3://bucket/db/t/x"))
                .isNotEqualTo(FileLocations.normalize("s3://bucket/db/t2/x"));
    }

    @Test
    void expiryCutoffIsTheLaterOfAgeAndCountButNeverYoungerThanTheMinimumAge() {
        long now = 1_000_000;
        List<Long> newestFirst = List.of(now - 10, now - 20, now - 30, now - 40_000);
        // by age only: the cap is not reached
        assertThat(SnapshotExpiry.cutoff(newestFirst, now, 30_000, 10, 0)).isEqualTo(now - 30_000);
        // the cap: everything older than the newest two goes, though young
        assertThat(SnapshotExpiry.cutoff(newestFirst, now, 30_000, 2, 0)).isEqualTo(now - 20);
        // but never a snapshot younger than the minimum age
        assertThat(SnapshotExpiry.cutoff(newestFirst, now, 30_000, 2, 25)).isEqualTo(now - 25);
        assertThat(SnapshotExpiry.cutoff(newestFirst, now, 0, 1, 60_000)).isEqualTo(now - 60_000);
    }
}
