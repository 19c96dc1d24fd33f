package org.livepeer.naap.functions.metrics;

import static org.apache.flink.types.PojoTestUtils.assertSerializedAsPojoWithoutKryo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;
import org.livepeer.naap.schemas.EventParser;
import org.livepeer.naap.schemas.TelemetryEvent;
import org.livepeer.naap.schemas.family.Families;
import org.livepeer.naap.schemas.output.JobRow;

class JobsTest {

    /** 2026-01-15T13:30:00Z. */
    private static final long T0 = 1_768_483_800_000L;

    private static final ObjectMapper MAPPER = EventParser.newObjectMapper();

    private static final String ORCH_URL = "https://orch-a.example:8935";
    private static final String ORCH_ADDRESS = "0xAaAa00000000000000000000000000000000bEEF";
    private static final String ORCH_ADDRESS_LOWER = "0xaaaa00000000000000000000000000000000beef";
    private static final String ORCH_INFO =
            "\"orchestrator_info\":{\"address\":\""
                    + ORCH_ADDRESS
                    + "\",\"url\":\""
                    + ORCH_URL
                    + "\"}";

    private static String event(String id, String type, String gateway, String data) {
        return "{\"id\":\""
                + id
                + "\",\"type\":\""
                + type
                + "\",\"timestamp\":\""
                + T0
                + "\",\"gateway\":\""
                + gateway
                + "\",\"data\":"
                + data
                + "}";
    }

    private static final String BATCH_COMPLETED =
            event(
                    "b-2",
                    "ai_batch_request",
                    "gw-1.example",
                    "{\"type\":\"ai_batch_request_completed\",\"request_id\":\"r-1\","
                            + "\"pipeline\":\"text-to-image\",\"model_id\":\"sdxl-lightning\","
                            + "\"success\":true,\"tries\":1,\"duration_ms\":2250,"
                            + "\"orch_url\":\""
                            + ORCH_URL
                            + "\",\"latency_score\":0.512,\"price_per_unit\":\"7\","
                            + "\"error_type\":\"\",\"error\":null}");

    private static final String BATCH_PROCESSED =
            event(
                    "b-3",
                    "job-processed",
                    "",
                    "{\"ethAddress\":\""
                            + ORCH_ADDRESS
                            + "\",\"requestID\":\"r-1\",\"pipeline\":\"text-to-image\","
                            + "\"modelID\":\"sdxl-lightning\",\"responseTime\":1500000000,"
                            + "\"computeUnits\":2097152,\"pricePerComputeUnit\":7,"
                            + "\"fees\":14680064}");

    private static JobRow rowOf(String json) {
        return rowOf(MetricEvents.parse(json));
    }

    private static JobRow rowOf(TelemetryEvent e) {
        return Jobs.row(e, Families.decode(MAPPER, e));
    }

    @Test
    void aCompletedBatchRequestIsABatchAiRow() {
        JobRow r = rowOf(BATCH_COMPLETED);

        assertThat(r.eventId).isEqualTo("b-2");
        assertThat(r.eventTime).isEqualTo(T0);
        assertThat(r.family).isEqualTo("ai_batch_request");
        assertThat(r.kind).isEqualTo(JobRow.KIND_BATCH_AI);
        assertThat(r.stage).isEqualTo("ai_batch_request_completed");
        assertThat(r.requestId).isEqualTo("r-1");
        assertThat(r.gateway).isEqualTo("gw-1.example");
        assertThat(r.orchestratorUrl).isEqualTo(ORCH_URL);
        assertThat(r.orchestratorAddress).isNull();
        assertThat(r.pipeline).isEqualTo("text-to-image");
        assertThat(r.model).isEqualTo("sdxl-lightning");
        assertThat(r.success).isTrue();
        assertThat(r.durationMs).isEqualTo(2250.0);
        assertThat(r.realtimeRatio).isNull();
        assertThat(r.feesWei).isNull();
        assertThat(r.computeUnits).isNull();
        assertThat(r.tokens).isNull();
        assertThat(r.ttftMs).isNull();
        assertThat(r.tokensPerSecond).isNull();
        assertThat(r.error).isNull();
    }

    @Test
    void aFailedBatchRequestCarriesItsErrorElseItsErrorType() {
        JobRow withText =
                rowOf(
                        event(
                                "b-f1",
                                "ai_batch_request",
                                "gw-1.example",
                                "{\"type\":\"ai_batch_request_completed\",\"request_id\":\"r-2\","
                                        + "\"success\":false,\"tries\":2,\"duration_ms\":9000,"
                                        + "\"error_type\":\"timeout\","
                                        + "\"error\":\"context deadline exceeded\"}"));
        JobRow typeOnly =
                rowOf(
                        event(
                                "b-f2",
                                "ai_batch_request",
                                "gw-1.example",
                                "{\"type\":\"ai_batch_request_completed\",\"request_id\":\"r-3\","
                                        + "\"success\":\"false\",\"error_type\":\"timeout\","
                                        + "\"error\":\"\"}"));

        assertThat(withText.success).isFalse();
        assertThat(withText.error).isEqualTo("context deadline exceeded");
        assertThat(withText.durationMs).isEqualTo(9000.0);
        assertThat(typeOnly.success).isFalse();
        assertThat(typeOnly.error).isEqualTo("timeout");
        assertThat(typeOnly.durationMs).isNull();
    }

    @Test
    void reportsOfAJobsStartOrOfItsStepsAreNoRows() {
        List<String> notEnds =
                List.of(
                        event(
                                "b-1",
                                "ai_batch_request",
                                "gw-1.example",
                                "{\"type\":\"ai_batch_request_received\",\"request_id\":\"r-1\","
                                        + "\"pipeline\":\"text-to-image\"}"),
                        event(
                                "jr-1",
                                "job-received",
                                "",
                                "{\"ethAddress\":\""
                                        + ORCH_ADDRESS
                                        + "\",\"requestID\":\"r-1\",\"pipeline\":\"text-to-image\"}"),
                        event(
                                "a-1",
                                "job_auth",
                                "",
                                "{\"request_id\":\"r-4\",\"capability\":\"text-reverser\","
                                        + "\"success\":true,"
                                        + ORCH_INFO
                                        + "}"),
                        event(
                                "pay-1",
                                "job_payment",
                                "",
                                "{\"request_id\":\"r-4\",\"capability\":\"text-reverser\","
                                        + "\"amount\":\"1000\",\"currency\":\"wei\"}"),
                        event(
                                "w-1",
                                "worker_lifecycle",
                                "",
                                "{\"capability\":\"text-reverser\",\"success\":true,"
                                        + "\"worker_url\":\"http://10.0.1.50:9000\"}"),
                        event(
                                "l-0",
                                "ai_llm_request",
                                "gw-1.example",
                                "{\"type\":\"llm_request_started\",\"request_id\":\"r-5\"}"));

        for (String json : notEnds) {
            assertThat(rowOf(json)).as(json).isNull();
        }
    }

    @Test
    void batchJobProcessedResponseTimeIsNanoseconds() {
        JobRow r = rowOf(BATCH_PROCESSED);

        assertThat(r.kind).isEqualTo(JobRow.KIND_BATCH_AI_ORCHESTRATOR);
        assertThat(r.family).isEqualTo("job-processed");
        assertThat(r.stage).isEqualTo("job-processed");
        assertThat(r.requestId).isEqualTo("r-1");
        assertThat(r.gateway).isNull();
        assertThat(r.orchestratorAddress).isEqualTo(ORCH_ADDRESS_LOWER);
        assertThat(r.orchestratorUrl).isNull();
        assertThat(r.pipeline).isEqualTo("text-to-image");
        assertThat(r.model).isEqualTo("sdxl-lightning");
        // 1500000000 ns = 1500 ms
        assertThat(r.durationMs).isEqualTo(1500.0);
        assertThat(r.success).isTrue();
        assertThat(r.realtimeRatio).isNull();
        assertThat(r.feesWei).isEqualByComparingTo("14680064");
        assertThat(r.computeUnits).isEqualTo(2_097_152L);
    }

    @Test
    void theRealTranscodingSampleTakesItsProcessingTimeAsDuration() throws Exception {
        List<TelemetryEvent> sink = MetricEvents.sample("hackathon-sink-events.jsonl");
        JobRow r = rowOf(MetricEvents.withId(sink, "9255b365-50b3-4620-b6ea-ff5a7f727506"));

        // {"computeUnits":41580000,"duration":4167,"fees":5696460000,"realTimeRatio":4,
        //  "responseTime":845}: a 4167 ms segment processed in 845 ms
        assertThat(r.kind).isEqualTo(JobRow.KIND_TRANSCODE);
        assertThat(r.stage).isEqualTo("job-processed");
        assertThat(r.requestId).isNull();
        assertThat(r.pipeline).isNull();
        assertThat(r.model).isNull();
        assertThat(r.orchestratorAddress).isEqualTo("0x5263e0ce3a97b634d8828ce4337ad0f70b30b077");
        assertThat(r.durationMs).isEqualTo(845.0);
        assertThat(r.realtimeRatio).isEqualTo(4.0);
        assertThat(r.success).isTrue();
        assertThat(r.feesWei).isEqualByComparingTo("5696460000");
        assertThat(r.computeUnits).isEqualTo(41_580_000L);
        assertThat(r.error).isNull();
    }

    @Test
    void llmRequestsSucceedWhenTheirErrorIsEmpty() {
        JobRow stream =
                rowOf(
                        event(
                                "l-1",
                                "ai_llm_request",
                                "gw-2.example",
                                "{\"type\":\"llm_stream_completed\",\"request_id\":\"r-6\","
                                        + "\"model\":\"llama-3.1-8b\",\"orch_url\":\""
                                        + ORCH_URL
                                        + "\",\"prompt_tokens\":120,\"completion_tokens\":380,"
                                        + "\"total_tokens\":500,\"total_duration_ms\":5300,"
                                        + "\"tokens_per_second\":73.5,\"ttft_ms\":130,"
                                        + "\"finish_reason\":\"stop\",\"error\":\"\"}"));
        JobRow failed =
                rowOf(
                        event(
                                "l-2",
                                "ai_llm_request",
                                "gw-2.example",
                                "{\"type\":\"llm_request_completed\",\"request_id\":\"r-7\","
                                        + "\"model\":\"llama-3.1-8b\",\"error\":\"upstream 502\"}"));

        assertThat(stream.kind).isEqualTo(JobRow.KIND_LLM);
        assertThat(stream.stage).isEqualTo("llm_stream_completed");
        assertThat(stream.pipeline).isEqualTo("llm");
        assertThat(stream.model).isEqualTo("llama-3.1-8b");
        assertThat(stream.orchestratorUrl).isEqualTo(ORCH_URL);
        assertThat(stream.gateway).isEqualTo("gw-2.example");
        assertThat(stream.success).isTrue();
        assertThat(stream.error).isNull();
        assertThat(stream.durationMs).isEqualTo(5300.0);
        assertThat(stream.tokens).isEqualTo(500L);
        assertThat(stream.ttftMs).isEqualTo(130.0);
        assertThat(stream.tokensPerSecond).isEqualTo(73.5);
        assertThat(stream.realtimeRatio).isNull();
        assertThat(stream.feesWei).isNull();

        assertThat(failed.stage).isEqualTo("llm_request_completed");
        assertThat(failed.success).isFalse();
        assertThat(failed.error).isEqualTo("upstream 502");
        assertThat(failed.tokens).isNull();
        assertThat(failed.durationMs).isNull();
    }

    @Test
    void containerJobsFromBothSidesWithTheirAmountInWei() {
        String options =
                "\"worker_options\":[{\"model\":\"text-reverser-v1\"},{\"model\":\"text-reverser-v1\"}]";
        JobRow gateway =
                rowOf(
                        event(
                                "g-1",
                                "job_gateway",
                                "gw-1.example",
                                "{\"request_id\":\"r-8\",\"capability\":\"text-reverser\","
                                        + "\"success\":true,\"duration_ms\":640,"
                                        + "\"http_status\":200,"
                                        + "\"worker_url\":\"http://10.0.1.50:9000\","
                                        + ORCH_INFO
                                        + ",\"amount\":\"1000500000\",\"currency\":\"wei\","
                                        + options
                                        + "}"));
        JobRow orchestrator =
                rowOf(
                        event(
                                "o-1",
                                "job_orchestrator",
                                "",
                                "{\"request_id\":\"r-8\",\"capability\":\"text-reverser\","
                                        + "\"success\":false,\"duration_ms\":630,"
                                        + "\"http_status\":500,"
                                        + ORCH_INFO
                                        + ",\"worker_options\":[{\"model\":\"a\"},{\"model\":\"b\"}]}"));
        JobRow eth =
                rowOf(
                        event(
                                "g-2",
                                "job_gateway",
                                "gw-1.example",
                                "{\"request_id\":\"r-9\",\"amount\":\"0.001\",\"currency\":\"ETH\"}"));
        JobRow dollars =
                rowOf(
                        event(
                                "g-3",
                                "job_gateway",
                                "gw-1.example",
                                "{\"request_id\":\"r-10\",\"amount\":\"5\",\"currency\":\"USD\"}"));

        assertThat(gateway.kind).isEqualTo(JobRow.KIND_BYOC);
        assertThat(gateway.family).isEqualTo("job_gateway");
        assertThat(gateway.stage).isEqualTo("job_gateway");
        assertThat(gateway.requestId).isEqualTo("r-8");
        assertThat(gateway.gateway).isEqualTo("gw-1.example");
        assertThat(gateway.orchestratorUrl).isEqualTo(ORCH_URL);
        assertThat(gateway.orchestratorAddress).isEqualTo(ORCH_ADDRESS_LOWER);
        assertThat(gateway.pipeline).isEqualTo("text-reverser");
        assertThat(gateway.model).isEqualTo("text-reverser-v1");
        assertThat(gateway.success).isTrue();
        assertThat(gateway.durationMs).isEqualTo(640.0);
        assertThat(gateway.feesWei).isEqualByComparingTo("1000500000");
        assertThat(gateway.realtimeRatio).isNull();
        assertThat(gateway.error).isNull();

        assertThat(orchestrator.stage).isEqualTo("job_orchestrator");
        assertThat(orchestrator.gateway).isNull();
        assertThat(orchestrator.success).isFalse();
        assertThat(orchestrator.durationMs).isEqualTo(630.0);
        assertThat(orchestrator.model).as("workers of different models").isNull();
        assertThat(orchestrator.feesWei).isNull();

        // 0.001 ETH = 10^15 wei
        assertThat(eth.feesWei).isEqualByComparingTo("1000000000000000");
        assertThat(dollars.feesWei).isNull();
    }

    @Test
    void emitsRowsForJobEndsOnlyAndCountsWhatDoesNotDecode() throws Exception {
        Jobs jobs = new Jobs();
        try (OneInputStreamOperatorTestHarness<TelemetryEvent, JobRow> h =
                ProcessFunctionTestHarnesses.forProcessFunction(jobs)) {
            TelemetryEvent broken = MetricEvents.parse(BATCH_PROCESSED);
            broken.eventId = "b-broken";
            broken.payload = "[1,";
            List<TelemetryEvent> events =
                    List.of(
                            MetricEvents.parse(
                                    event(
                                            "b-1",
                                            "ai_batch_request",
                                            "gw-1.example",
                                            "{\"type\":\"ai_batch_request_received\"}")),
                            MetricEvents.parse(BATCH_PROCESSED),
                            broken,
                            MetricEvents.parse(
                                    event(
                                            "t-1",
                                            "node_trace",
                                            "gw-1.example",
                                            "\"gateway-reset\"")),
                            MetricEvents.parse(BATCH_COMPLETED));
            for (TelemetryEvent e : events) {
                h.processElement(new StreamRecord<>(e, e.eventTime));
            }

            assertThat(h.extractOutputValues())
                    .extracting(r -> r.eventId + ":" + r.kind)
                    .containsExactly("b-3:batch_ai_orchestrator", "b-2:batch_ai");
            assertThat(jobs.getRuntimeContext().getAccumulator(Jobs.UNDECODABLE).getLocalValue())
                    .isEqualTo(1L);
        }
    }

    @Test
    void theRowIsAFlinkPojo() {
        assertSerializedAsPojoWithoutKryo(JobRow.class);
    }
}
