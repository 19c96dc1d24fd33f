package org.livepeer.naap.jobs;

import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.livepeer.naap.functions.DeduplicateEvents;
import org.livepeer.naap.functions.EventTimeWatermarks;
import org.livepeer.naap.functions.ParseAndValidate;
import org.livepeer.naap.functions.TagLateEvents;
import org.livepeer.naap.schemas.RawRecord;
import org.livepeer.naap.schemas.Rejection;
import org.livepeer.naap.schemas.TelemetryEvent;

/**
 * The pipeline definition, shared by the streaming job, the embedded runner and the tests: raw
 * records in, every output handed to the sink given for it.
 *
 * <pre>
 * raw records -> parse and validate -+-> rejected
 *                                    +-> watermarks -> dedup -+-> duplicates
 *                                                             +-> late tagging -+-> raw events
 *                                                                               +-> late
 * </pre>
 *
 * Every stateful operator has a stable uid (the constants below) so savepoints survive upgrades.
 */
public final class TelemetryPipeline {
    public static final String UID_PARSE = "parse-validate";
    public static final String UID_WATERMARKS = "event-time-watermarks";
    public static final String UID_DEDUP = "dedup-events";
    public static final String UID_LATE = "tag-late-events";

    /** One sink per output of the pipeline. */
    public record Outputs(
            OutputSink<TelemetryEvent> rawEvents,
            OutputSink<Rejection> rejected,
            OutputSink<TelemetryEvent> duplicates,
            OutputSink<TelemetryEvent> late) {}

    private TelemetryPipeline() {}

    /** Wires the pipeline onto {@code input} and attaches every output. */
    public static void define(DataStream<RawRecord> input, PipelineConfig config, Outputs outputs) {
        SingleOutputStreamOperator<TelemetryEvent> parsed =
                input.process(new ParseAndValidate(config.parser()))
                        .name("Parse and validate")
                        .uid(UID_PARSE);
        outputs.rejected().attach(parsed.getSideOutput(ParseAndValidate.REJECTED));

        SingleOutputStreamOperator<TelemetryEvent> unique =
                parsed.assignTimestampsAndWatermarks(
                                EventTimeWatermarks.strategy(
                                        config.outOfOrderness(), config.idleness()))
                        .name("Event-time watermarks")
                        .uid(UID_WATERMARKS)
                        .keyBy(TelemetryEvent::dedupKey)
                        .process(new DeduplicateEvents(config.dedupRetention()))
                        .name("Deduplicate")
                        .uid(UID_DEDUP);
        outputs.duplicates().attach(unique.getSideOutput(DeduplicateEvents.DUPLICATES));

        SingleOutputStreamOperator<TelemetryEvent> accepted =
                unique.process(new TagLateEvents(config.allowedLateness().toMillis()))
                        .name("Tag late events")
                        .uid(UID_LATE);
        outputs.late().attach(accepted.getSideOutput(TagLateEvents.LATE));
        outputs.rawEvents().attach(accepted);
    }
}
