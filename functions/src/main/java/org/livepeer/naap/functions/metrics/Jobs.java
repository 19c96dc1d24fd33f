package org.livepeer.naap.functions.metrics;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.livepeer.naap.functions.Accounting;
import org.livepeer.naap.schemas.Addresses;
import org.livepeer.naap.schemas.EventParser;
import org.livepeer.naap.schemas.Family;
import org.livepeer.naap.schemas.TelemetryEvent;
import org.livepeer.naap.schemas.family.AiBatchRequest;
import org.livepeer.naap.schemas.family.AiLlmRequest;
import org.livepeer.naap.schemas.family.Amount;
import org.livepeer.naap.schemas.family.ByocJob;
import org.livepeer.naap.schemas.family.Families;
import org.livepeer.naap.schemas.family.FamilyPayload;
import org.livepeer.naap.schemas.family.InvalidPayloadException;
import org.livepeer.naap.schemas.family.JobProcessed;
import org.livepeer.naap.schemas.output.JobRow;
import org.livepeer.naap.schemas.output.WeiDecimal;

/**
 * Turns the report of a finished non-live job into one {@link JobRow} for {@code naap.jobs}. Only
 * reports of a job's end become rows, because only they say how it went (success, duration); the
 * reports of its start or of a step on its way carry neither and would only double the rows:
 *
 * <ul>
 *   <li>{@code ai_batch_request} {@code ai_batch_request_completed}: kind {@code batch_ai}. Its
 *       {@code ai_batch_request_received} is no row: the request's arrival, with no outcome (its
 *       completion follows with the same request id).
 *   <li>{@code ai_llm_request} {@code llm_request_completed} and {@code llm_stream_completed}: kind
 *       {@code llm}.
 *   <li>{@code job_gateway} and {@code job_orchestrator}: kind {@code byoc}, the gateway's and the
 *       orchestrator's report of the same job (count one stage to count jobs). {@code job_auth},
 *       {@code job_payment} and {@code worker_lifecycle} are no rows: a job's authorization and
 *       payment steps, and a worker's registration, not a job's end.
 *   <li>{@code job-processed}: kind {@code transcode} when it names no request id and no pipeline,
 *       else {@code batch_ai_orchestrator} ({@link JobProcessed#batchAi()}). {@code job-received}
 *       is no row: the orchestrator's receipt, with no outcome.
 * </ul>
 *
 * <p>Per kind, the columns that need a choice:
 *
 * <ul>
 *   <li>{@code duration_ms}: batch AI and bring-your-own-container {@code duration_ms}, LLM {@code
 *       total_duration_ms}, all as sent in ms. For {@code job-processed}, the processing time
 *       {@code responseTime}: sent in ms for transcoding and in <b>nanoseconds</b> for batch AI
 *       (EVENTS.md), so divided by 10^6 there. A transcoding event also carries {@code duration},
 *       but that is the segment's media length, not how long the job took: taking it would make
 *       transcoding durations incomparable with every other kind (and its length is what {@code
 *       realtime_ratio} already relates the processing time to). It stays in {@code
 *       naap.raw_events}.
 *   <li>{@code success}: as sent for batch AI and bring-your-own-container jobs. LLM events have no
 *       success field: a completed request succeeded when its {@code error} is empty (null and
 *       {@code ""} both mean none). {@code job-processed}: true, since an orchestrator sends it for
 *       work it finished and charged for (it carries the fees); a failed job sends none.
 *   <li>{@code realtime_ratio}: transcoding's {@code realTimeRatio} as sent; null for every other
 *       kind, as none of their events carries a media duration to relate the processing time to.
 *   <li>{@code fees_wei}: {@code job-processed} {@code fees} (wei); a bring-your-own-container
 *       job's {@code amount} in its {@code currency} (wei, gwei or ETH; no currency means wei; any
 *       other currency gives null); null for gateway batch AI (which sends a unit price but no
 *       units) and LLM requests.
 *   <li>{@code pipeline} and {@code model}: batch AI's {@code pipeline} and {@code model_id}; LLM
 *       {@code llm} (the pipeline LLM jobs run) and {@code model}; a container job's {@code
 *       capability} and the model of its {@code worker_options} when they all name the same one;
 *       {@code job-processed}'s {@code pipeline} and {@code modelID} (none for transcoding).
 *   <li>{@code error}: batch AI's {@code error}, else its {@code error_type}; LLM {@code error};
 *       null for the others, which send no error text.
 *   <li>{@code orchestrator_url} from {@code orch_url} or {@code orchestrator_info.url}; {@code
 *       orchestrator_address} from {@code orchestrator_info.address} or {@code ethAddress},
 *       lower-cased (a container job's {@code orchestrator_info.address} may be a hot wallet).
 * </ul>
 *
 * <p>Stateless: at most one output per event. An event of a job family that does not decode (the
 * parser validated it with the same decoder, so none should) is counted as {@value #UNDECODABLE}
 * and dropped, never thrown. Late events are rows like any other.
 */
public class Jobs extends ProcessFunction<TelemetryEvent, JobRow> {
    private static final long serialVersionUID = 1L;

    /** The count of job events that did not decode. */
    public static final String UNDECODABLE = "jobs_undecodable";

    public static final String BATCH_COMPLETED = "ai_batch_request_completed";
    public static final String LLM_REQUEST_COMPLETED = "llm_request_completed";
    public static final String LLM_STREAM_COMPLETED = "llm_stream_completed";

    /** The pipeline LLM jobs run (the {@code job-received} of an LLM job names it). */
    public static final String LLM_PIPELINE = "llm";

    /** The families that can give a row; for the others nothing is decoded. */
    private static final Set<String> FAMILIES =
            Set.of(
                    Family.AI_BATCH_REQUEST.wireName(),
                    Family.AI_LLM_REQUEST.wireName(),
                    Family.JOB_GATEWAY.wireName(),
                    Family.JOB_ORCHESTRATOR.wireName(),
                    Family.JOB_PROCESSED.wireName());

    private transient ObjectMapper mapper;
    private transient Accounting accounting;

    @Override
    public void open(OpenContext openContext) {
        mapper = EventParser.newObjectMapper();
        accounting = new Accounting(getRuntimeContext());
    }

    @Override
    public void processElement(TelemetryEvent event, Context ctx, Collector<JobRow> out) {
        if (!FAMILIES.contains(event.family)) {
            return;
        }
        FamilyPayload payload;
        try {
            payload = Families.decode(mapper, event);
        } catch (InvalidPayloadException e) {
            accounting.count(UNDECODABLE);
            return;
        }
        JobRow row = row(event, payload);
        if (row != null) {
            out.collect(row);
        }
    }

    /**
     * The row of one event and its decoded payload; null when the event is not the end of a job
     * (see the table above).
     */
    public static JobRow row(TelemetryEvent event, FamilyPayload payload) {
        if (payload instanceof AiBatchRequest b) {
            return BATCH_COMPLETED.equals(b.type()) ? batch(event, b) : null;
        }
        if (payload instanceof AiLlmRequest l) {
            return LLM_REQUEST_COMPLETED.equals(l.type()) || LLM_STREAM_COMPLETED.equals(l.type())
                    ? llm(event, l)
                    : null;
        }
        if (payload instanceof ByocJob j) {
            return Family.JOB_GATEWAY.wireName().equals(event.family)
                            || Family.JOB_ORCHESTRATOR.wireName().equals(event.family)
                    ? byoc(event, j)
                    : null;
        }
        if (payload instanceof JobProcessed p) {
            return processed(event, p);
        }
        return null;
    }

    private static JobRow batch(TelemetryEvent e, AiBatchRequest b) {
        JobRow r = base(e, JobRow.KIND_BATCH_AI, b.type());
        r.requestId = b.requestId();
        r.orchestratorUrl = b.orchUrl();
        r.pipeline = b.pipeline();
        r.model = b.modelId();
        r.success = b.success();
        r.durationMs = b.durationMs();
        r.error = b.error() != null ? b.error() : b.errorType();
        return r;
    }

    private static JobRow llm(TelemetryEvent e, AiLlmRequest l) {
        JobRow r = base(e, JobRow.KIND_LLM, l.type());
        r.requestId = l.requestId();
        r.orchestratorUrl = l.orchUrl();
        r.pipeline = LLM_PIPELINE;
        r.model = l.model();
        r.success = l.error() == null;
        r.durationMs = l.totalDurationMs();
        r.tokens = l.totalTokens();
        r.ttftMs = l.ttftMs();
        r.tokensPerSecond = l.tokensPerSecond();
        r.error = l.error();
        return r;
    }

    private static JobRow byoc(TelemetryEvent e, ByocJob j) {
        JobRow r = base(e, JobRow.KIND_BYOC, e.family);
        r.requestId = j.requestId();
        if (j.orchestratorInfo() != null) {
            r.orchestratorUrl = j.orchestratorInfo().url();
            r.orchestratorAddress = Addresses.normalize(j.orchestratorInfo().address());
        }
        r.pipeline = j.capability();
        r.model = onlyModel(j.workerModels());
        r.success = j.success();
        r.durationMs = j.durationMs();
        r.feesWei = WeiDecimal.fit(inWei(j.amount(), j.currency()));
        return r;
    }

    private static JobRow processed(TelemetryEvent e, JobProcessed p) {
        JobRow r =
                base(
                        e,
                        p.batchAi() ? JobRow.KIND_BATCH_AI_ORCHESTRATOR : JobRow.KIND_TRANSCODE,
                        e.family);
        r.requestId = p.requestId();
        r.orchestratorAddress = Addresses.normalize(p.ethAddress());
        r.pipeline = p.pipeline();
        r.model = p.modelId();
        r.success = true;
        r.durationMs = p.responseTimeMs();
        r.realtimeRatio = p.batchAi() ? null : p.realTimeRatio();
        r.feesWei = WeiDecimal.fit(p.fees());
        r.computeUnits = p.computeUnits();
        return r;
    }

    private static JobRow base(TelemetryEvent e, String kind, String stage) {
        JobRow r = new JobRow();
        r.eventId = e.eventId;
        r.eventTime = e.eventTime;
        r.family = e.family;
        r.kind = kind;
        r.stage = stage;
        r.gateway = e.gateway;
        return r;
    }

    /** The one model all entries name; null when none or when they differ. */
    private static String onlyModel(List<String> models) {
        if (models == null || models.isEmpty()) {
            return null;
        }
        String first = models.get(0);
        for (String m : models) {
            if (!first.equals(m)) {
                return null;
            }
        }
        return first;
    }

    /**
     * An amount in a currency, in wei, by the rules of {@link Amount} (wei, gwei, ETH; a bare
     * amount is wei); null for an unknown currency.
     */
    private static BigDecimal inWei(BigDecimal amount, String currency) {
        if (amount == null) {
            return null;
        }
        String text = amount.toPlainString();
        Amount a = Amount.parse(currency == null ? text : text + " " + currency.trim());
        return a == null ? null : a.wei();
    }
}
