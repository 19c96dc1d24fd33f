package org.livepeer.naap.workload;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.livepeer.naap.workload.Network.Gateway;
import org.livepeer.naap.workload.Network.Orchestrator;

/**
 * The timeline of one session: what its gateway emits and when, in true time (the gateway's clock).
 * Runner-clock fields are stored in true time too; rendering adds the orchestrator's runner clock
 * offset. The random generator and the hand-worked tests build scripts with the same {@link
 * Builder}, so the tests exercise the same rendering, mess and truth code.
 */
final class SessionScript {

    /** Why the session's events stop before (or without) a close. */
    enum Cut {
        /** Not cut: the script closes the session (or ends without a close on its own). */
        NONE,
        /** Its orchestrator died at {@link #cutAt}. */
        ORCHESTRATOR_DIES,
        /** Its gateway went silent at {@link #cutAt}. */
        GATEWAY_SILENT,
        /** The simulation ended at {@link #cutAt} while it streamed. */
        SIMULATION_END
    }

    static final String REQUEST = "gateway_receive_stream_request";
    static final String SEND_FIRST_INGEST = "gateway_send_first_ingest_segment";
    static final String FIRST_PROCESSED = "gateway_receive_first_processed_segment";
    static final String FEW_PROCESSED = "gateway_receive_few_processed_segments";
    static final String CLOSED = "gateway_ingest_stream_closed";
    static final String NO_ORCHESTRATORS = "gateway_no_orchestrators_available";
    static final String SWAP = "orchestrator_swap";
    static final String RUNNER_REQUEST = "runner_receive_stream_request";
    static final String RUNNER_FIRST_INGEST = "runner_receive_first_ingest_segment";
    static final String RUNNER_FIRST_PROCESSED = "runner_send_first_processed_segment";

    final String streamId;
    final String requestId;
    final Gateway gateway;
    final String model;
    final Outcome outcome;
    final List<Step> steps;
    final long cutAt;
    final Cut cut;

    private SessionScript(Builder b) {
        this.streamId = b.streamId;
        this.requestId = b.requestId;
        this.gateway = b.gateway;
        this.model = b.model;
        this.outcome = b.outcome;
        List<Step> s = new ArrayList<>(b.steps);
        // Stable: steps at the same time keep the order they were added in.
        s.sort((x, y) -> Long.compare(x.at, y.at));
        this.steps = Collections.unmodifiableList(s);
        this.cutAt = b.cutAt;
        this.cut = b.cut;
    }

    String sessionId() {
        return streamId + "|" + requestId;
    }

    /** The first step time: when the session starts. */
    long start() {
        return steps.isEmpty() ? Long.MAX_VALUE : steps.get(0).at;
    }

    static Builder builder(
            String streamId, String requestId, Gateway gateway, String model, Outcome outcome) {
        return new Builder(streamId, requestId, gateway, model, outcome);
    }

    /** One thing the gateway emits for the session. */
    abstract static class Step {
        final long at;
        final Orchestrator orchestrator;

        Step(long at, Orchestrator orchestrator) {
            this.at = at;
            this.orchestrator = orchestrator;
        }
    }

    /** A {@code stream_trace}. */
    static final class Trace extends Step {
        final String subtype;
        final boolean runnerClock;
        final String message;

        Trace(long at, String subtype, Orchestrator o, boolean runnerClock, String message) {
            super(at, o);
            this.subtype = subtype;
            this.runnerClock = runnerClock;
            this.message = message;
        }
    }

    /** An {@code ai_stream_status} sample; every time field in true time (runner ones too). */
    static final class Status extends Step {
        String state = "ONLINE";
        double fps;
        double inputFps;
        long startTime;
        Long lastOutputTime;
        Long lastInputTime;
        JsonNode lastParams;
        String paramsHash;
        Long paramsUpdateTime;
        String lastError;
        Long lastErrorTime;
        JsonNode lastRestartLogs;
        Long lastRestartTime;
        int restartCount;
        Long lastStateUpdateTime;
        Long lastStatusTimestamp;

        Status(long at, Orchestrator o) {
            super(at, o);
        }
    }

    /** A {@code stream_ingest_metrics} sample: counters cumulative since the ingest (re)started. */
    static final class Ingest extends Step {
        long bytesReceived;
        long bytesSent;
        long packetsReceived;
        long packetsLost;
        double jitterMs;
        double packetLossPct;
        long rttNs;
        double lastInputTs;
        double lastOutputTs;
        double latencyS;
        long audioPacketsReceived;
        double audioJitterMs;

        Ingest(long at) {
            super(at, null);
        }
    }

    /**
     * An {@code ai_stream_events} event: {@code error}, {@code params_update} or {@code restart}.
     */
    static final class StreamEvent extends Step {
        final String type;
        final String message;
        final boolean runner;
        final JsonNode params;
        final int restartCount;
        final List<String> restartLogs;
        final boolean withOrchestratorInfo;

        StreamEvent(
                long at,
                Orchestrator o,
                String type,
                String message,
                boolean runner,
                JsonNode params,
                int restartCount,
                List<String> restartLogs,
                boolean withOrchestratorInfo) {
            super(at, o);
            this.type = type;
            this.message = message;
            this.runner = runner;
            this.params = params;
            this.restartCount = restartCount;
            this.restartLogs = restartLogs;
            this.withOrchestratorInfo = withOrchestratorInfo;
        }
    }

    /** A {@code create_new_payment}. */
    static final class Payment extends Step {
        final String paymentSessionId;
        final String requestId;
        final String manifestId;
        final BigInteger faceValueWei;
        final String winProb;
        final String price;
        final int numTickets;

        Payment(
                long at,
                Orchestrator o,
                String paymentSessionId,
                String requestId,
                String manifestId,
                BigInteger faceValueWei,
                String winProb,
                String price,
                int numTickets) {
            super(at, o);
            this.paymentSessionId = paymentSessionId;
            this.requestId = requestId;
            this.manifestId = manifestId;
            this.faceValueWei = faceValueWei;
            this.winProb = winProb;
            this.price = price;
            this.numTickets = numTickets;
        }
    }

    /** A {@code create_signed_ticket} from the gateway's remote signer. */
    static final class SignedTicket extends Step {
        final String paymentSessionId;
        final boolean first;
        final String manifestId;
        final long previousAt;
        final long pixels;
        final BigInteger fee;
        final BigInteger balance;
        final int sequence;
        final String authId;

        SignedTicket(
                long at,
                Orchestrator o,
                String paymentSessionId,
                boolean first,
                String manifestId,
                long previousAt,
                long pixels,
                BigInteger fee,
                BigInteger balance,
                int sequence,
                String authId) {
            super(at, o);
            this.paymentSessionId = paymentSessionId;
            this.first = first;
            this.manifestId = manifestId;
            this.previousAt = previousAt;
            this.pixels = pixels;
            this.fee = fee;
            this.balance = balance;
            this.sequence = sequence;
            this.authId = authId;
        }
    }

    static final class Builder {
        private final String streamId;
        private final String requestId;
        private final Gateway gateway;
        private final String model;
        private final Outcome outcome;
        private final List<Step> steps = new ArrayList<>();
        private long cutAt = Long.MAX_VALUE;
        private Cut cut = Cut.NONE;

        private Builder(
                String streamId, String requestId, Gateway gateway, String model, Outcome outcome) {
            this.streamId = streamId;
            this.requestId = requestId;
            this.gateway = gateway;
            this.model = model;
            this.outcome = outcome;
        }

        /** A gateway trace; {@code o} null gives the empty {@code orchestrator_info}. */
        Builder trace(long at, String subtype, Orchestrator o) {
            steps.add(new Trace(at, subtype, o, false, null));
            return this;
        }

        /** A runner trace: its timestamp is in the runner's clock. */
        Builder runnerTrace(long at, String subtype, Orchestrator o) {
            steps.add(new Trace(at, subtype, o, true, null));
            return this;
        }

        /** An {@code orchestrator_swap} naming the new orchestrator; it has no own timestamp. */
        Builder swap(long at, Orchestrator newOrchestrator, String message) {
            steps.add(new Trace(at, SWAP, newOrchestrator, false, message));
            return this;
        }

        Builder status(Status s) {
            steps.add(s);
            return this;
        }

        Builder ingest(Ingest s) {
            steps.add(s);
            return this;
        }

        /** A gateway error ({@code runner} false, no own time) or a runner error ({@code time}). */
        Builder error(long at, String message, Orchestrator o, boolean runner) {
            steps.add(new StreamEvent(at, o, "error", message, runner, null, 0, null, o != null));
            return this;
        }

        Builder paramsUpdate(long at, JsonNode params, Orchestrator o) {
            steps.add(new StreamEvent(at, o, "params_update", null, false, params, 0, null, true));
            return this;
        }

        Builder restart(long at, int restartCount, List<String> logs, Orchestrator o) {
            steps.add(
                    new StreamEvent(at, o, "restart", null, true, null, restartCount, logs, true));
            return this;
        }

        Builder payment(Payment p) {
            steps.add(p);
            return this;
        }

        Builder signedTicket(SignedTicket t) {
            steps.add(t);
            return this;
        }

        Builder close(long at) {
            return trace(at, CLOSED, null);
        }

        /** Nothing at or after {@code at} is emitted, for {@code why}. */
        Builder cut(long at, Cut why) {
            this.cutAt = at;
            this.cut = why;
            return this;
        }

        SessionScript build() {
            return new SessionScript(this);
        }
    }
}
