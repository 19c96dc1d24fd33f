package org.livepeer.naap.functions.metrics;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.util.Collector;
import org.livepeer.naap.functions.Accounting;
import org.livepeer.naap.schemas.Addresses;
import org.livepeer.naap.schemas.EventParser;
import org.livepeer.naap.schemas.Family;
import org.livepeer.naap.schemas.TelemetryEvent;
import org.livepeer.naap.schemas.family.Families;
import org.livepeer.naap.schemas.family.FamilyPayload;
import org.livepeer.naap.schemas.family.InvalidPayloadException;
import org.livepeer.naap.schemas.family.NetworkCapabilities;
import org.livepeer.naap.schemas.family.NetworkCapabilities.Capabilities;
import org.livepeer.naap.schemas.family.NetworkCapabilities.Gpu;
import org.livepeer.naap.schemas.family.NetworkCapabilities.Hardware;
import org.livepeer.naap.schemas.family.NetworkCapabilities.Model;
import org.livepeer.naap.schemas.family.NetworkCapabilities.Orchestrator;
import org.livepeer.naap.schemas.family.NetworkCapabilities.Price;
import org.livepeer.naap.schemas.output.CapabilityRow;

/**
 * Fans each {@code network_capabilities} entry out into {@link CapabilityRow}s, one per
 * orchestrator x capability x model x GPU (the rules are on {@link #of}). The rows are the
 * capability snapshots that attribution and the windowed metrics read (METRICS.md, "Windowed
 * metrics": the slots offered per model and GPU behind {@code cue} and {@code gpu_utilization}),
 * and the only source of which GPU serves a model (EVENTS.md: no trace names it).
 *
 * <p>Stateless: no key, no state, no timers. Input: every event; families other than {@code
 * network_capabilities} are ignored. Output: the rows of each snapshot, in the order of {@link
 * #of}. A late snapshot is expanded like any other: the consumer, which knows the snapshot time,
 * decides whether it still counts. A payload that does not decode (never one the parser accepted)
 * is counted as {@value #UNDECODABLE_COUNT} and dropped; nothing here throws on input.
 */
public class CapabilityRows extends RichFlatMapFunction<TelemetryEvent, CapabilityRow> {
    private static final long serialVersionUID = 1L;

    /** Accounting name (metric and accumulator). */
    public static final String UNDECODABLE_COUNT = "capability_undecodable_events";

    /**
     * Capability ids and GPU keys are numbers sent as text ({@code "35"}, {@code "0"}), so text
     * order would put {@code "35"} before {@code "4"} and GPU {@code "10"} before {@code "2"}:
     * numeric ones in numeric order, then any others as text; null (a row without a GPU) first.
     */
    static final Comparator<String> ID_ORDER =
            Comparator.nullsFirst(
                    (a, b) -> {
                        boolean na = digits(a);
                        boolean nb = digits(b);
                        if (na != nb) {
                            return na ? -1 : 1;
                        }
                        if (na) {
                            String sa = withoutLeadingZeros(a);
                            String sb = withoutLeadingZeros(b);
                            int c = Integer.compare(sa.length(), sb.length());
                            if (c == 0) {
                                c = sa.compareTo(sb);
                            }
                            if (c != 0) {
                                return c;
                            }
                        }
                        // Also tells "07" from "7", so a TreeSet keeps both.
                        return a.compareTo(b);
                    });

    private static final Comparator<String> MODEL_ORDER = Comparator.naturalOrder();

    private static final Comparator<CapabilityRow> GPU_ORDER =
            Comparator.comparing(r -> r.gpuKey, ID_ORDER);

    private transient ObjectMapper mapper;
    private transient Accounting accounting;

    @Override
    public void open(OpenContext openContext) {
        mapper = EventParser.newObjectMapper();
        accounting = new Accounting(getRuntimeContext());
    }

    @Override
    public void flatMap(TelemetryEvent event, Collector<CapabilityRow> out) {
        if (!Family.NETWORK_CAPABILITIES.wireName().equals(event.family)) {
            return;
        }
        FamilyPayload payload;
        try {
            payload = Families.decode(mapper, event);
        } catch (InvalidPayloadException x) {
            accounting.count(UNDECODABLE_COUNT);
            return;
        }
        if (!(payload instanceof NetworkCapabilities caps)) {
            return;
        }
        for (CapabilityRow row : of(event, caps)) {
            out.collect(row);
        }
    }

    /**
     * The rows of one snapshot. Every row carries the event's time, id and relaying gateway, and
     * its orchestrator's address and hot wallet (lower-cased), URI (trimmed), version and
     * minVersion. Per orchestrator entry:
     *
     * <ul>
     *   <li>the capability ids are the keys of {@code capacities} and of {@code
     *       constraints.PerCapability}; each row of a capability carries {@code
     *       capacities[capability]} as {@link CapabilityRow#capabilityCapacity};
     *   <li>a capability with models under {@code PerCapability} gives rows per model (with its
     *       {@code warm}, {@code capacity}, {@code capacityInUse}, {@code runnerVersion}); one with
     *       none (batch and transcoding capabilities listed only in {@code capacities}) gives one
     *       row with a null model, so that its capacity is still visible;
     *   <li>the GPUs of a model are those listed by the {@code hardware} entries whose {@code
     *       model_id} equals the model: one row per GPU, with the {@code pipeline} of its entry and
     *       {@link CapabilityRow#gpuCount} the number of GPUs all those entries list. Several
     *       entries can each list a GPU {@code "0"} (one per worker): each is its own row, told
     *       apart by its id. An entry listing no GPU gives one row with its pipeline and null GPU
     *       fields; a model that no entry names gives one row with null pipeline and GPU fields and
     *       a null count (hardware unknown);
     *   <li>the price is the {@code capabilities_prices} entry whose {@code capability} equals the
     *       capability id and whose {@code constraint} equals the model; else the first entry for
     *       the capability with a null or empty constraint (the capability's general price); else
     *       null. A price for the model under another capability is not used;
     *   <li>an entry without an address still gives rows (with a null address): attribution, which
     *       also knows URIs and hot wallets, decides whose they are; an entry that advertises no
     *       capability at all gives one row with null capability fields, so that it is still seen.
     * </ul>
     *
     * <p>Order: entries as in the payload, then capability id ({@link #ID_ORDER}), then model name,
     * then GPU key ({@link #ID_ORDER}; GPUs under the same key in the order of their hardware
     * entries). Missing or null parts of the payload give null fields, never an exception.
     *
     * @return the rows; empty when {@code caps} or its entries are null
     */
    public static List<CapabilityRow> of(TelemetryEvent e, NetworkCapabilities caps) {
        List<CapabilityRow> out = new ArrayList<>();
        if (e == null || caps == null || caps.orchestrators() == null) {
            return out;
        }
        for (Orchestrator o : caps.orchestrators()) {
            if (o != null) {
                orchestrator(e, o, out);
            }
        }
        return out;
    }

    private static void orchestrator(TelemetryEvent e, Orchestrator o, List<CapabilityRow> out) {
        Capabilities c = o.capabilities();
        Map<String, Long> capacities = orEmpty(c == null ? null : c.capacities());
        Map<String, Map<String, Model>> perCapability =
                orEmpty(c == null ? null : c.perCapability());
        TreeSet<String> ids = new TreeSet<>(ID_ORDER);
        addKeys(ids, capacities);
        addKeys(ids, perCapability);
        if (ids.isEmpty()) {
            out.add(base(e, o));
            return;
        }
        for (String id : ids) {
            Long capabilityCapacity = capacities.get(id);
            Map<String, Model> models = orEmpty(perCapability.get(id));
            if (models.isEmpty()) {
                CapabilityRow r = base(e, o);
                capability(r, id, capabilityCapacity, null, null, price(o.prices(), id, null));
                out.add(r);
                continue;
            }
            TreeSet<String> names = new TreeSet<>(MODEL_ORDER);
            addKeys(names, models);
            for (String name : names) {
                Price price = price(o.prices(), id, name);
                List<CapabilityRow> gpuRows = new ArrayList<>();
                for (Hardware h : hardwareOf(o.hardware(), name)) {
                    gpuRows.addAll(gpuRows(e, o, h));
                }
                if (gpuRows.isEmpty()) {
                    gpuRows.add(base(e, o));
                }
                // Stable: GPUs under the same key stay in the order of their hardware entries.
                gpuRows.sort(GPU_ORDER);
                Integer gpuCount = gpuCount(o.hardware(), name);
                for (CapabilityRow r : gpuRows) {
                    capability(r, id, capabilityCapacity, name, models.get(name), price);
                    r.gpuCount = gpuCount;
                    out.add(r);
                }
            }
        }
    }

    /**
     * The rows of one hardware entry: one per GPU, or one with null GPU fields when it has none.
     */
    private static List<CapabilityRow> gpuRows(TelemetryEvent e, Orchestrator o, Hardware h) {
        List<CapabilityRow> rows = new ArrayList<>();
        for (Gpu g : orEmpty(h.gpus())) {
            if (g == null) {
                continue;
            }
            CapabilityRow r = base(e, o);
            r.pipeline = h.pipeline();
            r.gpuKey = g.key();
            r.gpuId = g.id();
            r.gpuName = g.name();
            r.gpuMajor = g.major();
            r.gpuMinor = g.minor();
            r.gpuMemoryTotal = g.memoryTotal();
            r.gpuMemoryFree = g.memoryFree();
            rows.add(r);
        }
        if (rows.isEmpty()) {
            CapabilityRow r = base(e, o);
            r.pipeline = h.pipeline();
            rows.add(r);
        }
        return rows;
    }

    /** The hardware entries of {@code model}, in payload order. */
    private static List<Hardware> hardwareOf(List<Hardware> hardware, String model) {
        List<Hardware> out = new ArrayList<>();
        for (Hardware h : orEmpty(hardware)) {
            if (h != null && model != null && model.equals(h.modelId())) {
                out.add(h);
            }
        }
        return out;
    }

    /** The GPUs the entries of {@code model} list; null when no entry names it. */
    private static Integer gpuCount(List<Hardware> hardware, String model) {
        List<Hardware> entries = hardwareOf(hardware, model);
        if (entries.isEmpty()) {
            return null;
        }
        int n = 0;
        for (Hardware h : entries) {
            for (Gpu g : orEmpty(h.gpus())) {
                if (g != null) {
                    n++;
                }
            }
        }
        return n;
    }

    /**
     * The price of {@code model} under {@code capability}: the entry constrained to the model, else
     * the first unconstrained entry of the capability, else null.
     */
    static Price price(List<Price> prices, String capability, String model) {
        if (capability == null) {
            return null;
        }
        Price general = null;
        for (Price p : orEmpty(prices)) {
            if (p == null || !capability.equals(p.capability())) {
                continue;
            }
            String constraint = blankToNull(p.constraint());
            if (constraint == null) {
                if (general == null) {
                    general = p;
                }
            } else if (constraint.equals(model)) {
                return p;
            }
        }
        return general;
    }

    private static CapabilityRow base(TelemetryEvent e, Orchestrator o) {
        CapabilityRow r = new CapabilityRow();
        r.snapshotTime = e.eventTime;
        r.eventId = e.eventId;
        r.gateway = e.gateway;
        r.orchestratorAddress = Addresses.normalize(o.address());
        r.hotWallet = Addresses.normalize(o.localAddress());
        r.orchUri = blankToNull(o.orchUri());
        Capabilities c = o.capabilities();
        if (c != null) {
            r.version = c.version();
            r.minVersion = c.minVersion();
        }
        return r;
    }

    private static void capability(
            CapabilityRow r,
            String id,
            Long capabilityCapacity,
            String modelName,
            Model model,
            Price price) {
        r.capability = id;
        r.capabilityCapacity = capabilityCapacity;
        r.model = modelName;
        if (model != null) {
            r.warm = model.warm();
            r.capacity = model.capacity();
            r.capacityInUse = model.capacityInUse();
            r.runnerVersion = model.runnerVersion();
        }
        if (price != null) {
            r.pricePerUnit = price.pricePerUnit();
            r.pixelsPerUnit = price.pixelsPerUnit();
        }
    }

    /**
     * Adds the non-null keys: JSON never has a null key, and skipping one keeps {@code get} safe on
     * maps that reject null.
     */
    private static void addKeys(TreeSet<String> into, Map<String, ?> m) {
        for (String k : m.keySet()) {
            if (k != null) {
                into.add(k);
            }
        }
    }

    private static boolean digits(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch < '0' || ch > '9') {
                return false;
            }
        }
        return true;
    }

    private static String withoutLeadingZeros(String s) {
        int i = 0;
        while (i < s.length() - 1 && s.charAt(i) == '0') {
            i++;
        }
        return s.substring(i);
    }

    /** Trimmed; null when null or blank. */
    private static String blankToNull(String s) {
        if (s == null) {
            return null;
        }
        String t = s.trim();
        return t.isEmpty() ? null : t;
    }

    private static <K, V> Map<K, V> orEmpty(Map<K, V> m) {
        return m == null ? Collections.emptyMap() : m;
    }

    private static <T> List<T> orEmpty(List<T> l) {
        return l == null ? Collections.emptyList() : l;
    }
}
