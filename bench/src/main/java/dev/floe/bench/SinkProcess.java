package dev.floe.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A sink's JVM started by a benchmark, watched from outside: its peak RSS (VmHWM) and its CPU time (user + system,
 * its own and that of the processes it forked and waited for, e.g. Hadoop's shell commands) are read from /proc every
 * 100 ms, so the last figures survive the process's exit.
 */
final class SinkProcess {

    /** Answers, now and then, whether the sink has done its work (e.g. every row is committed). */
    interface Done {

        boolean check() throws Exception;
    }

    private static final long TICKS_PER_SECOND = ticksPerSecond();

    final long startMillis;
    private final Process process;
    private long peakKb;
    private Duration cpu = Duration.ZERO;

    private SinkProcess(Process process, long startMillis) {
        this.process = process;
        this.startMillis = startMillis;
    }

    static SinkProcess start(List<String> command, Path log) throws Exception {
        long start = System.currentTimeMillis();
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new SinkProcess(process, start);
    }

    /**
     * Samples until {@code done} says so (asked every {@code checkMillis} and once more after the process exits) or
     * the timeout passes; returns whether it said so.
     */
    boolean await(Done done, long checkMillis, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        long nextCheck = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(checkMillis);
        while (System.nanoTime() < deadline) {
            boolean exited = process.waitFor(100, TimeUnit.MILLISECONDS);
            if (!exited) {
                sample();
            }
            if (exited || System.nanoTime() >= nextCheck) {
                if (done.check()) {
                    return true;
                }
                if (exited) {
                    return false;
                }
                nextCheck = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(checkMillis);
            }
        }
        return false;
    }

    /** Waits for the process to exit by itself (e.g. Floe in drain mode once its last commit is done). */
    int waitForExit(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!process.waitFor(100, TimeUnit.MILLISECONDS)) {
            sample();
            if (System.nanoTime() > deadline) {
                stop();
                throw new IllegalStateException("the sink did not exit within " + timeout);
            }
        }
        return process.exitValue();
    }

    /** SIGTERM, and SIGKILL if it has not exited 30 s later. */
    void stop() throws Exception {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    long peakRssKb() {
        return peakKb;
    }

    Duration cpu() {
        return cpu;
    }

    private void sample() {
        peakKb = Math.max(peakKb, RunStats.hwmKb(process.pid()));
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(process.pid()), "stat"));
            // after the command name (in parentheses, may hold spaces): state is the 1st field, utime the 12th
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
            cpu = Duration.ofMillis(ticks * 1000 / TICKS_PER_SECOND);
        } catch (Exception e) {
            // the process just ended: keep the last sample
        }
    }

    private static long ticksPerSecond() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").start();
            return Long.parseLong(new String(p.getInputStream().readAllBytes()).trim());
        } catch (Exception e) {
            return 100; // Linux's USER_HZ nearly everywhere
        }
    }
}
