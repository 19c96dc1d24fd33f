package org.livepeer.naap.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.JobID;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.client.program.PackagedProgram;
import org.apache.flink.client.program.PackagedProgramUtils;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.livepeer.naap.iceberg.CatalogSettings;
import org.livepeer.naap.testkit.KafkaTestBroker;

/**
 * The shaded job jar as a cluster gets it: loaded the way {@code flink run} loads it (a packaged
 * program with its own user-code class loader, child-first), its {@code main} turned into a job
 * graph, the jar shipped to the cluster's blob server, and the job run against a real Kafka broker
 * until the archive holds every event. Runs after {@code package} (failsafe), on the built jar.
 */
class JobJarIT {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @TempDir Path dir;

    @Test
    void theJobJarRunsOnAClusterAndArchivesEveryEvent(@InjectClusterClient ClusterClient<?> client)
            throws Exception {
        File jar = new File(System.getProperty("naap.jobJar", "target/none.jar"));
        assertThat(jar).as("the shaded job jar (built by mvn package)").exists();
        List<String> samples = TestData.sampleLines("kafka-envelope-events.jsonl");
        String warehouse = dir.resolve("warehouse").toString();

        try (KafkaTestBroker kafka = KafkaTestBroker.start()) {
            kafka.createTopic("naap.events.raw", 1);
            kafka.createTopic("naap.events.rejected", 1);
            try (KafkaProducer<byte[], byte[]> producer = kafka.producer()) {
                for (String line : samples) {
                    KafkaTestBroker.send(producer, "naap.events.raw", line);
                }
                KafkaTestBroker.send(producer, "naap.events.raw", "[]");
            }

            PackagedProgram program =
                    PackagedProgram.newBuilder()
                            .setJarFile(jar)
                            .setArguments(
                                    "--kafka", kafka.bootstrapServers(),
                                    "--topics", "raw=naap.events.raw",
                                    "--starting-offsets", "earliest",
                                    "--checkpoint-interval", "1s",
                                    "--catalog.type", "hadoop",
                                    "--catalog.warehouse", warehouse)
                            .build();
            JobGraph graph =
                    PackagedProgramUtils.createJobGraph(program, new Configuration(), 2, false);
            assertThat(program.getMainClassName()).isEqualTo("org.livepeer.naap.jobs.TelemetryJob");
            JobID job = client.submitJob(graph).get();
            try {
                assertThat(kafka.readCommitted("naap.events.rejected", 1))
                        .singleElement()
                        .satisfies(
                                r ->
                                        assertThat(new String(r.value(), "UTF-8"))
                                                .contains("\"reason\":\"empty_array\""));
                assertThat(awaitRawEvents(warehouse, samples.size())).isEqualTo(samples.size());
            } finally {
                client.cancel(job).get();
            }
        }
    }

    /** Polls the archive until it holds {@code expected} rows (Iceberg commits on checkpoints). */
    private static long awaitRawEvents(String warehouse, long expected) throws Exception {
        CatalogSettings catalog =
                new CatalogSettings("naap_lake", Map.of("type", "hadoop", "warehouse", warehouse));
        long deadline = System.currentTimeMillis() + 60_000;
        long count = 0;
        while (System.currentTimeMillis() < deadline) {
            try {
                List<Row> rows = TestData.query(catalog, "SELECT count(*) FROM naap.raw_events");
                count = (Long) rows.get(0).getField(0);
                if (count >= expected) {
                    return count;
                }
            } catch (Exception notYetCreated) {
                // The table appears with the job's first start; keep polling.
            }
            Thread.sleep(1000);
        }
        return count;
    }
}
