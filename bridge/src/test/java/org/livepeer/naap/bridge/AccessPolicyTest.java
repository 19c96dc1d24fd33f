package org.livepeer.naap.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Who may publish, and for which orchestrator: a gateway and an orchestrator allowed, a hot key
 * delegated for that orchestrator, and addresses nobody allowed.
 */
class AccessPolicyTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String STREAM =
            "0xabc0000000000000000000000000000000000001/livepeer/events";

    /** EIP-55 mixed case in the policy; messages use other casings. */
    private static final String GATEWAY = "0x1234567890AbCdEf1234567890aBcDeF12345678";

    private static final String ORCH = "0x5263E0Ce3a97B634D8828CE4337aD0F70B30B077";
    private static final String HOT = "0xAbCdEf0123456789abcdef0123456789ABCDEF01";

    /** An orchestrator that is in no policy entry. */
    private static final String OTHER_ORCH = "0x00000000000000000000000000000000000000aa";

    private static final String STRANGER = "0xdeadbeefdeadbeefdeadbeefdeadbeefdeadbeef";

    private static final AccessPolicy POLICY =
            AccessPolicy.parse(
                    bytes(
                            "{\"publishers\":[\""
                                    + GATEWAY
                                    + "\",\""
                                    + ORCH
                                    + "\"],\"delegations\":[{\"delegate\":\""
                                    + HOT
                                    + "\",\"orchestrator\":\""
                                    + ORCH
                                    + "\"}]}"));

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A message as the plugin delivers it with payloadMetadata on. */
    static StreamrMessage wrapped(String publisherId, String content) {
        String publisher = publisherId == null ? "null" : "\"" + publisherId + "\"";
        return StreamrMessage.of(
                MAPPER,
                STREAM,
                bytes(
                        "{\"content\":"
                                + content
                                + ",\"metadata\":{\"timestamp\":1768478400123,\"sequenceNumber\":0,"
                                + "\"publisherId\":"
                                + publisher
                                + ",\"msgChainId\":\"chain-1\"}}"),
                1L);
    }

    /** A Kafka queue envelope: {id, type, timestamp, gateway, data}. */
    static String kafkaEvent(String type, String data) {
        return "{\"id\":\"e1\",\"type\":\""
                + type
                + "\",\"timestamp\":\"1767908945298\",\"gateway\":\"\",\"data\":"
                + data
                + "}";
    }

    /** An event-sink envelope: {id, type, timestamp, payload}. */
    static String sinkEvent(String type, String payload) {
        return "{\"id\":\"e1\",\"type\":\""
                + type
                + "\",\"timestamp\":\"2025-12-05T16:24:31.228265243Z\",\"payload\":"
                + payload
                + "}";
    }

    private static String workerConnected(String ethAddress) {
        return sinkEvent(
                "worker-connected",
                "{\"connection\":\"127.0.0.1:46800\",\"ethAddress\":\"" + ethAddress + "\"}");
    }

    private static AccessPolicy.Decision check(String publisherId, String content) {
        return POLICY.check(wrapped(publisherId, content));
    }

    @Test
    void theFileIsReadWithAddressesLowerCased() {
        assertThat(POLICY.publishers())
                .containsExactlyInAnyOrder(
                        "0x1234567890abcdef1234567890abcdef12345678",
                        "0x5263e0ce3a97b634d8828ce4337ad0f70b30b077");
        assertThat(POLICY.delegations())
                .containsOnlyKeys("0xabcdef0123456789abcdef0123456789abcdef01");
        assertThat(POLICY.delegations().get("0xabcdef0123456789abcdef0123456789abcdef01"))
                .containsExactly("0x5263e0ce3a97b634d8828ce4337ad0f70b30b077");
    }

    @Test
    void anAllowedPublisherPasses() {
        AccessPolicy.Decision d =
                check(GATEWAY, kafkaEvent("stream_trace", "{\"stream_id\":\"s-1\"}"));
        assertThat(d).isEqualTo(new AccessPolicy.Decision(true, null, null));
    }

    @Test
    void anUnknownPublisherIsQuarantined() {
        AccessPolicy.Decision d =
                check(STRANGER, kafkaEvent("stream_trace", "{\"stream_id\":\"s-1\"}"));
        assertThat(d.allowed()).isFalse();
        assertThat(d.reason()).isEqualTo("publisher_not_allowed");
        assertThat(d.detail())
                .isEqualTo(
                        "publisher 0xdeadbeefdeadbeefdeadbeefdeadbeefdeadbeef is neither an allowed"
                                + " publisher nor a delegate");
        // Content that is not JSON carries no claim, but the publisher check still applies.
        assertThat(check(STRANGER, "\"not an event\"").reason()).isEqualTo("publisher_not_allowed");
    }

    @Test
    void withoutMetadataThereIsNoPublisherToCheck() {
        StreamrMessage plain =
                StreamrMessage.of(MAPPER, STREAM, bytes(kafkaEvent("stream_trace", "{}")), 1L);
        assertThat(POLICY.check(plain).reason()).isEqualTo("no_publisher_id");
        assertThat(POLICY.check(plain).detail()).contains("payloadMetadata");
        assertThat(check(null, kafkaEvent("stream_trace", "{}")).reason())
                .isEqualTo("no_publisher_id");
        assertThat(check("  ", kafkaEvent("stream_trace", "{}")).reason())
                .isEqualTo("no_publisher_id");
        // A payload that is not JSON has no metadata either.
        StreamrMessage garbage = StreamrMessage.of(MAPPER, STREAM, bytes("not json"), 1L);
        assertThat(POLICY.check(garbage).reason()).isEqualTo("no_publisher_id");
    }

    @Test
    void addressesCompareIgnoringCaseAndSurroundingSpace() {
        String event = kafkaEvent("stream_trace", "{}");
        assertThat(check("0x1234567890abcdef1234567890abcdef12345678", event).allowed()).isTrue();
        assertThat(check("0X1234567890ABCDEF1234567890ABCDEF12345678", event).allowed()).isTrue();
        assertThat(check(" 0x1234567890abcdef1234567890abcdef12345678 ", event).allowed()).isTrue();
        // The hot key in lower case, claiming its orchestrator in upper case with spaces.
        assertThat(
                        check(
                                        "0xabcdef0123456789abcdef0123456789abcdef01",
                                        workerConnected(
                                                " 0x5263E0CE3A97B634D8828CE4337AD0F70B30B077 "))
                                .allowed())
                .isTrue();
    }

    @Test
    void aDelegatePublishesForItsOrchestratorOnly() {
        assertThat(check(HOT, workerConnected(ORCH)).allowed()).isTrue();
        AccessPolicy.Decision d = check(HOT, workerConnected(OTHER_ORCH));
        assertThat(d.allowed()).isFalse();
        assertThat(d.reason()).isEqualTo("orchestrator_not_delegated");
        assertThat(d.detail())
                .isEqualTo(
                        "event 0 (worker-connected) claims orchestrator"
                                + " 0x00000000000000000000000000000000000000aa: publisher"
                                + " 0xabcdef0123456789abcdef0123456789abcdef01 is not that"
                                + " orchestrator and not delegated for it");
    }

    @Test
    void anOrchestratorPublishesForItselfButNotForAnother() {
        assertThat(check(ORCH, workerConnected(ORCH)).allowed()).isTrue();
        assertThat(check(ORCH, workerConnected(OTHER_ORCH)).reason())
                .isEqualTo("orchestrator_not_delegated");
        // A gateway is allowed as a publisher, not as any orchestrator.
        assertThat(check(GATEWAY, workerConnected(ORCH)).reason())
                .isEqualTo("orchestrator_not_delegated");
    }

    @Test
    void gatewayEventsNameOrchestratorsWithoutClaimingToBeThem() {
        String info = "{\"orchestrator_info\":{\"address\":\"" + OTHER_ORCH + "\",\"url\":\"\"}}";
        assertThat(check(GATEWAY, kafkaEvent("job_gateway", info)).allowed()).isTrue();
        assertThat(check(GATEWAY, kafkaEvent("stream_trace", info)).allowed()).isTrue();
        assertThat(check(GATEWAY, sinkEvent("ai_stream_status", info)).allowed()).isTrue();
        assertThat(
                        check(
                                        GATEWAY,
                                        kafkaEvent(
                                                "create_new_payment",
                                                "{\"recipient\":\""
                                                        + OTHER_ORCH
                                                        + "\",\"ethAddress\":\""
                                                        + OTHER_ORCH
                                                        + "\"}"))
                                .allowed())
                .isTrue();
        // An unknown type is no orchestrator family either.
        assertThat(check(HOT, kafkaEvent("worker_connected", "{\"ethAddress\":\"x\"}")).allowed())
                .isTrue();
    }

    @Test
    void inAnArrayTheFirstBadElementDecides() {
        String content =
                "["
                        + kafkaEvent("stream_trace", "{}")
                        + ","
                        + workerConnected(ORCH)
                        + ","
                        + sinkEvent("ticket-redeemed", "{\"recipient\":\"" + OTHER_ORCH + "\"}")
                        + ","
                        + sinkEvent("job-received", "{\"ethAddress\":\"" + STRANGER + "\"}")
                        + "]";
        AccessPolicy.Decision d = check(HOT, content);
        assertThat(d.reason()).isEqualTo("orchestrator_not_delegated");
        assertThat(d.detail())
                .startsWith(
                        "event 2 (ticket-redeemed) claims orchestrator"
                                + " 0x00000000000000000000000000000000000000aa:");
        String good = "[" + workerConnected(ORCH) + "," + kafkaEvent("stream_trace", "{}") + "]";
        assertThat(check(HOT, good).allowed()).isTrue();
    }

    /** Each orchestrator family's claim, in both envelopes and in the Open Pool shape. */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "worker-connected, ethAddress",
        "worker-disconnected, ethAddress",
        "job-received, ethAddress",
        "job-processed, ethAddress",
        "ticket-redeemed, recipient",
        "job_orchestrator, orchestrator_info.address",
        "worker_lifecycle, orchestrator_info.address"
    })
    void everyOrchestratorFamilyClaimsItsOrchestrator(String type, String field) {
        for (String claimed : new String[] {ORCH, OTHER_ORCH}) {
            String fields =
                    field.equals("orchestrator_info.address")
                            ? "{\"orchestrator_info\":{\"address\":\"" + claimed + "\"}}"
                            : "{\"" + field + "\":\"" + claimed + "\"}";
            String openPool =
                    "[{\"ID\":\"op-1\",\"EventType\":\""
                            + type
                            + "\",\"Version\":1,\"Payload\":"
                            + fields
                            + ",\"DT\":\"2025-12-05T16:24:24.5Z\"}]";
            boolean expected = claimed.equals(ORCH);
            for (String content :
                    new String[] {kafkaEvent(type, fields), sinkEvent(type, fields), openPool}) {
                AccessPolicy.Decision d = check(HOT, content);
                assertThat(d.allowed()).as(content).isEqualTo(expected);
                if (!expected) {
                    assertThat(d.reason()).isEqualTo("orchestrator_not_delegated");
                    assertThat(d.detail())
                            .contains(
                                    "("
                                            + type
                                            + ") claims orchestrator "
                                            + OTHER_ORCH.toLowerCase());
                }
            }
        }
    }

    /** As RecordKeys reads ids: an event without a payload object is read at its top level. */
    @Test
    void withoutAPayloadObjectTheClaimIsReadAtTheTopLevel() {
        String bare =
                "{\"id\":\"e1\",\"type\":\"job-received\",\"ethAddress\":\"" + OTHER_ORCH + "\"}";
        assertThat(check(HOT, bare).reason()).isEqualTo("orchestrator_not_delegated");
        // With a payload object, only the payload speaks (as the job reads it).
        String both =
                "{\"id\":\"e1\",\"type\":\"job-received\",\"ethAddress\":\""
                        + OTHER_ORCH
                        + "\",\"data\":{\"ethAddress\":\""
                        + ORCH
                        + "\"}}";
        assertThat(check(HOT, both).allowed()).isTrue();
    }

    @Test
    void anOrchestratorEventWithoutItsAddressClaimsNothing() {
        assertThat(check(HOT, sinkEvent("worker-connected", "{\"connection\":\"c\"}")).allowed())
                .isTrue();
        assertThat(check(HOT, sinkEvent("job-processed", "{\"ethAddress\":\"  \"}")).allowed())
                .isTrue();
        assertThat(check(HOT, kafkaEvent("ticket-redeemed", "{\"recipient\":null}")).allowed())
                .isTrue();
        assertThat(
                        check(
                                        HOT,
                                        kafkaEvent(
                                                "job_orchestrator",
                                                "{\"orchestrator_info\":{\"address\":\"\"}}"))
                                .allowed())
                .isTrue();
        assertThat(check(HOT, kafkaEvent("worker_lifecycle", "{}")).allowed()).isTrue();
        assertThat(check(HOT, "\"not an event\"").allowed()).isTrue();
    }

    @Test
    void anEmptyPolicyAllowsNoOneAndAllowAllEveryone() {
        AccessPolicy none = AccessPolicy.parse(bytes("{}"));
        assertThat(none.check(wrapped(GATEWAY, kafkaEvent("stream_trace", "{}"))).reason())
                .isEqualTo("publisher_not_allowed");
        StreamrMessage plain =
                StreamrMessage.of(MAPPER, STREAM, bytes(workerConnected(OTHER_ORCH)), 1L);
        assertThat(AccessPolicy.allowAll().check(plain).allowed()).isTrue();
        assertThat(AccessPolicy.allowAll().check(wrapped(STRANGER, workerConnected(ORCH))))
                .isEqualTo(new AccessPolicy.Decision(true, null, null));
    }

    @Test
    void invalidFilesSayWhatIsWrongAndWhere() {
        String good = "\"" + ORCH + "\"";
        assertInvalid(
                "{\"delegations\":[{\"delegate\":"
                        + good
                        + ",\"orchestrator\":"
                        + good
                        + "},{\"delegate\":"
                        + good
                        + ",\"orchestrator\":"
                        + good
                        + "},{\"delegate\":\"0x12\",\"orchestrator\":"
                        + good
                        + "}]}",
                "delegations[2].delegate: \"0x12\" is not an address (0x and 40 hex digits)");
        assertInvalid(
                "{\"publishers\":[" + good + ",\"0x5263E0Ce3a97B634D8828CE4337aD0F70B30B07G\"]}",
                "publishers[1]: \"0x5263E0Ce3a97B634D8828CE4337aD0F70B30B07G\" is not an address"
                        + " (0x and 40 hex digits)");
        assertInvalid(
                "{\"publisher\":[" + good + "]}",
                "unknown field \"publisher\" (expected publishers, delegations)");
        assertInvalid(
                "{\"delegations\":[{\"delegate\":" + good + ",\"orchestator\":" + good + "}]}",
                "delegations[0]: unknown field \"orchestator\" (expected delegate, orchestrator)");
        assertInvalid(
                "{\"delegations\":[{\"delegate\":" + good + "}]}",
                "delegations[0].orchestrator: missing");
        assertInvalid("{\"publishers\":" + good + "}", "publishers: must be an array, but is");
        assertInvalid("{\"publishers\":[42]}", "publishers[0]: must be an address string");
        assertInvalid("{\"delegations\":[" + good + "]}", "delegations[0]: must be an object");
        assertInvalid("[" + good + "]", "the policy must be a JSON object");
        assertInvalid("", "the policy must be a JSON object");
        assertInvalid("{\"publishers\":[" + good + ",]}", "not JSON: ");
        assertInvalid("publishers: [0x12]", "not JSON: ");
        assertInvalid("{\"publishers\":[],\"publishers\":[" + good + "]}", "not JSON: ");
        assertInvalid("{} {}", "not JSON: ");
    }

    private static void assertInvalid(String json, String messageStart) {
        assertThatThrownBy(() -> AccessPolicy.parse(bytes(json)))
                .as(json)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(messageStart);
    }
}
