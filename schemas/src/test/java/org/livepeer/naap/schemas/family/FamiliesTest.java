package org.livepeer.naap.schemas.family;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.livepeer.naap.schemas.EventParser;
import org.livepeer.naap.schemas.Family;
import org.livepeer.naap.schemas.ParseOutput;
import org.livepeer.naap.schemas.ParserConfig;
import org.livepeer.naap.schemas.RawRecord;
import org.livepeer.naap.schemas.Rejection;
import org.livepeer.naap.schemas.TelemetryEvent;

/** Typed decoding of every family, with values checked against the input text. */
class FamiliesTest {
    private static final ObjectMapper MAPPER = EventParser.newObjectMapper();

    private static List<String> sample(String name) throws IOException {
        try (InputStream in = FamiliesTest.class.getResourceAsStream("/naap/samples/" + name)) {
            return List.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n"));
        }
    }

    /** Parses one record and decodes its single event, as a downstream task would. */
    private static FamilyPayload decoded(String record) {
        List<TelemetryEvent> events = new ArrayList<>();
        new EventParser(ParserConfig.defaults())
                .parse(
                        new RawRecord(record.getBytes(StandardCharsets.UTF_8), "t", "t", 0, 0, 0),
                        new ParseOutput() {
                            @Override
                            public void accepted(TelemetryEvent event) {
                                events.add(event);
                            }

                            @Override
                            public void rejected(Rejection rejection) {
                                throw new AssertionError(rejection.toString());
                            }
                        });
        assertThat(events).hasSize(1);
        return Families.decode(MAPPER, events.get(0));
    }

    private static FamilyPayload decode(Family family, String payloadJson) throws IOException {
        return Families.decode(family, MAPPER.readTree(payloadJson));
    }

    private static String kafka(String type, String data) {
        return "{\"id\":\"f-1\",\"type\":\""
                + type
                + "\",\"timestamp\":\"1768483619196\",\"gateway\":\"\",\"data\":"
                + data
                + "}";
    }

    @Test
    void decodesStreamTrace() throws IOException {
        StreamTrace t = (StreamTrace) decoded(sample("kafka-envelope-events.jsonl").get(4));

        assertThat(t.type()).isEqualTo("gateway_ingest_stream_closed");
        assertThat(t.timestamp()).isEqualTo(1_768_483_619_196L);
        assertThat(t.streamId()).isEqualTo("stream-3hc4ok-mkfh9jxs");
        assertThat(t.requestId()).isEqualTo("5291f1cf");
        assertThat(t.pipelineId()).isNull();
        assertThat(t.orchestratorInfo()).as("{\"\",\"\"} is unknown").isNull();
        assertThat(t.subtype()).isEqualTo("gateway_ingest_stream_closed");
    }

    @Test
    void decodesAiStreamStatusWithNestedStatuses() throws IOException {
        AiStreamStatus s = (AiStreamStatus) decoded(sample("kafka-envelope-events.jsonl").get(3));

        assertThat(s.state()).isEqualTo("DEGRADED_INPUT");
        assertThat(s.pipeline()).isEqualTo("streamdiffusion-sdxl-faceid");
        assertThat(s.startTime()).isEqualTo(1_768_483_248_931L);
        assertThat(s.timestamp()).isEqualTo(1_768_483_618_933L);
        assertThat(s.lastStatusTimestamp()).isEqualTo(1_768_483_608_933L);
        assertThat(s.lastStateUpdateTime()).isEqualTo(1_768_483_602_872L);
        assertThat(s.inferenceStatus().fps()).isEqualTo(15.089916320451984);
        assertThat(s.inferenceStatus().lastError()).isNull();
        assertThat(s.inferenceStatus().lastErrorTime()).isNull();
        assertThat(s.inferenceStatus().lastOutputTime()).isEqualTo(1_768_483_618_914L);
        assertThat(s.inferenceStatus().lastParams()).isEqualTo("{\"height\":512,\"width\":512}");
        assertThat(s.inferenceStatus().lastParamsHash())
                .isEqualTo("f2f41bce75e30de92f8c308a6722859b");
        assertThat(s.inferenceStatus().restartCount()).isZero();
        assertThat(s.inputStatus().fps()).isEqualTo(14.98998309978674);
        assertThat(s.inputStatus().lastInputTime()).isEqualTo(1_768_483_618_896L);
        assertThat(s.orchestratorInfo())
                .isEqualTo(
                        new OrchestratorInfo(
                                "0x52cf2968b3dc6016778742d3539449a6597d5954",
                                "https://rtav-orch2.xodeapp.xyz:28935"));
    }

    @Test
    void decodesRunnerRestartEventWithFloatSeconds() throws IOException {
        AiStreamEvent e =
                (AiStreamEvent)
                        decode(
                                Family.AI_STREAM_EVENTS,
                                "{\"type\":\"restart\",\"stream_id\":\"s\",\"restart_count\":\"3\","
                                        + "\"restart_time\":1768483618.5,\"restart_logs\":[\"a\",\"b\"],"
                                        + "\"time\":\"1768483617.25\",\"params\":{\"prompt\":\"cat\"}}");

        assertThat(e.type()).isEqualTo("restart");
        assertThat(e.restartCount()).isEqualTo(3L);
        assertThat(e.restartTime()).isEqualTo(1_768_483_618_500L);
        assertThat(e.time()).isEqualTo(1_768_483_617_250L);
        assertThat(e.restartLogs()).isEqualTo("[\"a\",\"b\"]");
        assertThat(e.params()).isEqualTo("{\"prompt\":\"cat\"}");
        assertThat(e.requestId()).isNull();
    }

    @Test
    void decodesGatewayErrorEvent() throws IOException {
        AiStreamEvent e = (AiStreamEvent) decoded(sample("kafka-envelope-events.jsonl").get(1));

        assertThat(e.type()).isEqualTo("error");
        assertThat(e.message()).isEqualTo("whip disconnected");
        assertThat(e.capability()).isNull();
        assertThat(e.timestamp()).isNull();
    }

    @Test
    void decodesStreamIngestMetrics() throws IOException {
        StreamIngestMetrics m =
                (StreamIngestMetrics) decoded(sample("kafka-envelope-events.jsonl").get(2));

        assertThat(m.peerConnStats())
                .isEqualTo(
                        new StreamIngestMetrics.PeerConnStats(
                                "iceTransport", 66_040_673L, 272_347L));
        assertThat(m.trackStats()).hasSize(2);
        assertThat(m.track("video").jitter()).isEqualTo(8.667245625521273);
        assertThat(m.track("video").packetsReceived()).isEqualTo(56_264L);
        assertThat(m.track("video").lastInputTs()).isEqualTo(369.708);
        assertThat(m.track("video").latency()).isZero();
        assertThat(m.track("audio").packetsReceived()).isEqualTo(18_496L);
        assertThat(m.track("data")).isNull();
        assertThat(m.connQuality()).isEqualTo("good");
        assertThat(m.timestamp()).isEqualTo(1_768_483_618_943L);
    }

    @Test
    void decodesDiscoveryResultsWithStringLatency() throws IOException {
        DiscoveryResults d =
                (DiscoveryResults) decoded(sample("hackathon-sink-events.jsonl").get(4));

        assertThat(d.entries())
                .containsExactly(
                        new DiscoveryResults.Entry(
                                "0x52cf2968b3dc6016778742d3539449a6597d5954",
                                "https://localhost:18935",
                                93L));
    }

    @Test
    void decodesPaymentAmountsIntoWei() throws IOException {
        CreateNewPayment p =
                (CreateNewPayment) decoded(sample("hackathon-sink-events.jsonl").get(6));

        assertThat(p.faceValue().text()).isEqualTo("3400000000000000 WEI");
        assertThat(p.faceValue().wei()).isEqualByComparingTo("3400000000000000");
        assertThat(p.faceValue().unit()).isEqualTo("WEI");
        assertThat(p.price().wei()).isEqualByComparingTo("137.038");
        assertThat(p.price().unit()).isEqualTo("wei/pixel");
        assertThat(p.winProb()).isEqualTo(0.0000147059);
        assertThat(p.numTickets()).isEqualTo(1L);
        assertThat(p.requestId()).isNull();
        assertThat(p.sessionId()).isEqualTo("3198bee9");
        assertThat(p.manifestId()).isEqualTo("mike-test");
        assertThat(p.capability()).isNull();
        // 3.4e15 wei x 1.47059e-5 = 50000060000 wei
        assertThat(p.expectedValueWei()).isEqualByComparingTo("50000060000");
    }

    @Test
    void convertsEthAndGweiAmounts() {
        assertThat(Amount.parse("0.0034 ETH").wei()).isEqualByComparingTo("3400000000000000");
        assertThat(Amount.parse("0.0034 ETH").wei().toPlainString()).isEqualTo("3400000000000000");
        assertThat(Amount.parse("2 gwei").wei()).isEqualByComparingTo("2000000000");
        assertThat(Amount.parse("2402400000000000").wei()).isEqualByComparingTo("2402400000000000");
        assertThat(Amount.parse("2402400000000000").unit()).isNull();
        assertThat(Amount.parse("12 USD").wei()).isNull();
        assertThat(Amount.parse("12 USD").unit()).isEqualTo("USD");
        assertThat(Amount.parse("lots").wei()).isNull();
        assertThat(Amount.parse("")).isNull();
    }

    @Test
    void decodesCreateSignedTicket() throws IOException {
        CreateSignedTicket t =
                (CreateSignedTicket)
                        decode(
                                Family.CREATE_SIGNED_TICKET,
                                "{\"session_id\":\"s-1\",\"session_status\":\"new\","
                                        + "\"orch_address\":\"0xAB\",\"orch_url\":\"https://o\","
                                        + "\"current_time\":\"2026-01-15T13:26:59Z\","
                                        + "\"current_time_unix\":1768483619000,\"billable_secs\":\"10.5\","
                                        + "\"pixels\":3110400,\"computed_fee\":\"4682\",\"cost\":\"\","
                                        + "\"sequence_number\":3}");

        assertThat(t.sessionId()).isEqualTo("s-1");
        assertThat(t.sessionStatus()).isEqualTo("new");
        assertThat(t.currentTime()).isEqualTo(1_768_483_619_000L);
        assertThat(t.currentTimeUnix()).isEqualTo(1_768_483_619_000L);
        assertThat(t.billableSecs()).isEqualTo(10.5);
        assertThat(t.pixels()).isEqualTo(3_110_400L);
        assertThat(t.computedFee().wei()).isEqualByComparingTo("4682");
        assertThat(t.cost()).isNull();
        assertThat(t.sequenceNumber()).isEqualTo(3L);
        assertThat(t.previousTime()).isNull();
        assertThat(t.nodeIds()).containsExactly("orchestrator:0xab", "orchestrator_uri:https://o");
    }

    @Test
    void decodesNetworkCapabilitiesSample() throws IOException {
        NetworkCapabilities c =
                (NetworkCapabilities) decoded(sample("hackathon-sink-events.jsonl").get(5));

        assertThat(c.orchestrators()).hasSize(1);
        NetworkCapabilities.Orchestrator o = c.orchestrators().get(0);
        assertThat(o.address()).isEqualTo("0x5263E0Ce3a97B634D8828CE4337aD0F70B30B077");
        assertThat(o.localAddress()).isEqualTo("0x52CF2968b3DC6016778742D3539449a6597D5954");
        assertThat(o.orchUri()).isEqualTo("https://localhost:18935");
        assertThat(o.capabilities().bitstring()).containsExactly(94_422_687_743L);
        assertThat(o.capabilities().capacities())
                .hasSize(27)
                .containsEntry("0", 2L)
                .containsEntry("36", 1L);
        assertThat(o.capabilities().version()).isEqualTo("0.8.3");
        assertThat(o.capabilities().minVersion()).isEqualTo("0.8.3");
        assertThat(o.capabilities().perCapability()).isNull();
        assertThat(o.prices()).isNull();
        assertThat(o.hardware()).isNull();
    }

    @Test
    void decodesModelsPricesAndGpusWhateverTheGpuInfoForm() throws IOException {
        String entry =
                "{\"address\":\"0xAA\",\"capabilities\":{\"constraints\":{\"PerCapability\":"
                        + "{\"35\":{\"models\":{\"sdxl\":{\"warm\":true,\"capacity\":2,"
                        + "\"capacityInUse\":\"1\",\"runnerVersion\":\"0.14.1\"}}}}}},"
                        + "\"capabilities_prices\":[{\"pricePerUnit\":1505,\"pixelsPerUnit\":1,"
                        + "\"capability\":35,\"constraint\":\"sdxl\"}],"
                        + "\"hardware\":[{\"pipeline\":\"live-video-to-video\",\"model_id\":\"sdxl\","
                        + "\"gpu_info\":GPUS}]}";
        String gpu =
                "{\"id\":\"GPU-1\",\"name\":\"RTX 4090\",\"major\":8,\"minor\":9,"
                        + "\"memory_free\":1000,\"memory_total\":24000}";
        NetworkCapabilities asMap =
                (NetworkCapabilities)
                        decode(
                                Family.NETWORK_CAPABILITIES,
                                "["
                                        + entry.replace("GPUS", "{\"0\":" + gpu + ",\"1\":null}")
                                        + "]");
        NetworkCapabilities asArray =
                (NetworkCapabilities)
                        decode(Family.NETWORK_CAPABILITIES, entry.replace("GPUS", "[" + gpu + "]"));

        NetworkCapabilities.Orchestrator o = asMap.orchestrators().get(0);
        assertThat(o.capabilities().perCapability().get("35").get("sdxl"))
                .isEqualTo(new NetworkCapabilities.Model(true, 2L, 1L, "0.14.1"));
        assertThat(o.prices())
                .containsExactly(
                        new NetworkCapabilities.Price(new BigDecimal("1505"), 1L, "35", "sdxl"));
        NetworkCapabilities.Gpu expected =
                new NetworkCapabilities.Gpu("0", "GPU-1", "RTX 4090", 8L, 9L, 1000L, 24_000L);
        assertThat(o.hardware().get(0).gpus()).containsExactly(expected);
        assertThat(asArray.orchestrators().get(0).hardware().get(0).gpus())
                .containsExactly(expected);
    }

    @Test
    void decodesBatchAndLlmRequests() throws IOException {
        AiBatchRequest b =
                (AiBatchRequest)
                        decode(
                                Family.AI_BATCH_REQUEST,
                                "{\"type\":\"ai_batch_request_completed\",\"request_id\":\"b-1\","
                                        + "\"pipeline\":\"text-to-image\",\"model_id\":\"sdxl\","
                                        + "\"success\":\"true\",\"tries\":2,\"duration_ms\":2345.5,"
                                        + "\"orch_url\":\"https://o\",\"latency_score\":0.8,"
                                        + "\"price_per_unit\":\"12\",\"error_type\":\"\",\"error\":null}");
        assertThat(b)
                .isEqualTo(
                        new AiBatchRequest(
                                "ai_batch_request_completed",
                                "b-1",
                                "text-to-image",
                                "sdxl",
                                true,
                                2L,
                                2345.5,
                                "https://o",
                                0.8,
                                12.0,
                                null,
                                null));
        assertThat(b.nodeIds()).containsExactly("orchestrator_uri:https://o");

        AiLlmRequest l =
                (AiLlmRequest)
                        decode(
                                Family.AI_LLM_REQUEST,
                                "{\"type\":\"llm_stream_completed\",\"request_id\":\"l-1\","
                                        + "\"model\":\"llama\",\"prompt_tokens\":12,"
                                        + "\"completion_tokens\":\"30\",\"total_tokens\":42,"
                                        + "\"total_duration_ms\":900.5,\"tokens_per_second\":33.3,"
                                        + "\"ttft_ms\":120,\"finish_reason\":\"stop\","
                                        + "\"error\":{\"code\":1}}");
        assertThat(l.subtype()).isEqualTo("llm_stream_completed");
        assertThat(l.completionTokens()).isEqualTo(30L);
        assertThat(l.ttftMs()).isEqualTo(120.0);
        assertThat(l.error()).isEqualTo("{\"code\":1}");
        assertThat(l.orchUrl()).isNull();
    }

    @Test
    void decodesEveryByocFamilyIntoOneRecord() throws IOException {
        String data =
                "{\"request_id\":\"j-1\",\"capability\":\"my-byoc\",\"success\":1,"
                        + "\"duration_ms\":150,\"http_status\":\"200\",\"worker_url\":\"http://w\","
                        + "\"orchestrator_info\":{\"address\":\"0xAB\",\"url\":\"https://o\"},"
                        + "\"amount\":\"0.5\",\"currency\":\"USD\","
                        + "\"worker_options\":[{\"model\":\"m-1\"},{\"model\":\"\"}]}";
        ByocJob expected =
                new ByocJob(
                        "j-1",
                        "my-byoc",
                        true,
                        150.0,
                        200L,
                        "http://w",
                        new OrchestratorInfo("0xAB", "https://o"),
                        new BigDecimal("0.5"),
                        "USD",
                        List.of("m-1"));
        for (Family f :
                List.of(
                        Family.JOB_GATEWAY,
                        Family.JOB_ORCHESTRATOR,
                        Family.JOB_AUTH,
                        Family.JOB_PAYMENT,
                        Family.WORKER_LIFECYCLE)) {
            assertThat(decode(f, data)).as(f.wireName()).isEqualTo(expected);
        }
        assertThat(expected.nodeIds())
                .containsExactly("orchestrator:0xab", "orchestrator_uri:https://o");
    }

    @Test
    void decodesNodeTraceAndWorkerEvents() throws IOException {
        assertThat(decoded(sample("hackathon-sink-events.jsonl").get(0)))
                .isEqualTo(new NodeTrace("gateway-reset"));
        WorkerConnection w =
                (WorkerConnection) decoded(sample("hackathon-sink-events.jsonl").get(9));
        assertThat(w)
                .isEqualTo(
                        new WorkerConnection(
                                "127.0.0.1:46800", "0x5263E0Ce3a97B634D8828CE4337aD0F70B30B077"));
        assertThat(decode(Family.WORKER_CONNECTED, "{\"ethAddress\":\"0xAB\"}").nodeIds())
                .containsExactly("worker:0xab", "orchestrator:0xab");
    }

    @Test
    void decodesJobEventsAndNormalizesResponseTime() throws IOException {
        JobProcessed transcode =
                (JobProcessed) decoded(sample("hackathon-sink-events.jsonl").get(7));
        assertThat(transcode.computeUnits()).isEqualTo(41_580_000L);
        assertThat(transcode.duration()).isEqualTo(4167.0);
        assertThat(transcode.fees()).isEqualByComparingTo("5696460000");
        assertThat(transcode.pricePerComputeUnit()).isEqualByComparingTo("137");
        assertThat(transcode.realTimeRatio()).isEqualTo(4.0);
        assertThat(transcode.batchAi()).isFalse();
        assertThat(transcode.responseTimeMs()).isEqualTo(845.0);

        JobProcessed batch =
                (JobProcessed)
                        decode(
                                Family.JOB_PROCESSED,
                                "{\"requestID\":\"b-2\",\"pipeline\":\"text-to-image\","
                                        + "\"responseTime\":2500000000}");
        assertThat(batch.batchAi()).isTrue();
        assertThat(batch.responseTimeMs()).isEqualTo(2500.0);

        JobReceived r =
                (JobReceived)
                        decode(
                                Family.JOB_RECEIVED,
                                "{\"ethAddress\":\"0xAB\",\"requestID\":\"r\",\"pipeline\":\"p\","
                                        + "\"modelID\":\"m\"}");
        assertThat(r).isEqualTo(new JobReceived("0xAB", "r", "p", "m"));
    }

    @Test
    void decodesTicketRedeemed() throws IOException {
        TicketRedeemed t =
                (TicketRedeemed)
                        decode(
                                Family.TICKET_REDEEMED,
                                "{\"recipient\":\"0xAB\",\"faceValue\":\"2402400000000000\","
                                        + "\"sender\":\"0xCD\",\"winProb\":\"0.0009930487\","
                                        + "\"pricePerPixel\":1505,\"creationRound\":4012,"
                                        + "\"txHash\":\"0xdead\"}");

        assertThat(t.faceValue().wei()).isEqualByComparingTo("2402400000000000");
        assertThat(t.winProb()).isEqualTo(0.0009930487);
        assertThat(t.pricePerPixel()).isEqualByComparingTo("1505");
        assertThat(t.creationRound()).isEqualTo(4012L);
        assertThat(t.nodeIds()).containsExactly("orchestrator:0xab");
    }

    @Test
    void keepsAnUnknownPayloadAsJsonText() throws IOException {
        assertThat(decoded(kafka("brand_new", "{\"a\":[1,\"b\"]}")))
                .isEqualTo(new UnknownPayload("{\"a\":[1,\"b\"]}"));
    }

    @Test
    void readsFieldsLeniently() throws IOException {
        StreamIngestMetrics m =
                (StreamIngestMetrics)
                        decode(
                                Family.STREAM_INGEST_METRICS,
                                "{\"stream_id\":7,\"stats\":{\"peer_conn_stats\":{\"BytesReceived\":"
                                        + "\"lots\",\"BytesSent\":\"\"},\"track_stats\":[{\"jitter\":true,"
                                        + "\"packets_lost\":\"2.9\",\"rtt\":\"1e3\"}]}}");

        assertThat(m.streamId()).as("a number where text is expected is its text").isEqualTo("7");
        assertThat(m.peerConnStats().bytesReceived()).as("a word is unknown, not 0").isNull();
        assertThat(m.peerConnStats().bytesSent()).isNull();
        assertThat(m.trackStats().get(0).jitter()).isNull();
        assertThat(m.trackStats().get(0).packetsLost()).isEqualTo(2L);
        assertThat(m.trackStats().get(0).rtt()).isEqualTo(1000.0);
        assertThat(m.connQuality()).isNull();
    }

    @Test
    void readsNumbersBeyondRangeAsUnknownNeverInfiniteNorAnError() throws IOException {
        // Written with an exponent, a number can be beyond any counter, price or time however
        // short its text; 2147483647 is the largest exponent a BigDecimal holds, 9999999999 is
        // beyond it.
        AiStreamStatus s =
                (AiStreamStatus)
                        decoded(
                                kafka(
                                        "ai_stream_status",
                                        "{\"inference_status\":{\"fps\":1e2147483647,"
                                                + "\"restart_count\":\"1e2147483647\"},"
                                                + "\"input_status\":{\"fps\":\"1e9999999999\"}}"));
        assertThat(s.inferenceStatus().fps()).isNull();
        assertThat(s.inferenceStatus().restartCount()).isNull();
        assertThat(s.inputStatus().fps()).isNull();

        StreamIngestMetrics m =
                (StreamIngestMetrics)
                        decode(
                                Family.STREAM_INGEST_METRICS,
                                "{\"stats\":{\"peer_conn_stats\":{\"BytesReceived\":"
                                        + "\"-1e2147483647\",\"BytesSent\":1e-2147483647},"
                                        + "\"track_stats\":[{\"jitter\":-1e2147483647,"
                                        + "\"rtt\":\"1e-61\",\"latency\":\"0e-2147483647\","
                                        + "\"packet_loss_pct\":\"1e-60\"}]}}");
        assertThat(m.peerConnStats().bytesReceived()).isNull();
        assertThat(m.peerConnStats().bytesSent()).isNull();
        assertThat(m.trackStats().get(0).jitter()).isNull();
        assertThat(m.trackStats().get(0).rtt()).isNull();
        assertThat(m.trackStats().get(0).latency()).isEqualTo(0.0);
        assertThat(m.trackStats().get(0).packetLossPct()).isEqualTo(1e-60);
    }

    @Test
    void anAmountBeyondRangeIsUnknownAndItsExpectedValueTooNeverAnError() throws IOException {
        assertThat(Amount.parse("1e2147483647 WEI").wei()).isNull();
        assertThat(Amount.parse("1e2147483647 WEI").unit()).isEqualTo("WEI");
        assertThat(Amount.parse("1e9999999999 ETH").wei()).isNull();
        assertThat(Amount.parse("-1e2147483647 gwei").wei()).isNull();
        assertThat(Amount.parse("1e-2147483647 WEI").wei()).isNull();
        assertThat(Amount.parse("1e59 wei").wei()).isEqualByComparingTo("1e59");
        assertThat(Amount.parse("1e60 wei").wei()).as("61 digits").isNull();
        assertThat(Amount.parse("0e-2147483647 ETH").wei()).isEqualByComparingTo("0");

        CreateNewPayment p =
                (CreateNewPayment)
                        decoded(
                                kafka(
                                        "create_new_payment",
                                        "{\"faceValue\":\"1e-2147483647 WEI\","
                                                + "\"winProb\":1e-300,"
                                                + "\"price\":1e2147483647}"));
        assertThat(p.faceValue().text()).isEqualTo("1e-2147483647 WEI");
        assertThat(p.faceValue().wei()).isNull();
        assertThat(p.winProb()).isNull();
        assertThat(p.price().wei()).isNull();
        assertThat(p.expectedValueWei()).isNull();

        CreateNewPayment tiny =
                (CreateNewPayment)
                        decoded(
                                kafka(
                                        "create_new_payment",
                                        "{\"faceValue\":\"1e-60 WEI\",\"winProb\":1e-60}"));
        assertThat(tiny.expectedValueWei()).isEqualByComparingTo("1e-120");
    }

    @Test
    void rejectsWithTheFieldPath() {
        assertThatThrownBy(
                        () ->
                                decode(
                                        Family.NETWORK_CAPABILITIES,
                                        "[{},{\"hardware\":[{\"gpu_info\":{\"0\":7}}]}]"))
                .isInstanceOfSatisfying(
                        InvalidPayloadException.class,
                        e -> {
                            assertThat(e.reason())
                                    .isEqualTo("wrong_type:data[1].hardware[0].gpu_info.0");
                            assertThat(e.detail())
                                    .contains("must be an object or null but is a number");
                        });
        assertThatThrownBy(() -> decode(Family.STREAM_TRACE, "{\"type\":\"\"}"))
                .isInstanceOfSatisfying(
                        InvalidPayloadException.class,
                        e -> assertThat(e.reason()).isEqualTo("missing_field:data.type"));
        assertThatThrownBy(() -> Families.decode(Family.NODE_TRACE, null))
                .isInstanceOfSatisfying(
                        InvalidPayloadException.class,
                        e -> assertThat(e.reason()).isEqualTo("missing_field:data"));
    }

    @Test
    void decodesEveryAcceptedSample() throws IOException {
        List<String> all = new ArrayList<>(sample("hackathon-sink-events.jsonl"));
        all.addAll(sample("kafka-envelope-events.jsonl"));
        for (String line : all) {
            if (!line.isBlank()) {
                assertThat(decoded(line)).isNotInstanceOf(UnknownPayload.class);
            }
        }
    }
}
