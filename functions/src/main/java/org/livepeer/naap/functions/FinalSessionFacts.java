package org.livepeer.naap.functions;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.livepeer.naap.schemas.output.SessionFact;

/**
 * Keeps the final facts of the session stream (the ones the archive holds) and counts them by
 * startup outcome and end reason ({@code sessions_by_outcome.<outcome>}, {@code
 * sessions_by_end.<reason>}, {@code sessions}), for the run summary and the job's metrics. A
 * session that was never requested counts as outcome {@code not_requested}. Stateless.
 */
public class FinalSessionFacts extends ProcessFunction<SessionFact, SessionFact>
        implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;

    public static final String SESSIONS = "sessions";
    public static final String BY_OUTCOME = "sessions_by_outcome";
    public static final String BY_END = "sessions_by_end";

    private transient Accounting accounting;
    private transient Accounting.Totals totals;

    @Override
    public void open(OpenContext openContext) {
        accounting = new Accounting(getRuntimeContext(), totals);
    }

    @Override
    public void processElement(SessionFact fact, Context ctx, Collector<SessionFact> out) {
        if (!SessionFact.STATUS_FINAL.equals(fact.status)) {
            return;
        }
        accounting.count(SESSIONS);
        accounting.count(
                BY_OUTCOME,
                "outcome",
                fact.startupOutcome == null ? "not_requested" : fact.startupOutcome);
        accounting.count(BY_END, "end_reason", fact.endReason == null ? "unknown" : fact.endReason);
        out.collect(fact);
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
