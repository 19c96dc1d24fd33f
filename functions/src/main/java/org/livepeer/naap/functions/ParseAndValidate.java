package org.livepeer.naap.functions;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.livepeer.naap.schemas.EventParser;
import org.livepeer.naap.schemas.ParseOutput;
import org.livepeer.naap.schemas.ParserConfig;
import org.livepeer.naap.schemas.RawRecord;
import org.livepeer.naap.schemas.Rejection;
import org.livepeer.naap.schemas.TelemetryEvent;

/**
 * Parses raw input records into events. A record holding a JSON array gives one event per element.
 *
 * <p>Input: {@link RawRecord}s, unkeyed, straight from a source. Main output: accepted {@link
 * TelemetryEvent}s. Side output {@link #REJECTED}: a {@link Rejection} with its reason class for
 * everything else; bad input never fails the job. Stateless. Each element of the input (an event,
 * or a whole record that is not a JSON array) counts once in {@code records_in}; a rejected one
 * also in {@code rejected}. Parsed events are counted as {@code accepted} or {@code duplicates} by
 * {@link DeduplicateEvents}, so that the three classes never overlap.
 */
public class ParseAndValidate extends ProcessFunction<RawRecord, TelemetryEvent>
        implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;

    public static final OutputTag<Rejection> REJECTED = new OutputTag<>("rejected") {};

    private final ParserConfig config;

    private transient EventParser parser;
    private transient Accounting accounting;
    private transient Accounting.Totals totals;

    public ParseAndValidate(ParserConfig config) {
        this.config = config;
    }

    @Override
    public void open(OpenContext openContext) {
        parser = new EventParser(config);
        accounting = new Accounting(getRuntimeContext(), totals);
        accounting.declare(Accounting.RECORDS_IN, Accounting.REJECTED);
    }

    @Override
    public void processElement(RawRecord record, Context ctx, Collector<TelemetryEvent> out) {
        parser.parse(
                record,
                new ParseOutput() {
                    @Override
                    public void accepted(TelemetryEvent event) {
                        accounting.count(Accounting.RECORDS_IN);
                        out.collect(event);
                    }

                    @Override
                    public void rejected(Rejection rejection) {
                        accounting.count(Accounting.RECORDS_IN);
                        accounting.count(Accounting.REJECTED);
                        accounting.count(Accounting.REJECTED_BY_REASON, "reason", rejection.reason);
                        ctx.output(REJECTED, rejection);
                    }
                });
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        totals = Accounting.Totals.restore(context);
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        totals.snapshot();
    }
}
