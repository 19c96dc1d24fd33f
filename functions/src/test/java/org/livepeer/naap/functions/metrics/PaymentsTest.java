package org.livepeer.naap.functions.metrics;

import static org.apache.flink.types.PojoTestUtils.assertSerializedAsPojoWithoutKryo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;
import org.livepeer.naap.schemas.EventParser;
import org.livepeer.naap.schemas.TelemetryEvent;
import org.livepeer.naap.schemas.family.CreateNewPayment;
import org.livepeer.naap.schemas.family.Families;
import org.livepeer.naap.schemas.output.PaymentRow;

class PaymentsTest {

    /** 2026-01-15T13:30:00Z. */
    private static final long T0 = 1_768_483_800_000L;

    private static String payment(String id, String data) {
        return "{\"id\":\""
                + id
                + "\",\"type\":\"create_new_payment\",\"timestamp\":\""
                + T0
                + "\",\"gateway\":\"gw-1.example\",\"data\":"
                + data
                + "}";
    }

    private static final String WEI_PAYMENT =
            payment(
                    "p-1",
                    "{\"sessionID\":\"5ea1\",\"manifestID\":\"35_streamdiffusion-sdxl\","
                            + "\"requestID\":\"req-9\","
                            + "\"sender\":\"0x5aE4E42dB3671370a0c25AfF451E7482aAEc3D0B\","
                            + "\"recipient\":\"0xd00354656922168815Fcd1e51CBddB9e359e3C7F\","
                            + "\"orchestrator\":\"https://orch-a.example:8935\","
                            + "\"faceValue\":\"2402400000000000 WEI\",\"winProb\":\"0.0100\","
                            + "\"price\":\"1635.021 wei/pixel\",\"numTickets\":\"3\","
                            + "\"capability\":\"\",\"clientIP\":\"\"}");

    private static final ObjectMapper MAPPER = EventParser.newObjectMapper();

    private static PaymentRow rowOf(TelemetryEvent e) {
        return Payments.row(e, (CreateNewPayment) Families.decode(MAPPER, e));
    }

    @Test
    void parsesFaceValueAndPriceFromTheirUnitStringsAndComputesTheExpectedValue() {
        PaymentRow r = rowOf(MetricEvents.parse(WEI_PAYMENT));

        assertThat(r.eventId).isEqualTo("p-1");
        assertThat(r.eventTime).isEqualTo(T0);
        assertThat(r.gateway).isEqualTo("gw-1.example");
        assertThat(r.paymentSessionId).isEqualTo("5ea1");
        assertThat(r.manifestId).isEqualTo("35_streamdiffusion-sdxl");
        assertThat(r.model).isEqualTo("streamdiffusion-sdxl");
        assertThat(r.requestId).isEqualTo("req-9");
        assertThat(r.sender).isEqualTo("0x5ae4e42db3671370a0c25aff451e7482aaec3d0b");
        assertThat(r.recipient).isEqualTo("0xd00354656922168815fcd1e51cbddb9e359e3c7f");
        assertThat(r.orchestratorUrl).isEqualTo("https://orch-a.example:8935");
        assertThat(r.capability).isNull();
        assertThat(r.faceValueText).isEqualTo("2402400000000000 WEI");
        assertThat(r.faceValueWei).isEqualByComparingTo("2402400000000000");
        assertThat(r.winProb).isEqualTo(0.01);
        // 2402400000000000 x 0.0100 = 24024000000000
        assertThat(r.expectedValueWei).isEqualByComparingTo("24024000000000");
        assertThat(r.priceText).isEqualTo("1635.021 wei/pixel");
        assertThat(r.priceWeiPerUnit).isEqualByComparingTo("1635.021");
        assertThat(r.priceUnit).isEqualTo("wei/pixel");
        assertThat(r.numTickets).isEqualTo(3L);
    }

    @Test
    void convertsEthAndGweiFaceValuesToWei() {
        PaymentRow eth =
                rowOf(
                        MetricEvents.parse(
                                payment(
                                        "p-eth",
                                        "{\"faceValue\":\"0.0034 ETH\","
                                                + "\"winProb\":\"0.0000147059\"}")));
        PaymentRow gwei =
                rowOf(
                        MetricEvents.parse(
                                payment(
                                        "p-gwei",
                                        "{\"faceValue\":\"2402400 gwei\",\"winProb\":0.5}")));

        // 0.0034 ETH = 0.0034 x 10^18 wei
        assertThat(eth.faceValueWei).isEqualByComparingTo("3400000000000000");
        assertThat(eth.faceValueText).isEqualTo("0.0034 ETH");
        // 3400000000000000 x 0.0000147059 = 34 x 147059 x 10^4 = 5000006 x 10^4
        assertThat(eth.expectedValueWei).isEqualByComparingTo("50000060000");
        // 2402400 gwei = 2402400 x 10^9 wei; half of it is expected
        assertThat(gwei.faceValueWei).isEqualByComparingTo("2402400000000000");
        assertThat(gwei.expectedValueWei).isEqualByComparingTo("1201200000000000");
        assertThat(eth.priceText).isNull();
        assertThat(eth.priceWeiPerUnit).isNull();
        assertThat(eth.priceUnit).isNull();
        assertThat(eth.numTickets).isNull();
        assertThat(eth.model).isNull();
    }

    @Test
    void keepsTheTextOfAmountsInUnknownUnitsAndLeavesTheirValuesNull() {
        PaymentRow r =
                rowOf(
                        MetricEvents.parse(
                                payment(
                                        "p-odd",
                                        "{\"faceValue\":\"12 DOGE\",\"winProb\":\"n/a\","
                                                + "\"price\":\"3 bananas\"}")));

        assertThat(r.faceValueText).isEqualTo("12 DOGE");
        assertThat(r.faceValueWei).isNull();
        assertThat(r.winProb).isNull();
        assertThat(r.expectedValueWei).isNull();
        assertThat(r.priceText).isEqualTo("3 bananas");
        assertThat(r.priceWeiPerUnit).isNull();
        assertThat(r.priceUnit).isEqualTo("bananas");
    }

    @Test
    void rowsOfTheRealSamples() throws Exception {
        List<TelemetryEvent> kafka = MetricEvents.sample("kafka-envelope-events.jsonl");
        PaymentRow live = rowOf(MetricEvents.withId(kafka, "a3361e98-29b7-4f0e-8caa-34bd0c23c386"));

        assertThat(live.eventTime).isEqualTo(1_768_483_061_892L);
        assertThat(live.gateway).isNull();
        assertThat(live.paymentSessionId).isEqualTo("223403ff");
        assertThat(live.requestId).isEqualTo("499ae98f");
        assertThat(live.manifestId).isEqualTo("35_streamdiffusion-sdxl-faceid");
        assertThat(live.model).isEqualTo("streamdiffusion-sdxl-faceid");
        assertThat(live.orchestratorUrl).isEqualTo("https://rtav-orch2.xodeapp.xyz:28935");
        assertThat(live.recipient).isEqualTo("0xd00354656922168815fcd1e51cbddb9e359e3c7f");
        assertThat(live.sender).isEqualTo("0x5ae4e42db3671370a0c25aff451e7482aaec3d0b");
        assertThat(live.faceValueWei).isEqualByComparingTo("2416800000000000");
        assertThat(live.winProb).isEqualTo(0.0009930487);
        // 2416800000000000 x 0.0009930487 = 24168 x 9930487 x 10 = 240000009816 x 10
        assertThat(live.expectedValueWei).isEqualByComparingTo("2400000098160");
        assertThat(live.priceWeiPerUnit).isEqualByComparingTo("1505.712");
        assertThat(live.priceUnit).isEqualTo("wei/pixel");
        assertThat(live.numTickets).isEqualTo(2L);
        assertThat(live.capability).isNull();

        List<TelemetryEvent> sink = MetricEvents.sample("hackathon-sink-events.jsonl");
        PaymentRow test = rowOf(MetricEvents.withId(sink, "e041c365-7339-47f5-95fc-a1616359b263"));

        assertThat(test.eventTime)
                .isEqualTo(Instant.parse("2025-12-05T16:24:49.259Z").toEpochMilli());
        assertThat(test.paymentSessionId).isEqualTo("3198bee9");
        assertThat(test.requestId).isNull();
        assertThat(test.manifestId).isEqualTo("mike-test");
        assertThat(test.model).isNull();
        assertThat(test.orchestratorUrl).isEqualTo("https://localhost:18935");
        assertThat(test.recipient).isEqualTo("0x5263e0ce3a97b634d8828ce4337ad0f70b30b077");
        assertThat(test.faceValueText).isEqualTo("3400000000000000 WEI");
        assertThat(test.faceValueWei).isEqualByComparingTo("3400000000000000");
        // 3400000000000000 x 0.0000147059 = 50000060000, as above
        assertThat(test.expectedValueWei).isEqualByComparingTo("50000060000");
        assertThat(test.priceText).isEqualTo("137.038 wei/pixel");
        assertThat(test.priceWeiPerUnit).isEqualByComparingTo("137.038");
        assertThat(test.numTickets).isEqualTo(1L);
    }

    @Test
    void takesTheModelFromALiveAiManifestIdOnly() {
        assertThat(Payments.model("35_streamdiffusion-sdxl-faceid"))
                .isEqualTo("streamdiffusion-sdxl-faceid");
        assertThat(Payments.model("7_a_b")).isEqualTo("a_b");
        assertThat(Payments.model("mike-test")).isNull();
        assertThat(Payments.model("abc_model")).isNull();
        assertThat(Payments.model("3x_model")).isNull();
        assertThat(Payments.model("_model")).isNull();
        assertThat(Payments.model("35_")).isNull();
        assertThat(Payments.model(null)).isNull();
    }

    @Test
    void emitsOneRowPerPaymentNothingForOtherFamiliesAndCountsWhatDoesNotDecode() throws Exception {
        Payments payments = new Payments();
        try (OneInputStreamOperatorTestHarness<TelemetryEvent, PaymentRow> h =
                ProcessFunctionTestHarnesses.forProcessFunction(payments)) {
            TelemetryEvent broken = MetricEvents.parse(WEI_PAYMENT);
            broken.eventId = "p-broken";
            broken.payload = "{\"faceValue\":";
            TelemetryEvent trace =
                    MetricEvents.parse(
                            "{\"id\":\"t-1\",\"type\":\"node_trace\",\"timestamp\":\""
                                    + T0
                                    + "\",\"data\":\"gateway-reset\"}");

            for (TelemetryEvent e : List.of(MetricEvents.parse(WEI_PAYMENT), broken, trace)) {
                h.processElement(new StreamRecord<>(e, e.eventTime));
            }

            assertThat(h.extractOutputValues()).extracting(r -> r.eventId).containsExactly("p-1");
            assertThat(
                            payments.getRuntimeContext()
                                    .getAccumulator(Payments.UNDECODABLE)
                                    .getLocalValue())
                    .isEqualTo(1L);
        }
    }

    @Test
    void theRowIsAFlinkPojo() {
        assertSerializedAsPojoWithoutKryo(PaymentRow.class);
    }
}
