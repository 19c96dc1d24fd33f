package org.livepeer.naap.functions.metrics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.livepeer.naap.functions.Accounting;
import org.livepeer.naap.schemas.Addresses;
import org.livepeer.naap.schemas.TelemetryEvent;
import org.livepeer.naap.schemas.output.CapabilityRow;
import org.livepeer.naap.schemas.output.SessionFact;

/**
 * Attributes each session to its orchestrator's canonical identity and, when the hardware says
 * which, its GPU (issue 6, METRICS.md "Windowed metrics"), from the latest {@code
 * network_capabilities} snapshot of every orchestrator, held in broadcast state.
 *
 * <p>Resolution, never a guess: the session's first orchestrator (the one the gateway chose for the
 * request) by its service URI first; else by the address the traces carry when it is a canonical
 * address some snapshot lists; else by that address as a hot wallet, when it fronts exactly one
 * orchestrator. The GPU is the one the orchestrator's hardware lists for the session's model, when
 * it lists exactly one.
 *
 * <p>Status ({@link SessionFact#attribution}): {@code resolved} (orchestrator known, and its
 * snapshot lists hardware for the model: the GPU when it lists exactly one, else the GPU stays
 * empty, since nothing in a stream's events says which of the model's GPUs served it); {@code
 * hardware_less} (orchestrator known, its snapshot lists no GPU for the model); {@code stale}
 * (known, but from a snapshot older than {@code maxSnapshotAge} before the session's last event);
 * {@code ambiguous} (a hot wallet fronting several orchestrators); {@code unresolved} (no snapshot
 * names it).
 *
 * <p>A snapshot that arrives after the session's first events is still used: live updates are
 * attributed with what is known when they pass, and a final fact that finds no snapshot yet is held
 * (keyed state, by session) until the first snapshot that resolves it arrives, or until {@code
 * wait} of event time has passed, when it goes out {@code unresolved}. Snapshots in broadcast state
 * are forgotten {@code forgetAfter} after their time.
 */
public class Attribution
        extends KeyedBroadcastProcessFunction<
                String, SessionFact, Attribution.OrchestratorSnapshot, SessionFact> {
    private static final long serialVersionUID = 1L;

    public static final String RESOLVED = "resolved";
    public static final String HARDWARE_LESS = "hardware_less";
    public static final String STALE = "stale";
    public static final String AMBIGUOUS = "ambiguous";
    public static final String UNRESOLVED = "unresolved";

    /** Accounting names. */
    public static final String BY_STATUS = "attribution";

    public static final String WAITED = "attribution_waited";

    /** The snapshots, by canonical address (lower case). */
    public static final MapStateDescriptor<String, OrchestratorSnapshot> SNAPSHOTS =
            new MapStateDescriptor<>(
                    "attribution-snapshots",
                    Types.STRING,
                    TypeInformation.of(OrchestratorSnapshot.class));

    /**
     * The snapshots by canonical address, each orchestrator's in event-time order, for attribution
     * as of an element's time ({@link #storeHistory}, {@link #resolveAsOf}).
     */
    public static final MapStateDescriptor<String, SnapshotHistory> SNAPSHOT_HISTORY =
            new MapStateDescriptor<>(
                    "attribution-snapshot-history",
                    Types.STRING,
                    TypeInformation.of(SnapshotHistory.class));

    /** The latest snapshot of one orchestrator: the rows of one capabilities entry. A POJO. */
    public static class OrchestratorSnapshot {
        public String eventId;
        public long time;
        public String address;
        public String uri;
        public String hotWallet;
        public List<CapabilityRow> rows = new ArrayList<>();

        public OrchestratorSnapshot() {}

        @Override
        public boolean equals(Object o) {
            return o instanceof OrchestratorSnapshot s
                    && time == s.time
                    && Objects.equals(eventId, s.eventId)
                    && Objects.equals(address, s.address)
                    && Objects.equals(uri, s.uri)
                    && Objects.equals(hotWallet, s.hotWallet)
                    && Objects.equals(rows, s.rows);
        }

        @Override
        public int hashCode() {
            return Objects.hash(eventId, time, address);
        }

        /**
         * The rows of one {@code network_capabilities} event grouped into one snapshot per
         * orchestrator that has an address, in payload order. Whole snapshots, not rows, go to
         * broadcast state: a session attributed while a snapshot's rows were still arriving would
         * see only part of the orchestrator's hardware.
         */
        public static List<OrchestratorSnapshot> of(List<CapabilityRow> rows) {
            Map<String, OrchestratorSnapshot> byAddress = new java.util.LinkedHashMap<>();
            for (CapabilityRow r : rows) {
                String address = Addresses.normalize(r.orchestratorAddress);
                if (address == null) {
                    continue;
                }
                OrchestratorSnapshot s =
                        byAddress.computeIfAbsent(
                                address,
                                a -> {
                                    OrchestratorSnapshot n = new OrchestratorSnapshot();
                                    n.eventId = r.eventId;
                                    n.time = r.snapshotTime;
                                    n.address = a;
                                    n.uri = r.orchUri;
                                    n.hotWallet = Addresses.normalize(r.hotWallet);
                                    return n;
                                });
                s.rows.add(r);
            }
            return new ArrayList<>(byAddress.values());
        }
    }

    /** Decodes {@code network_capabilities} events into {@link OrchestratorSnapshot}s. */
    public static class Snapshots
            extends RichFlatMapFunction<TelemetryEvent, OrchestratorSnapshot> {
        private static final long serialVersionUID = 1L;

        private final CapabilityRows rows = new CapabilityRows();

        @Override
        public void open(OpenContext openContext) throws Exception {
            rows.setRuntimeContext(getRuntimeContext());
            rows.open(openContext);
        }

        @Override
        public void flatMap(TelemetryEvent event, Collector<OrchestratorSnapshot> out) {
            List<CapabilityRow> collected = new ArrayList<>();
            rows.flatMap(
                    event,
                    new Collector<>() {
                        @Override
                        public void collect(CapabilityRow r) {
                            collected.add(r);
                        }

                        @Override
                        public void close() {}
                    });
            for (OrchestratorSnapshot s : OrchestratorSnapshot.of(collected)) {
                out.collect(s);
            }
        }
    }

    /** Final facts waiting for a snapshot, by session. */
    static final ListStateDescriptor<SessionFact> WAITING = waitingDescriptor();

    private static ListStateDescriptor<SessionFact> waitingDescriptor() {
        ListStateDescriptor<SessionFact> d =
                new ListStateDescriptor<>(
                        "attribution-waiting", TypeInformation.of(SessionFact.class));
        // Behind the wait timer, should the watermark stall.
        d.enableTimeToLive(
                StateTtlConfig.newBuilder(Duration.ofDays(1))
                        .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                        .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                        .build());
        return d;
    }

    private final long waitMs;
    private final long maxSnapshotAgeMs;
    private final long forgetAfterMs;

    private transient ListState<SessionFact> waiting;
    private transient Accounting accounting;

    public Attribution(long waitMs, long maxSnapshotAgeMs, long forgetAfterMs) {
        this.waitMs = waitMs;
        this.maxSnapshotAgeMs = maxSnapshotAgeMs;
        this.forgetAfterMs = forgetAfterMs;
    }

    @Override
    public void open(OpenContext openContext) {
        waiting = getRuntimeContext().getListState(WAITING);
        accounting = new Accounting(getRuntimeContext());
    }

    @Override
    public void processElement(SessionFact fact, ReadOnlyContext ctx, Collector<SessionFact> out)
            throws Exception {
        attribute(fact, ctx.getBroadcastState(SNAPSHOTS));
        if (SessionFact.STATUS_FINAL.equals(fact.status)
                && UNRESOLVED.equals(fact.attribution)
                && (fact.orchestratorUrl != null || fact.orchestratorAddress != null)) {
            waiting.add(fact);
            ctx.timerService().registerEventTimeTimer(fact.emittedAt + waitMs);
            accounting.count(WAITED);
            return;
        }
        out.collect(fact);
    }

    @Override
    public void processBroadcastElement(
            OrchestratorSnapshot snapshot, Context ctx, Collector<SessionFact> out)
            throws Exception {
        BroadcastState<String, OrchestratorSnapshot> snapshots = ctx.getBroadcastState(SNAPSHOTS);
        if (!store(snapshots, snapshot, forgetAfterMs)) {
            // A delayed older snapshot: the newer one stands.
            return;
        }
        // Release the final facts this snapshot resolves.
        ctx.applyToKeyedState(
                WAITING,
                (key, list) -> {
                    List<SessionFact> still = new ArrayList<>();
                    for (SessionFact f : list.get()) {
                        attribute(f, snapshots);
                        if (UNRESOLVED.equals(f.attribution)) {
                            still.add(f);
                        } else {
                            out.collect(f);
                        }
                    }
                    list.update(still);
                });
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<SessionFact> out)
            throws Exception {
        List<SessionFact> still = new ArrayList<>();
        for (SessionFact f : waiting.get()) {
            if (f.emittedAt + waitMs <= timestamp) {
                attribute(f, ctx.getBroadcastState(SNAPSHOTS));
                out.collect(f);
            } else {
                still.add(f);
            }
        }
        waiting.update(still);
    }

    private static boolean listsHardware(OrchestratorSnapshot s) {
        for (CapabilityRow r : s.rows) {
            if (r.gpuId != null) {
                return true;
            }
        }
        return false;
    }

    /** What {@link #resolve} found: the canonical address, the GPU and the status. */
    public record Resolution(String address, String gpuId, String gpuName, String status) {}

    /** Sets the attribution fields of {@code f} from the snapshots. */
    void attribute(SessionFact f, ReadOnlyBroadcastState<String, OrchestratorSnapshot> snapshots)
            throws Exception {
        long sessionTime = f.lastEventAt != null ? f.lastEventAt : f.emittedAt;
        Resolution r =
                resolve(
                        snapshots,
                        f.orchestratorUrl,
                        f.orchestratorAddress,
                        f.model,
                        sessionTime,
                        maxSnapshotAgeMs);
        f.canonicalAddress = r.address();
        f.gpuId = r.gpuId();
        f.gpuName = r.gpuName();
        f.attribution = r.status();
        accounting.count(BY_STATUS, "status", f.attribution);
    }

    /**
     * Resolves an orchestrator named by {@code uri} and {@code address} (as traces and samples
     * carry them) and the GPU of {@code model} on it, as of {@code time}, by the rules of the class
     * comment.
     */
    public static Resolution resolve(
            ReadOnlyBroadcastState<String, OrchestratorSnapshot> snapshots,
            String uri,
            String address,
            String model,
            long time,
            long maxSnapshotAgeMs)
            throws Exception {
        Finder f = new Finder(uri, Addresses.normalize(address));
        if (f.looking()) {
            for (Map.Entry<String, OrchestratorSnapshot> e : snapshots.immutableEntries()) {
                f.consider(e.getValue());
            }
        }
        return f.resolution(model, time, maxSnapshotAgeMs);
    }

    /**
     * {@link #resolve} against the snapshots in force at {@code time} ({@link SnapshotHistory#at}):
     * the same answer whatever order the snapshots arrived in, once the watermark has passed {@code
     * time}.
     */
    public static Resolution resolveAsOf(
            ReadOnlyBroadcastState<String, SnapshotHistory> histories,
            String uri,
            String address,
            String model,
            long time,
            long maxSnapshotAgeMs,
            long forgetAfterMs)
            throws Exception {
        Finder f = new Finder(uri, Addresses.normalize(address));
        if (f.looking()) {
            for (Map.Entry<String, SnapshotHistory> e : histories.immutableEntries()) {
                OrchestratorSnapshot s = e.getValue().at(time, forgetAfterMs);
                if (s != null) {
                    f.consider(s);
                }
            }
        }
        return f.resolution(model, time, maxSnapshotAgeMs);
    }

    /**
     * Adds {@code snapshot} to its orchestrator's history, folds what the watermark has passed
     * ({@link SnapshotHistory#prune}) and forgets orchestrators whose latest snapshot is more than
     * {@code forgetAfterMs} behind the watermark (no element the watermark has not passed can find
     * them any more).
     */
    static void storeHistory(
            BroadcastState<String, SnapshotHistory> histories,
            OrchestratorSnapshot snapshot,
            long watermark,
            long forgetAfterMs)
            throws Exception {
        SnapshotHistory h = histories.get(snapshot.address);
        if (h == null) {
            h = new SnapshotHistory();
        }
        h.add(snapshot);
        histories.put(snapshot.address, h);
        if (watermark == Long.MIN_VALUE) {
            return;
        }
        List<String> forgotten = new ArrayList<>();
        for (Map.Entry<String, SnapshotHistory> e : histories.entries()) {
            SnapshotHistory held = e.getValue();
            if (held.latestTime() + forgetAfterMs < watermark) {
                forgotten.add(e.getKey());
            } else {
                held.prune(watermark);
            }
        }
        for (String k : forgotten) {
            histories.remove(k);
        }
    }

    /**
     * Finds the snapshot an orchestrator named by {@code uri} and {@code address} resolves to: by
     * URI first (the lowest address when several list it), else by canonical address, else by hot
     * wallet when exactly one lists it. The answer does not depend on the order of {@link
     * #consider}.
     */
    private static final class Finder {
        private final String uri;
        private final String named;
        private OrchestratorSnapshot byUri;
        private OrchestratorSnapshot byAddress;
        private OrchestratorSnapshot byHotWallet;
        private int hotWallets;

        Finder(String uri, String named) {
            this.uri = uri;
            this.named = named;
        }

        boolean looking() {
            return uri != null || named != null;
        }

        void consider(OrchestratorSnapshot c) {
            if (uri != null
                    && uri.equals(c.uri)
                    && (byUri == null || c.address.compareTo(byUri.address) < 0)) {
                byUri = c;
            }
            if (named != null && named.equals(c.address)) {
                byAddress = c;
            }
            if (named != null && named.equals(c.hotWallet)) {
                byHotWallet = c;
                hotWallets++;
            }
        }

        Resolution resolution(String model, long time, long maxSnapshotAgeMs) {
            OrchestratorSnapshot s = byUri != null ? byUri : byAddress;
            if (s == null && hotWallets == 1) {
                s = byHotWallet;
            }
            if (s == null) {
                return new Resolution(null, null, null, hotWallets > 1 ? AMBIGUOUS : UNRESOLVED);
            }
            return Attribution.resolution(s, model, time, maxSnapshotAgeMs);
        }
    }

    private static Resolution resolution(
            OrchestratorSnapshot s, String model, long time, long maxSnapshotAgeMs) {
        TreeSet<String> gpus = new TreeSet<>();
        String gpuName = null;
        for (CapabilityRow r : s.rows) {
            if (r.model != null && r.model.equals(model) && r.gpuId != null) {
                gpus.add(r.gpuId);
                gpuName = r.gpuName;
            }
        }
        if (s.time + maxSnapshotAgeMs < time) {
            return new Resolution(s.address, null, null, STALE);
        }
        if (gpus.isEmpty()) {
            return new Resolution(s.address, null, null, HARDWARE_LESS);
        }
        return gpus.size() == 1
                ? new Resolution(s.address, gpus.first(), gpuName, RESOLVED)
                : new Resolution(s.address, null, null, RESOLVED);
    }

    /**
     * Holds {@code snapshot} as its orchestrator's latest (unless a newer one is held) and forgets
     * orchestrators no snapshot has listed for {@code forgetAfterMs}.
     *
     * @return false when it was older than the one held (and ignored)
     */
    static boolean store(
            BroadcastState<String, OrchestratorSnapshot> snapshots,
            OrchestratorSnapshot snapshot,
            long forgetAfterMs)
            throws Exception {
        OrchestratorSnapshot held = snapshots.get(snapshot.address);
        if (held != null && held.time > snapshot.time) {
            return false;
        }
        if (held != null && !listsHardware(snapshot) && listsHardware(held)) {
            // A snapshot without hardware (it is optional) does not unsay the GPUs the last one
            // listed: keep those rows, under the new snapshot's time and identity.
            OrchestratorSnapshot kept = new OrchestratorSnapshot();
            kept.eventId = snapshot.eventId;
            kept.time = snapshot.time;
            kept.address = snapshot.address;
            kept.uri = snapshot.uri;
            kept.hotWallet = snapshot.hotWallet;
            kept.rows = held.rows;
            snapshot = kept;
        }
        snapshots.put(snapshot.address, snapshot);
        List<String> old = new ArrayList<>();
        for (Map.Entry<String, OrchestratorSnapshot> e : snapshots.entries()) {
            if (e.getValue().time + forgetAfterMs < snapshot.time) {
                old.add(e.getKey());
            }
        }
        for (String k : old) {
            snapshots.remove(k);
        }
        return true;
    }
}
