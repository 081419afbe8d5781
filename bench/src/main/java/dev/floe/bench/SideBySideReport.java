package dev.floe.bench;

import java.util.List;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * The side-by-side benchmark's result as one markdown table: each run's figure (IKC run 1 / run 2, Floe run 1 / run
 * 2), the ratio Floe / IKC of the means, and issue 14's target for it where there is one.
 */
final class SideBySideReport {

    private SideBySideReport() {
    }

    static void print(int events, List<SinkRun> ikc, List<SinkRun> floe, double ceiling) {
        System.out.printf("%n| measure (%,d events) | IKC | Floe | Floe / IKC | target | met |%n", events);
        System.out.println("|---|---|---|---|---|---|");
        row("JVM start → all rows committed", " s", "%.0f", ikc, floe, SinkRun::startToAllSeconds, "≤ 0.5", false,
                0.5);
        row("steady rows/s (10 % → 90 % of rows)", "", "%,.0f", ikc, floe, SinkRun::steadyRowsPerSecond, "≥ 1.5",
                true, 1.5);
        row("rows per CPU-second (user+sys)", "", "%,.0f", ikc, floe, SinkRun::rowsPerCpuSecond, "≥ 2", true, 2);
        row("peak RSS", " MB", "%,.0f", ikc, floe, r -> r.peakRssMb(), "≤ 0.4", false, 0.4);
        row("JVM start → first commit", " s", "%.0f", ikc, floe, SinkRun::startToFirstSeconds, "", false, 0);
        row("commits (appends)", "", "%.0f", ikc, floe, SinkRun::commits, "", false, 0);
        row("data files at the end", "", "%.0f", ikc, floe, r -> r.contents().files(), "", false, 0);
        row("mean data file size", " MB", "%.2f", ikc, floe, r -> r.contents().meanFileBytes() / 1e6, "", false, 0);
        row("bytes per row in Parquet", "", "%.0f", ikc, floe, SinkRun::bytesPerRow, "", false, 0);
        System.out.printf("| rows read back / distinct ids | %s | %s | | each once | %s |%n", readBack(ikc),
                readBack(floe), ikc.stream().allMatch(SinkRun::eachOnce) && floe.stream().allMatch(SinkRun::eachOnce)
                        ? "yes"
                        : "NO");
        System.out.printf("%nIceberg writer ceiling in the same run (bytes → Jackson → record → Parquet, one thread): "
                + "%,.0f rows/s; IKC's steady rate is %.0f %% of it, Floe's %.0f %%.%n", ceiling,
                100 * mean(ikc, SinkRun::steadyRowsPerSecond) / ceiling,
                100 * mean(floe, SinkRun::steadyRowsPerSecond) / ceiling);
    }

    private static void row(String measure, String unit, String format, List<SinkRun> ikc, List<SinkRun> floe,
            ToDoubleFunction<SinkRun> figure, String target, boolean atLeast, double bound) {
        double ratio = mean(floe, figure) / mean(ikc, figure);
        String met = target.isEmpty() || Double.isNaN(ratio)
                ? ""
                : (atLeast ? ratio >= bound : ratio <= bound)
                        ? "yes"
                        : "no";
        System.out.printf("| %s | %s | %s | %.2f | %s | %s |%n", measure, each(ikc, figure, format, unit),
                each(floe, figure, format, unit), ratio, target, met);
    }

    private static String each(List<SinkRun> runs, ToDoubleFunction<SinkRun> figure, String format, String unit) {
        return runs.stream().map(r -> Double.isNaN(figure.applyAsDouble(r))
                ? "n/a"
                : String.format(format, figure.applyAsDouble(r))).collect(Collectors.joining(" / ")) + unit;
    }

    private static String readBack(List<SinkRun> runs) {
        return runs.stream().map(r -> String.format("%,d / %,d", r.contents().rowsRead(), r.contents().distinctIds()))
                .collect(Collectors.joining("; "));
    }

    /** The mean over the runs that have the figure (a steady rate needs commits on both sides of 10 % and 90 %). */
    private static double mean(List<SinkRun> runs, ToDoubleFunction<SinkRun> figure) {
        return runs.stream().mapToDouble(figure).filter(d -> !Double.isNaN(d)).average().orElse(Double.NaN);
    }
}
