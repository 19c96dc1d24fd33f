package org.livepeer.naap.schemas.family;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.livepeer.naap.schemas.NodeIds;

/**
 * {@code network_capabilities}: the orchestrators a gateway knows, with what they offer. The
 * payload is an array of orchestrator objects (a single object is taken as a one-entry array).
 */
public record NetworkCapabilities(List<Orchestrator> orchestrators) implements FamilyPayload {

    /**
     * One orchestrator.
     *
     * @param address the canonical address (EIP-55 mixed case, as sent)
     * @param localAddress the hot wallet
     * @param prices {@code capabilities_prices}; null when null or absent
     * @param hardware null when null or absent
     */
    public record Orchestrator(
            String address,
            String localAddress,
            String orchUri,
            Capabilities capabilities,
            List<Price> prices,
            List<Hardware> hardware) {}

    /**
     * {@code capabilities}.
     *
     * @param bitstring the capability bit words (an element that is not a number is null)
     * @param capacities capability id to slot count
     * @param minVersion {@code constraints.minVersion}
     * @param perCapability {@code constraints.PerCapability}: capability id to model name to model
     */
    public record Capabilities(
            List<Long> bitstring,
            Map<String, Long> capacities,
            String version,
            String minVersion,
            Map<String, Map<String, Model>> perCapability) {}

    /** One model under a capability: {@code warm}, {@code capacity}, {@code capacityInUse}. */
    public record Model(Boolean warm, Long capacity, Long capacityInUse, String runnerVersion) {}

    /** One {@code capabilities_prices[]} entry; {@code constraint} is usually the model. */
    public record Price(
            BigDecimal pricePerUnit, Long pixelsPerUnit, String capability, String constraint) {}

    /** One {@code hardware[]} entry; {@code gpus} from {@code gpu_info} in map or array form. */
    public record Hardware(String pipeline, String modelId, List<Gpu> gpus) {}

    /**
     * One GPU.
     *
     * @param key its {@code gpu_info} key ({@code "0"}...), or its array index as text
     */
    public record Gpu(
            String key,
            String id,
            String name,
            Long major,
            Long minor,
            Long memoryFree,
            Long memoryTotal) {}

    static NetworkCapabilities read(JsonNode data) {
        List<Orchestrator> out = new ArrayList<>();
        for (Elements.Item item : Elements.objects(data, "an array of objects or an object")) {
            JsonNode o = item.node();
            String p = item.path();
            out.add(
                    new Orchestrator(
                            Read.text(o, "address", p),
                            Read.text(o, "local_address", p),
                            Read.text(o, "orch_uri", p),
                            capabilities(o, p),
                            prices(o, p),
                            hardware(o, p)));
        }
        return new NetworkCapabilities(Collections.unmodifiableList(out));
    }

    private static Capabilities capabilities(JsonNode o, String parent) {
        JsonNode c = Read.object(o, "capabilities", parent);
        if (c == null) {
            return null;
        }
        String p = Read.path(parent, "capabilities");
        List<Long> bits = null;
        JsonNode b = Read.array(c, "bitstring", p);
        if (b != null) {
            bits = new ArrayList<>(b.size());
            for (int i = 0; i < b.size(); i++) {
                JsonNode v = b.get(i);
                if (v.isContainerNode()) {
                    throw Read.wrongType(Read.path(Read.path(p, "bitstring"), i), "a number", v);
                }
                // A bit word is a uint64: keep its 64 bits even above Long.MAX_VALUE.
                BigDecimal d = Read.decimal(v);
                bits.add(Read.word(d));
            }
            bits = Collections.unmodifiableList(bits);
        }
        Map<String, Long> capacities = null;
        JsonNode caps = Read.object(c, "capacities", p);
        if (caps != null) {
            String cp = Read.path(p, "capacities");
            capacities = new LinkedHashMap<>();
            for (Iterator<String> it = caps.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                capacities.put(k, Read.lng(caps, k, cp));
            }
            capacities = Collections.unmodifiableMap(capacities);
        }
        String minVersion = null;
        Map<String, Map<String, Model>> perCapability = null;
        JsonNode constraints = Read.object(c, "constraints", p);
        if (constraints != null) {
            String kp = Read.path(p, "constraints");
            minVersion = Read.text(constraints, "minVersion", kp);
            perCapability = perCapability(constraints, kp);
        }
        return new Capabilities(
                bits, capacities, Read.text(c, "version", p), minVersion, perCapability);
    }

    private static Map<String, Map<String, Model>> perCapability(
            JsonNode constraints, String parent) {
        JsonNode pc = Read.object(constraints, "PerCapability", parent);
        if (pc == null) {
            return null;
        }
        String pp = Read.path(parent, "PerCapability");
        Map<String, Map<String, Model>> out = new LinkedHashMap<>();
        for (Iterator<String> it = pc.fieldNames(); it.hasNext(); ) {
            String cap = it.next();
            JsonNode capNode = Read.object(pc, cap, pp);
            if (capNode == null) {
                continue;
            }
            String cp = Read.path(pp, cap);
            JsonNode models = Read.object(capNode, "models", cp);
            Map<String, Model> byModel = new LinkedHashMap<>();
            if (models != null) {
                String mp = Read.path(cp, "models");
                for (Iterator<String> mit = models.fieldNames(); mit.hasNext(); ) {
                    String name = mit.next();
                    JsonNode m = Read.object(models, name, mp);
                    if (m == null) {
                        continue;
                    }
                    String p = Read.path(mp, name);
                    byModel.put(
                            name,
                            new Model(
                                    Read.bool(m, "warm", p),
                                    Read.lng(m, "capacity", p),
                                    Read.lng(m, "capacityInUse", p),
                                    Read.text(m, "runnerVersion", p)));
                }
            }
            out.put(cap, Collections.unmodifiableMap(byModel));
        }
        return Collections.unmodifiableMap(out);
    }

    private static List<Price> prices(JsonNode o, String parent) {
        JsonNode a = Read.array(o, "capabilities_prices", parent);
        if (a == null) {
            return null;
        }
        String ap = Read.path(parent, "capabilities_prices");
        List<Price> out = new ArrayList<>(a.size());
        for (int i = 0; i < a.size(); i++) {
            JsonNode e = Read.element(a, i, ap);
            String p = Read.path(ap, i);
            out.add(
                    new Price(
                            Read.dec(e, "pricePerUnit", p),
                            Read.lng(e, "pixelsPerUnit", p),
                            Read.text(e, "capability", p),
                            Read.text(e, "constraint", p)));
        }
        return Collections.unmodifiableList(out);
    }

    private static List<Hardware> hardware(JsonNode o, String parent) {
        JsonNode a = Read.array(o, "hardware", parent);
        if (a == null) {
            return null;
        }
        String ap = Read.path(parent, "hardware");
        List<Hardware> out = new ArrayList<>(a.size());
        for (int i = 0; i < a.size(); i++) {
            JsonNode h = Read.element(a, i, ap);
            String p = Read.path(ap, i);
            out.add(
                    new Hardware(
                            Read.text(h, "pipeline", p), Read.text(h, "model_id", p), gpus(h, p)));
        }
        return Collections.unmodifiableList(out);
    }

    /**
     * {@code gpu_info} as a map keyed {@code "0"}, {@code "1"}... or as an array; null entries
     * skipped.
     */
    private static List<Gpu> gpus(JsonNode hardware, String parent) {
        JsonNode info = Read.get(hardware, "gpu_info");
        if (info == null) {
            return null;
        }
        String p = Read.path(parent, "gpu_info");
        List<Gpu> out = new ArrayList<>();
        if (info.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = info.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                addGpu(out, e.getKey(), e.getValue(), Read.path(p, e.getKey()));
            }
        } else if (info.isArray()) {
            for (int i = 0; i < info.size(); i++) {
                addGpu(out, Integer.toString(i), info.get(i), Read.path(p, i));
            }
        } else {
            throw Read.wrongType(p, "an object, an array or null", info);
        }
        return Collections.unmodifiableList(out);
    }

    private static void addGpu(List<Gpu> out, String key, JsonNode g, String p) {
        if (g.isNull()) {
            return;
        }
        if (!g.isObject()) {
            throw Read.wrongType(p, "an object or null", g);
        }
        out.add(
                new Gpu(
                        key,
                        Read.text(g, "id", p),
                        Read.text(g, "name", p),
                        Read.lng(g, "major", p),
                        Read.lng(g, "minor", p),
                        Read.lng(g, "memory_free", p),
                        Read.lng(g, "memory_total", p)));
    }

    @Override
    public List<String> nodeIds() {
        List<String> ids = new ArrayList<>();
        for (Orchestrator o : orchestrators) {
            ids.addAll(
                    NodeIds.of(
                            NodeIds.orchestrator(o.address), NodeIds.orchestratorUri(o.orchUri)));
        }
        return ids;
    }
}
