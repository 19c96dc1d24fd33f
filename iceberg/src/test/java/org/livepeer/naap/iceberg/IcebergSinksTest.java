package org.livepeer.naap.iceberg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.livepeer.naap.schemas.Rejection;
import org.livepeer.naap.schemas.TelemetryEvent;

/** The job graph the sink factory builds; nothing runs here (see IcebergSinksITCase). */
class IcebergSinksTest {

    @TempDir Path warehouse;

    @Test
    void refusesAStreamingJobWithoutCheckpointing() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setRuntimeMode(RuntimeExecutionMode.STREAMING);

        assertThatThrownBy(
                        () ->
                                IcebergSinks.rawEvents(
                                        env.fromData(
                                                TypeInformation.of(TelemetryEvent.class),
                                                ArchiveFixtures.fullEvent()),
                                        CatalogSettings.localHadoop(warehouse)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("naap.raw_events commits on checkpoints")
                .hasMessageContaining("enable it");
    }

    @Test
    void everyOperatorOfBothSinksHasAStableUidAndName() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.enableCheckpointing(1000);
        CatalogSettings catalog = CatalogSettings.localHadoop(warehouse);

        IcebergSinks.rawEvents(
                env.fromData(TypeInformation.of(TelemetryEvent.class), ArchiveFixtures.fullEvent())
                        .uid("events"),
                catalog);
        IcebergSinks.rejectedEvents(
                env.fromData(TypeInformation.of(Rejection.class), ArchiveFixtures.fullRejection())
                        .uid("rejections"),
                catalog);

        List<StreamNode> nodes = List.copyOf(env.getStreamGraph().getStreamNodes());
        // These uids key the sinks' state in savepoints: a change here breaks restores.
        assertThat(nodes.stream().map(StreamNode::getTransformationUID))
                .containsExactlyInAnyOrder(
                        "events",
                        "iceberg-sink-raw-events-rows",
                        "iceberg-sink-raw-events",
                        "iceberg-sink-raw-events: Sink pre-commit aggregator: iceberg-sink-raw-events",
                        "Sink Committer: iceberg-sink-raw-events",
                        "rejections",
                        "iceberg-sink-rejected-events-rows",
                        "iceberg-sink-rejected-events",
                        "iceberg-sink-rejected-events: Sink pre-commit aggregator:"
                                + " iceberg-sink-rejected-events",
                        "Sink Committer: iceberg-sink-rejected-events");
        assertThat(nodes.stream().map(StreamNode::getOperatorName))
                .contains(
                        "Iceberg naap.raw_events-rows",
                        "Iceberg naap.raw_events: Writer",
                        "Iceberg naap.raw_events: Committer",
                        "Iceberg naap.rejected_events-rows",
                        "Iceberg naap.rejected_events: Writer",
                        "Iceberg naap.rejected_events: Committer");
    }
}
