package org.livepeer.naap.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.accumulators.Histogram;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.util.Collector;
import org.livepeer.naap.jobs.io.FileInputs;
import org.livepeer.naap.jobs.io.JsonRecordsFormat;
import org.livepeer.naap.schemas.RawRecord;
import org.livepeer.naap.schemas.TelemetryEvent;
import org.livepeer.naap.workload.MessConfig;
import org.livepeer.naap.workload.WorkloadConfig;
import org.livepeer.naap.workload.WorkloadGenerator;
import org.livepeer.naap.workload.WorkloadSummary;

/**
 * {@code ./naap bench}: measures, side by side in one run on this machine, (a) the physical floor,
 * reading the same bytes and parsing each record with Jackson in a plain loop, and (b) the whole
 * pipeline on a local MiniCluster, file in, every sink on (Iceberg archive and live outputs); then
 * (c) the event-to-output latency at a fixed input rate. Writes the figures to {@code
 * bench-results.json} so that later changes can be compared.
 */
public final class BenchCommand {
    static final String USAGE =
            "./naap bench [--events N] [--rate REC_PER_S] [--latency-duration DUR] [--out DIR]\n"
                    + "       ./naap bench --bridge [--messages N]";

    private BenchCommand() {}

    public static void main(String[] args) throws Exception {
        Options o =
                new Options("./naap bench")
                        .option("events", "300000", "about how many events to generate")
                        .option("seed", "7", "workload seed")
                        .option("parallelism", "2", "parallelism of the pipeline")
                        .option("rate", "2000", "input rate (records/s) of the latency measurement")
                        .option(
                                "latency-duration",
                                "20s",
                                "how long the latency measurement feeds input")
                        .option("out", "./naap-data/bench", "working directory")
                        .option("results", "./bench-results.json", "where the figures go")
                        .flag("bridge", "measure the Streamr-to-Kafka bridge instead")
                        .option("messages", "50000", "with --bridge: how many messages")
                        .option(
                                "bridge-results",
                                "./bench-bridge-results.json",
                                "with --bridge: where the figures go")
                        .parse(args);
        if (o.flagSet("help")) {
            System.out.print(o.help(USAGE));
            return;
        }
        if (o.flagSet("bridge")) {
            Path out = Paths.get(o.get("out")).toAbsolutePath().normalize();
            BridgeBench.run(
                    o.getInt("messages"),
                    out,
                    Paths.get(o.get("bridge-results")).toAbsolutePath().normalize());
            return;
        }
        int events = o.getInt("events");
        int parallelism = o.getInt("parallelism");
        double rate = Double.parseDouble(o.get("rate"));
        Duration latencyDuration = o.getDuration("latency-duration");
        Path out = Paths.get(o.get("out")).toAbsolutePath().normalize();
        LocalRun.deleteTree(out);

        System.out.printf("[1/4] generating about %d events...%n", events);
        WorkloadSummary workload =
                generate(Long.parseLong(o.get("seed")), events, out.resolve("input"));
        Path file = out.resolve("input").resolve("events.jsonl");
        long bytes = Files.size(file);
        System.out.printf(
                "      %d records, %d events, %.1f MB%n",
                workload.records(), workload.recordsIn(), bytes / 1e6);

        System.out.println("[2/4] floor: reading and Jackson-parsing the same bytes in a loop...");
        double floorSeconds = floor(file);
        double floorRate = workload.recordsIn() / floorSeconds;

        System.out.println("[3/4] pipeline: file in, every sink on, on a local MiniCluster...");
        HeapSampler heap = HeapSampler.start();
        long wallStart = System.nanoTime();
        RunSummary run;
        JobExecutionResult result;
        {
            JobOptions opts = options(out.resolve("run"), parallelism).withInputs(List.of(file));
            StreamExecutionEnvironment env = localEnv(opts);
            TelemetryPipeline.define(
                    FileInputs.of(env, List.of(file)),
                    opts.pipeline(),
                    LocalRun.outputs(opts, true));
            result = env.execute("NaaP bench: throughput");
            run = RunSummary.fromAccumulators(result.getAllAccumulatorResults());
        }
        double wallSeconds = (System.nanoTime() - wallStart) / 1e9;
        long peakHeap = heap.stop();
        double pipelineSeconds = result.getNetRuntime() / 1000.0;
        double pipelineRate = run.recordsIn() / pipelineSeconds;

        System.out.printf(
                "[4/4] latency: %.0f records/s for %s, every sink on...%n",
                rate, org.apache.flink.util.TimeUtils.formatWithHighestUnit(latencyDuration));
        Map<Integer, Integer> latency =
                latency(file, out.resolve("latency"), parallelism, rate, latencyDuration);

        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode results = mapper.createObjectNode();
        results.put("date", Instant.now().toString());
        ObjectNode machine = results.putObject("machine");
        machine.put("cores", Runtime.getRuntime().availableProcessors());
        machine.put("max_heap_mb", Runtime.getRuntime().maxMemory() >> 20);
        machine.put("java", System.getProperty("java.version"));
        ObjectNode input = results.putObject("input");
        input.put("records", workload.records());
        input.put("events", workload.recordsIn());
        input.put("bytes", bytes);
        input.put("accepted", run.accepted());
        input.put("rejected", run.rejected());
        input.put("duplicates", run.duplicates());
        results.put("floor_events_per_s", Math.round(floorRate));
        results.put("pipeline_events_per_s", Math.round(pipelineRate));
        results.put("pipeline_to_floor_ratio", round(pipelineRate / floorRate, 4));
        results.put("pipeline_wall_seconds_incl_startup", round(wallSeconds, 2));
        results.put("pipeline_parallelism", parallelism);
        results.put("peak_heap_mb", peakHeap >> 20);
        ObjectNode lat = results.putObject("latency_ms");
        lat.put("input_rate_per_s", rate);
        lat.put("samples", count(latency));
        lat.put("p50", percentile(latency, 0.50));
        lat.put("p95", percentile(latency, 0.95));
        lat.put("p99", percentile(latency, 0.99));
        lat.put("max", percentile(latency, 1.0));
        Path resultsFile = Paths.get(o.get("results")).toAbsolutePath().normalize();
        Files.writeString(resultsFile, mapper.writeValueAsString(results) + "\n");

        System.out.printf(
                "%nbenchmark on this machine (%d cores):%n",
                Runtime.getRuntime().availableProcessors());
        System.out.printf("  floor (read + Jackson parse) %10.0f events/s%n", floorRate);
        System.out.printf(
                "  pipeline (every sink on)     %10.0f events/s  (%.1f%% of the floor)%n",
                pipelineRate, 100 * pipelineRate / floorRate);
        System.out.printf("  peak heap during the pipeline run: %d MB%n", peakHeap >> 20);
        System.out.printf(
                "  event-to-output latency at %.0f records/s: p50 %d ms, p95 %d ms, p99 %d ms, max %d"
                        + " ms (%d samples)%n",
                rate,
                percentile(latency, 0.50),
                percentile(latency, 0.95),
                percentile(latency, 0.99),
                percentile(latency, 1.0),
                count(latency));
        System.out.println("figures written to " + resultsFile);
    }

    /**
     * Generates a workload of about {@code events} events: sessions and time scale together, so
     * cadences and concurrency stay realistic. Events then grow faster than sessions (about as
     * sessions^1.6: longer runs hold longer sessions), so the size is found in a few counting
     * passes before the file is written.
     */
    private static WorkloadSummary generate(long seed, int events, Path dir) throws IOException {
        WorkloadConfig base = WorkloadConfig.defaults();
        int sessions = base.sessions();
        for (int pass = 0; pass < 4; pass++) {
            long counted = count(scaled(base, seed, sessions));
            if (Math.abs(counted - events) < events / 20) {
                break;
            }
            sessions =
                    (int)
                            Math.max(
                                    20,
                                    Math.round(
                                            sessions * Math.pow((double) events / counted, 0.6)));
        }
        return new WorkloadGenerator(scaled(base, seed, sessions)).writeTo(dir);
    }

    private static long count(WorkloadConfig config) {
        return new WorkloadGenerator(config)
                .generate((line, at) -> {}, new org.livepeer.naap.workload.TruthSink() {})
                .recordsIn();
    }

    private static WorkloadConfig scaled(WorkloadConfig base, long seed, int sessions) {
        double factor = (double) sessions / base.sessions();
        return new WorkloadConfig(
                seed,
                sessions,
                Math.max(2, (int) Math.round(base.orchestrators() * Math.sqrt(factor))),
                Math.max(1, (int) Math.round(base.gateways() * Math.sqrt(factor))),
                Duration.ofMillis(Math.max(180_000, (long) (base.duration().toMillis() * factor))),
                base.start(),
                base.mix(),
                MessConfig.all());
    }

    /** Best of three passes of reading the file and parsing every line with Jackson. */
    private static double floor(Path file) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        double best = Double.MAX_VALUE;
        long sink = 0;
        for (int pass = 0; pass < 3; pass++) {
            long start = System.nanoTime();
            try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                String line;
                while ((line = in.readLine()) != null) {
                    try {
                        sink += mapper.readTree(line).size();
                    } catch (IOException malformed) {
                        sink++;
                    }
                }
            }
            best = Math.min(best, (System.nanoTime() - start) / 1e9);
        }
        if (sink < 0) {
            throw new IllegalStateException(
                    "unreachable: keeps the parse from being optimized away");
        }
        return best;
    }

    private static JobOptions options(Path out, int parallelism) {
        Options o = JobOptions.declare("bench", true);
        o.parse(
                new String[] {
                    "--out", out.toString(), "--parallelism", String.valueOf(parallelism)
                });
        return JobOptions.from(o, true);
    }

    private static StreamExecutionEnvironment localEnv(JobOptions opts) {
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createLocalEnvironment(
                        opts.parallelism(), new Configuration());
        env.configure(LocalRun.localRuntime(opts.out()));
        env.enableCheckpointing(opts.checkpointInterval().toMillis());
        return env;
    }

    /**
     * Feeds the first records of the file at a fixed rate, each stamped with the wall-clock time it
     * enters the job, and measures when each accepted event reaches the outputs.
     */
    private static Map<Integer, Integer> latency(
            Path file, Path out, int parallelism, double rate, Duration duration) throws Exception {
        long count = (long) (rate * duration.toSeconds());
        List<String> lines = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while (lines.size() < count && (line = in.readLine()) != null) {
                lines.add(line);
            }
        }
        JobOptions opts = options(out, parallelism);
        StreamExecutionEnvironment env = localEnv(opts);
        DataGeneratorSource<RawRecord> source =
                new DataGeneratorSource<>(
                        new Replay(lines),
                        lines.size(),
                        RateLimiterStrategy.perSecond(rate),
                        TypeInformation.of(RawRecord.class));
        TelemetryPipeline.Outputs outputs = LocalRun.outputs(opts, true);
        OutputSink<TelemetryEvent> probe =
                stream ->
                        stream.process(new LatencyProbe())
                                .name("Latency probe")
                                .sinkTo(new DiscardingSink<>());
        TelemetryPipeline.define(
                env.fromSource(source, WatermarkStrategy.noWatermarks(), "Paced replay"),
                opts.pipeline(),
                new TelemetryPipeline.Outputs(
                        outputs.rawEvents().and(probe),
                        outputs.rejected(),
                        outputs.duplicates(),
                        outputs.late(),
                        outputs.sessions(),
                        outputs.finalSessions(),
                        outputs.lateSessionEvents(),
                        outputs.nodes(),
                        outputs.capabilities(),
                        outputs.payments(),
                        outputs.jobs(),
                        outputs.metrics1m(),
                        outputs.metrics1h()));
        JobExecutionResult result = env.execute("NaaP bench: latency");
        Object acc = result.getAllAccumulatorResults().get(LatencyProbe.ACCUMULATOR);
        @SuppressWarnings("unchecked")
        Map<Integer, Integer> map =
                acc == null ? new TreeMap<>() : new TreeMap<>((Map<Integer, Integer>) acc);
        return map;
    }

    /** Replays the given records in order, stamped with the wall-clock time they are emitted. */
    private static final class Replay implements GeneratorFunction<Long, RawRecord> {
        private static final long serialVersionUID = 1L;
        private final ArrayList<String> lines;

        Replay(List<String> lines) {
            this.lines = new ArrayList<>(lines);
        }

        @Override
        public void open(SourceReaderContext readerContext) {}

        @Override
        public RawRecord map(Long index) {
            return new RawRecord(
                    lines.get(index.intValue()).getBytes(StandardCharsets.UTF_8),
                    JsonRecordsFormat.SOURCE,
                    "bench",
                    0,
                    index,
                    System.currentTimeMillis());
        }
    }

    /** Records, per accepted event, the milliseconds from entering the job to reaching here. */
    private static final class LatencyProbe
            extends ProcessFunction<TelemetryEvent, TelemetryEvent> {
        private static final long serialVersionUID = 1L;
        static final String ACCUMULATOR = "bench_latency_ms";
        private transient Histogram histogram;

        @Override
        public void open(OpenContext openContext) {
            histogram = new Histogram();
            getRuntimeContext().addAccumulator(ACCUMULATOR, histogram);
        }

        @Override
        public void processElement(TelemetryEvent e, Context ctx, Collector<TelemetryEvent> out) {
            histogram.add(
                    (int) Math.min(Integer.MAX_VALUE, System.currentTimeMillis() - e.ingestTime));
        }
    }

    private static long count(Map<Integer, Integer> histogram) {
        return histogram.values().stream().mapToLong(Integer::longValue).sum();
    }

    /** The smallest latency at or above which lies the given fraction of samples. */
    private static int percentile(Map<Integer, Integer> histogram, double q) {
        long total = count(histogram);
        if (total == 0) {
            return -1;
        }
        long rank = (long) Math.ceil(q * total);
        long seen = 0;
        int last = -1;
        for (Map.Entry<Integer, Integer> e : new TreeMap<>(histogram).entrySet()) {
            seen += e.getValue();
            last = e.getKey();
            if (seen >= rank) {
                return last;
            }
        }
        return last;
    }

    private static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }

    /** Samples used heap every 50 ms in the background; {@link #stop()} returns the peak. */
    private static final class HeapSampler implements Runnable {
        private final AtomicLong peak = new AtomicLong();
        private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        private volatile boolean running = true;
        private Thread thread;

        static HeapSampler start() {
            HeapSampler s = new HeapSampler();
            s.thread = new Thread(s, "naap-bench-heap");
            s.thread.setDaemon(true);
            s.thread.start();
            return s;
        }

        @Override
        public void run() {
            while (running) {
                peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        long stop() throws InterruptedException {
            running = false;
            thread.join();
            return peak.get();
        }
    }
}
