package org.livepeer.naap.functions.metrics;

import static org.apache.flink.types.PojoTestUtils.assertSerializedAsPojoWithoutKryo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.accumulators.Accumulator;
import org.apache.flink.streaming.api.operators.StreamFlatMap;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.livepeer.naap.schemas.EventParser;
import org.livepeer.naap.schemas.ParseOutput;
import org.livepeer.naap.schemas.ParserConfig;
import org.livepeer.naap.schemas.RawRecord;
import org.livepeer.naap.schemas.Rejection;
import org.livepeer.naap.schemas.TelemetryEvent;
import org.livepeer.naap.schemas.family.Families;
import org.livepeer.naap.schemas.family.NetworkCapabilities;
import org.livepeer.naap.schemas.family.NetworkCapabilities.Capabilities;
import org.livepeer.naap.schemas.family.NetworkCapabilities.Hardware;
import org.livepeer.naap.schemas.family.NetworkCapabilities.Model;
import org.livepeer.naap.schemas.family.NetworkCapabilities.Orchestrator;
import org.livepeer.naap.schemas.family.NetworkCapabilities.Price;
import org.livepeer.naap.schemas.output.CapabilityRow;

/**
 * Capability snapshots fanned out into rows. Every expected row is written out by hand from the
 * payload in the test (or, for the real sample, from the sample file's text), never from the code's
 * own output.
 */
class CapabilityRowsTest {
    /** 2026-01-15T13:30:00Z, a time in the range of the real samples. */
    private static final long T0 = 1_768_483_800_000L;

    private static final String GATEWAY = "gw-1.example";
    private static final String EVENT_ID = "caps-1";
    private static final ObjectMapper MAPPER = EventParser.newObjectMapper();

    private static final String ORCH_A = "0xaaaa00000000000000000000000000000000000a";
    private static final String HOT_A = "0xbbbb00000000000000000000000000000000000b";
    private static final String ORCH_B = "0xcccc00000000000000000000000000000000000c";
    private static final String HOT_B = "0xdddd00000000000000000000000000000000000d";
    private static final String LV2V = "live-video-to-video";
    private static final String SDXL = "streamdiffusion-sdxl";
    private static final String RTX_4090 = "NVIDIA GeForce RTX 4090";

    /**
     * Two orchestrators. A: capability 35 with two models (listed out of name order), one on two
     * GPUs (keys listed "1" then "0"), one with no hardware entry; capability 4 with a capacity and
     * no models; prices with a model constraint (after an unconstrained one for the same
     * capability), with an empty constraint, with a null constraint, with no constraint (a second
     * unconstrained price of 35, after the first), and a decoy for the same model under another
     * capability listed first. B: mixed case address, padded URI, one model on one GPU, no prices.
     */
    private static final String TWO_ORCHESTRATORS =
            """
            [{"address":"0xAaAa00000000000000000000000000000000000A",
              "local_address":"0xBbBb00000000000000000000000000000000000B",
              "orch_uri":"https://orch-a.example:8935",
              "capabilities":{"bitstring":[34359738384],"capacities":{"35":3,"4":10},
                "version":"0.9.1",
                "constraints":{"minVersion":"0.9.0","PerCapability":{"35":{"models":{
                  "streamdiffusion-sdxl":{"warm":true,"capacity":2,"capacityInUse":1,
                    "runnerVersion":"0.12.0"},
                  "comfyui":{"warm":false,"capacity":1,"capacityInUse":0,
                    "runnerVersion":"0.11.2"}}}}}},
              "capabilities_prices":[
                {"pricePerUnit":7,"pixelsPerUnit":1,"capability":27,
                  "constraint":"streamdiffusion-sdxl"},
                {"pricePerUnit":950,"pixelsPerUnit":1,"capability":35,"constraint":""},
                {"pricePerUnit":1200.50,"pixelsPerUnit":1,"capability":35,
                  "constraint":"streamdiffusion-sdxl"},
                {"pricePerUnit":900,"pixelsPerUnit":1000000,"capability":4,"constraint":null},
                {"pricePerUnit":990,"pixelsPerUnit":1,"capability":35}],
              "hardware":[{"pipeline":"live-video-to-video","model_id":"streamdiffusion-sdxl",
                "gpu_info":{
                  "1":{"id":"GPU-bbbb","name":"NVIDIA GeForce RTX 4090","major":8,"minor":9,
                    "memory_free":20000000000,"memory_total":25757220864},
                  "0":{"id":"GPU-aaaa","name":"NVIDIA GeForce RTX 4090","major":8,"minor":9,
                    "memory_free":12000000000,"memory_total":25757220864}}}]},
             {"address":"0xCcCc00000000000000000000000000000000000C",
              "local_address":"0xDdDd00000000000000000000000000000000000D",
              "orch_uri":" https://orch-b.example:8935 ",
              "capabilities":{"capacities":{"35":1},"version":"0.9.2",
                "constraints":{"minVersion":"0.9.0","PerCapability":{"35":{"models":{
                  "streamdiffusion-sdxl":{"warm":true,"capacity":1,"capacityInUse":1,
                    "runnerVersion":"0.12.1"}}}}}},
              "capabilities_prices":null,
              "hardware":[{"pipeline":"live-video-to-video","model_id":"streamdiffusion-sdxl",
                "gpu_info":{"0":{"id":"GPU-cccc","name":"NVIDIA RTX A6000","major":8,"minor":6,
                  "memory_free":40000000000,"memory_total":51527024640}}}]}]
            """;

    // ---- (a) a hand-written snapshot

    @Test
    void fansOutEachOrchestratorByCapabilityModelAndGpu() {
        TelemetryEvent e = event(TWO_ORCHESTRATORS);

        List<CapabilityRow> rows = CapabilityRows.of(e, decode(e));

        // A, capability 4 (before 35: numeric order): capacity but no models, one row with the
        // capability's unconstrained price.
        CapabilityRow a4 = orchestratorA();
        a4.capability = "4";
        a4.capabilityCapacity = 10L;
        a4.pricePerUnit = new BigDecimal("900");
        a4.pixelsPerUnit = 1_000_000L;

        // A, 35, comfyui (before streamdiffusion-sdxl): no hardware entry names it, so one row
        // with no pipeline and no GPU; no price for the model, so the first unconstrained one
        // (the empty constraint, not the absent one after it).
        CapabilityRow comfy = orchestratorA();
        comfy.capability = "35";
        comfy.capabilityCapacity = 3L;
        comfy.model = "comfyui";
        comfy.warm = false;
        comfy.capacity = 1L;
        comfy.capacityInUse = 0L;
        comfy.runnerVersion = "0.11.2";
        comfy.pricePerUnit = new BigDecimal("950");
        comfy.pixelsPerUnit = 1L;

        // A, 35, streamdiffusion-sdxl on GPU "0" then "1": the model's own price (not the decoy
        // under 27, not the general 950); the model's capacity repeats on both GPU rows.
        CapabilityRow sdxl0 = orchestratorA();
        sdxl0.capability = "35";
        sdxl0.capabilityCapacity = 3L;
        sdxl0.pipeline = LV2V;
        sdxl0.model = SDXL;
        sdxl0.warm = true;
        sdxl0.capacity = 2L;
        sdxl0.capacityInUse = 1L;
        sdxl0.runnerVersion = "0.12.0";
        sdxl0.pricePerUnit = new BigDecimal("1200.50");
        sdxl0.pixelsPerUnit = 1L;
        sdxl0.gpuKey = "0";
        sdxl0.gpuId = "GPU-aaaa";
        sdxl0.gpuName = RTX_4090;
        sdxl0.gpuMajor = 8L;
        sdxl0.gpuMinor = 9L;
        sdxl0.gpuMemoryTotal = 25_757_220_864L;
        sdxl0.gpuMemoryFree = 12_000_000_000L;
        sdxl0.gpuCount = 2;

        CapabilityRow sdxl1 = orchestratorA();
        sdxl1.capability = "35";
        sdxl1.capabilityCapacity = 3L;
        sdxl1.pipeline = LV2V;
        sdxl1.model = SDXL;
        sdxl1.warm = true;
        sdxl1.capacity = 2L;
        sdxl1.capacityInUse = 1L;
        sdxl1.runnerVersion = "0.12.0";
        sdxl1.pricePerUnit = new BigDecimal("1200.50");
        sdxl1.pixelsPerUnit = 1L;
        sdxl1.gpuKey = "1";
        sdxl1.gpuId = "GPU-bbbb";
        sdxl1.gpuName = RTX_4090;
        sdxl1.gpuMajor = 8L;
        sdxl1.gpuMinor = 9L;
        sdxl1.gpuMemoryTotal = 25_757_220_864L;
        sdxl1.gpuMemoryFree = 20_000_000_000L;
        sdxl1.gpuCount = 2;

        // B: lower-cased addresses, trimmed URI, no prices at all.
        CapabilityRow b = base();
        b.orchestratorAddress = ORCH_B;
        b.hotWallet = HOT_B;
        b.orchUri = "https://orch-b.example:8935";
        b.version = "0.9.2";
        b.minVersion = "0.9.0";
        b.capability = "35";
        b.capabilityCapacity = 1L;
        b.pipeline = LV2V;
        b.model = SDXL;
        b.warm = true;
        b.capacity = 1L;
        b.capacityInUse = 1L;
        b.runnerVersion = "0.12.1";
        b.gpuKey = "0";
        b.gpuId = "GPU-cccc";
        b.gpuName = "NVIDIA RTX A6000";
        b.gpuMajor = 8L;
        b.gpuMinor = 6L;
        b.gpuMemoryTotal = 51_527_024_640L;
        b.gpuMemoryFree = 40_000_000_000L;
        b.gpuCount = 1;

        assertThat(rows).containsExactly(a4, comfy, sdxl0, sdxl1, b);
    }

    @Test
    void theFlatMapEmitsTheSameRowsForACapabilitiesEvent() throws Exception {
        TelemetryEvent e = event(TWO_ORCHESTRATORS);
        CapabilityRows fn = new CapabilityRows();
        try (OneInputStreamOperatorTestHarness<TelemetryEvent, CapabilityRow> h = harness(fn)) {
            h.processElement(new StreamRecord<>(e, T0));

            assertThat(h.extractOutputValues())
                    .extracting(r -> r.orchestratorAddress + " " + r.capability + " " + r.model)
                    .containsExactly(
                            ORCH_A + " 4 null",
                            ORCH_A + " 35 comfyui",
                            ORCH_A + " 35 " + SDXL,
                            ORCH_A + " 35 " + SDXL,
                            ORCH_B + " 35 " + SDXL);
            assertThat(undecodable(fn)).isZero();
        }
    }

    @Test
    void ordersCapabilityIdsNumericallyThenAsText() {
        TelemetryEvent e =
                event(
                        "{\"address\":\"0x01\",\"capabilities\":{\"capacities\":"
                                + "{\"x\":1,\"10\":2,\"010\":3,\"9\":4,\"100\":5}}}");

        assertThat(CapabilityRows.of(e, decode(e)))
                .extracting(r -> r.capability + "=" + r.capabilityCapacity)
                .containsExactly("9=4", "010=3", "10=2", "100=5", "x=1");
    }

    // ---- (b) the real sample

    /**
     * {@code hackathon-sink-events.jsonl} line 6 (the only {@code network_capabilities} sample):
     * one orchestrator, 27 capacities and no per-model constraints, prices and hardware null.
     */
    @Test
    void expandsTheRealSampleIntoOneRowPerAdvertisedCapability() {
        TelemetryEvent e = capabilitiesSample();

        List<CapabilityRow> rows = CapabilityRows.of(e, decode(e));

        // The sample's capacities, in numeric order (the text order is the same here, but
        // lexicographic order would put 10..12 before 2).
        String[][] capacities = {
            {"0", "2"},
            {"1", "2"},
            {"2", "2"},
            {"3", "2"},
            {"4", "2"},
            {"5", "2"},
            {"6", "2"},
            {"7", "2"},
            {"8", "2"},
            {"9", "2"},
            {"10", "2"},
            {"11", "2"},
            {"12", "2"},
            {"14", "2"},
            {"15", "1"},
            {"16", "1"},
            {"17", "1"},
            {"18", "1"},
            {"26", "2"},
            {"27", "1"},
            {"28", "1"},
            {"29", "1"},
            {"30", "1"},
            {"31", "1"},
            {"32", "1"},
            {"34", "1"},
            {"36", "1"}
        };
        List<CapabilityRow> expected = new ArrayList<>();
        for (String[] c : capacities) {
            CapabilityRow r = new CapabilityRow();
            // 2025-12-05T16:24:46.259972687Z: 1_764_892_800_000 (Dec 5) + 59_086_259 ms.
            r.snapshotTime = 1_764_951_886_259L;
            r.eventId = "f6643ebc-3d34-4ed1-8eb9-595228d5264b";
            r.orchestratorAddress = "0x5263e0ce3a97b634d8828ce4337ad0f70b30b077";
            r.hotWallet = "0x52cf2968b3dc6016778742d3539449a6597d5954";
            r.orchUri = "https://localhost:18935";
            r.version = "0.8.3";
            r.minVersion = "0.8.3";
            r.capability = c[0];
            r.capabilityCapacity = Long.parseLong(c[1]);
            expected.add(r);
        }
        assertThat(rows).containsExactlyElementsOf(expected);
        // Spot checks of single rows: no gateway in the envelope, no model, price or GPU.
        CapabilityRow live = rows.get(26);
        assertThat(live.capability).isEqualTo("36");
        assertThat(live.capabilityCapacity).isEqualTo(1L);
        assertThat(live.gateway).isNull();
        assertThat(live.model).isNull();
        assertThat(live.pricePerUnit).isNull();
        assertThat(live.gpuKey).isNull();
        assertThat(live.gpuCount).isNull();
        assertThat(rows.get(13).capability).isEqualTo("14");
        assertThat(rows.get(13).capabilityCapacity).isEqualTo(2L);
    }

    @Test
    void ofAllBundledSamplesOnlyTheCapabilitiesEventGivesRows() throws Exception {
        CapabilityRows fn = new CapabilityRows();
        try (OneInputStreamOperatorTestHarness<TelemetryEvent, CapabilityRow> h = harness(fn)) {
            List<TelemetryEvent> events = new ArrayList<>();
            for (String line : sampleLines(SINK)) {
                events.addAll(parse(line));
            }
            for (String line : sampleLines(KAFKA)) {
                events.addAll(parse(line));
            }
            assertThat(events).hasSize(18);
            for (TelemetryEvent e : events) {
                h.processElement(new StreamRecord<>(e, e.eventTime));
            }

            List<CapabilityRow> rows = h.extractOutputValues();
            assertThat(rows).hasSize(27);
            assertThat(rows)
                    .allSatisfy(
                            r -> {
                                assertThat(r.eventId)
                                        .isEqualTo("f6643ebc-3d34-4ed1-8eb9-595228d5264b");
                                assertThat(r.orchestratorAddress)
                                        .isEqualTo("0x5263e0ce3a97b634d8828ce4337ad0f70b30b077");
                            });
            assertThat(undecodable(fn)).isZero();
        }
    }

    // ---- (c) odd input

    @Test
    void anEntryWithoutAddressOrCapabilitiesStillGivesOneRowOfNulls() {
        // A single object instead of an array, with only a URI.
        TelemetryEvent e = event("{\"orch_uri\":\"https://orch-x.example:8935\"}");

        CapabilityRow expected = base();
        expected.orchUri = "https://orch-x.example:8935";
        assertThat(CapabilityRows.of(e, decode(e))).containsExactly(expected);
    }

    @Test
    void gpuInfoAsAnArrayNullHardwareAndUnreadableValuesGiveNulls() {
        TelemetryEvent e =
                event(
                        """
                        [{"address":"0xEeEe00000000000000000000000000000000000E",
                          "capabilities":{"capacities":{"27":"n/a","35":2},
                            "constraints":{"PerCapability":{"27":{"models":{}},
                              "35":{"models":{"sd-turbo":{"warm":"true","capacity":"2"},
                                "whisper":null}}}}},
                          "capabilities_prices":[{"pricePerUnit":"free","capability":"35"}],
                          "hardware":[
                            {"pipeline":"text-to-image","model_id":"sd-turbo",
                              "gpu_info":[null,{"id":"GPU-eeee","name":"NVIDIA L4",
                                "memory_total":"24000000000"}]},
                            {"pipeline":"image-to-image","model_id":"sd-turbo","gpu_info":null}]},
                         {"address":"0xFfFf00000000000000000000000000000000000F",
                          "capabilities":{"capacities":{"35":1},
                            "constraints":{"PerCapability":{"35":{"models":{
                              "sd-turbo":{"capacity":1}}}}}},
                          "hardware":null}]
                        """);

        String orchE = "0xeeee00000000000000000000000000000000000e";
        // 27: an empty models object is no models; "n/a" is no capacity; no price for 27.
        CapabilityRow e27 = base();
        e27.orchestratorAddress = orchE;
        e27.capability = "27";

        // 35 sd-turbo: the image-to-image entry lists no GPU (a row with its pipeline, no GPU,
        // sorted first), the text-to-image entry's array lists GPU "1" (index 0 is null). The
        // general price of 35 is unreadable: the entry matches, its price is null.
        CapabilityRow noGpu = base();
        noGpu.orchestratorAddress = orchE;
        noGpu.capability = "35";
        noGpu.capabilityCapacity = 2L;
        noGpu.model = "sd-turbo";
        noGpu.warm = true;
        noGpu.capacity = 2L;
        noGpu.pipeline = "image-to-image";
        noGpu.gpuCount = 1;

        CapabilityRow l4 = base();
        l4.orchestratorAddress = orchE;
        l4.capability = "35";
        l4.capabilityCapacity = 2L;
        l4.model = "sd-turbo";
        l4.warm = true;
        l4.capacity = 2L;
        l4.pipeline = "text-to-image";
        l4.gpuKey = "1";
        l4.gpuId = "GPU-eeee";
        l4.gpuName = "NVIDIA L4";
        l4.gpuMemoryTotal = 24_000_000_000L;
        l4.gpuCount = 1;

        // F: hardware null, so hardware unknown: no pipeline, no GPU, no count.
        CapabilityRow f = base();
        f.orchestratorAddress = "0xffff00000000000000000000000000000000000f";
        f.capability = "35";
        f.capabilityCapacity = 1L;
        f.model = "sd-turbo";
        f.capacity = 1L;

        assertThat(CapabilityRows.of(e, decode(e))).containsExactly(e27, noGpu, l4, f);
    }

    @Test
    void nullPartsOfTheRecordGiveNullsNotExceptions() {
        TelemetryEvent e = event("[]");
        assertThat(CapabilityRows.of(e, null)).isEmpty();
        assertThat(CapabilityRows.of(e, new NetworkCapabilities(null))).isEmpty();
        assertThat(CapabilityRows.of(null, new NetworkCapabilities(List.of()))).isEmpty();

        Map<String, Model> models = new HashMap<>();
        models.put("m", null);
        models.put(null, new Model(true, 1L, 0L, null));
        Map<String, Map<String, Model>> perCapability = new HashMap<>();
        perCapability.put("35", models);
        perCapability.put("36", null);
        Capabilities c = new Capabilities(null, null, null, null, perCapability);
        List<Price> prices = Arrays.asList(null, new Price(null, null, null, "m"));
        List<Hardware> hardware =
                Arrays.asList(null, new Hardware(null, null, null), new Hardware("p", "m", null));
        List<Orchestrator> entries =
                Arrays.asList(
                        null,
                        new Orchestrator(null, null, null, null, null, null),
                        new Orchestrator(null, null, "  ", c, prices, hardware));

        List<CapabilityRow> rows = CapabilityRows.of(e, new NetworkCapabilities(entries));

        CapabilityRow bare = base();
        CapabilityRow m = base();
        m.capability = "35";
        m.model = "m";
        m.pipeline = "p";
        m.gpuCount = 0;
        CapabilityRow noModels = base();
        noModels.capability = "36";
        assertThat(rows).containsExactly(bare, m, noModels);
    }

    @Test
    void undecodablePayloadsAreCountedAndOtherFamiliesIgnored() throws Exception {
        CapabilityRows fn = new CapabilityRows();
        try (OneInputStreamOperatorTestHarness<TelemetryEvent, CapabilityRow> h = harness(fn)) {
            TelemetryEvent notJson = event("not json");
            TelemetryEvent gpuText = event("[{\"hardware\":[{\"gpu_info\":\"RTX\"}]}]");
            TelemetryEvent noPayload = event(null);
            TelemetryEvent trace = event("{}");
            trace.family = "stream_trace";
            trace.type = "stream_trace";
            TelemetryEvent noFamily = event("[]");
            noFamily.family = null;

            for (TelemetryEvent e : List.of(notJson, gpuText, noPayload, trace, noFamily)) {
                h.processElement(new StreamRecord<>(e, T0));
            }

            assertThat(h.extractOutputValues()).isEmpty();
            assertThat(undecodable(fn)).isEqualTo(3L);
        }
    }

    // ---- (d) the type

    @Test
    void capabilityRowIsAPojo() {
        assertSerializedAsPojoWithoutKryo(CapabilityRow.class);
    }

    @Test
    void capabilityRowEqualityComparesEveryField() throws Exception {
        for (Field f : CapabilityRow.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers())) {
                continue;
            }
            CapabilityRow a = base();
            CapabilityRow b = base();
            f.set(b, otherValue(f.getType()));
            assertThat(b).as(f.getName()).isNotEqualTo(a);
            f.set(a, otherValue(f.getType()));
            assertThat(b).as(f.getName()).isEqualTo(a).hasSameHashCodeAs(a);
        }
    }

    // ---- fixtures

    private static final String SINK = "/naap/samples/hackathon-sink-events.jsonl";
    private static final String KAFKA = "/naap/samples/kafka-envelope-events.jsonl";

    private static TelemetryEvent event(String payload) {
        TelemetryEvent e = new TelemetryEvent();
        e.eventId = EVENT_ID;
        e.type = "network_capabilities";
        e.family = "network_capabilities";
        e.shape = "kafka_queue";
        e.eventTime = T0;
        e.envelopeTime = T0;
        e.gateway = GATEWAY;
        e.payload = payload;
        e.source = "raw";
        e.topic = "naap.events.raw";
        e.index = -1;
        return e;
    }

    private static NetworkCapabilities decode(TelemetryEvent e) {
        return (NetworkCapabilities) Families.decode(MAPPER, e);
    }

    /** The fields every row of {@link #event} carries. */
    private static CapabilityRow base() {
        CapabilityRow r = new CapabilityRow();
        r.snapshotTime = T0;
        r.eventId = EVENT_ID;
        r.gateway = GATEWAY;
        return r;
    }

    private static CapabilityRow orchestratorA() {
        CapabilityRow r = base();
        r.orchestratorAddress = ORCH_A;
        r.hotWallet = HOT_A;
        r.orchUri = "https://orch-a.example:8935";
        r.version = "0.9.1";
        r.minVersion = "0.9.0";
        return r;
    }

    private static Object otherValue(Class<?> type) {
        if (type == long.class || type == Long.class) {
            return 42L;
        }
        if (type == Integer.class) {
            return 42;
        }
        if (type == Boolean.class) {
            return Boolean.TRUE;
        }
        if (type == BigDecimal.class) {
            return new BigDecimal("4.2");
        }
        return "other";
    }

    private static OneInputStreamOperatorTestHarness<TelemetryEvent, CapabilityRow> harness(
            CapabilityRows fn) throws Exception {
        OneInputStreamOperatorTestHarness<TelemetryEvent, CapabilityRow> h =
                new OneInputStreamOperatorTestHarness<>(new StreamFlatMap<>(fn));
        h.open();
        return h;
    }

    private static long undecodable(CapabilityRows fn) {
        Accumulator<?, ?> a =
                fn.getRuntimeContext().getAccumulator(CapabilityRows.UNDECODABLE_COUNT);
        return a == null ? 0L : (Long) a.getLocalValue();
    }

    private static TelemetryEvent capabilitiesSample() {
        List<TelemetryEvent> events = parse(sampleLines(SINK).get(5));
        assertThat(events).hasSize(1);
        assertThat(events.get(0).family).isEqualTo("network_capabilities");
        return events.get(0);
    }

    /** The events the parser accepts from one sample line; a rejection fails the test. */
    private static List<TelemetryEvent> parse(String line) {
        List<TelemetryEvent> accepted = new ArrayList<>();
        List<Rejection> rejected = new ArrayList<>();
        new EventParser(ParserConfig.defaults())
                .parse(
                        new RawRecord(
                                line.getBytes(StandardCharsets.UTF_8),
                                "raw",
                                "naap.events.raw",
                                0,
                                0L,
                                0L),
                        new ParseOutput() {
                            @Override
                            public void accepted(TelemetryEvent event) {
                                accepted.add(event);
                            }

                            @Override
                            public void rejected(Rejection rejection) {
                                rejected.add(rejection);
                            }
                        });
        assertThat(rejected).isEmpty();
        return accepted;
    }

    private static List<String> sampleLines(String resource) {
        try (InputStream in = CapabilityRowsTest.class.getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            List<String> out = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) {
                    out.add(line);
                }
            }
            return out;
        } catch (IOException x) {
            throw new IllegalStateException(x);
        }
    }
}
