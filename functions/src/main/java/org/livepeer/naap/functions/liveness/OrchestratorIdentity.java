package org.livepeer.naap.functions.liveness;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.livepeer.naap.functions.Accounting;
import org.livepeer.naap.schemas.NodeIds;

/**
 * Gives every orchestrator heartbeat its canonical node id, {@code orchestrator:<address>}
 * (METRICS.md: orchestrators are known by their canonical address, else their URI), and tells the
 * node which sessions left it.
 *
 * <p>Status samples name an orchestrator by its service URI and, in {@code
 * orchestrator_info.address}, usually its hot wallet; one hot wallet can front several
 * orchestrators. Only a {@code network_capabilities} entry binds the canonical {@code address} to
 * its {@code orch_uri} and {@code local_address} (the hot wallet). This function learns those
 * bindings and resolves a heartbeat by its URI, else by an address that is canonical, else by a hot
 * wallet that fronts exactly one orchestrator.
 *
 * <p>Key: one constant ({@link #KEY}): the bindings span all orchestrators, so every orchestrator
 * heartbeat meets them in one place. Orchestrator heartbeats are a small share of the input (a
 * status sample every few seconds per stream, a snapshot per gateway per minute), and the work per
 * heartbeat is a map lookup; gateway and worker heartbeats never come here.
 *
 * <p>A heartbeat that cannot be resolved yet (its orchestrator's first snapshot has not come) is
 * held, under its URI (else its address), never guessed. A snapshot entry that binds it releases
 * everything held for it at once, sorted by event time, before any later heartbeat of that
 * orchestrator: so the liveness detector sees one orchestrator's heartbeats in event-time order
 * whether or not they were held, and a replay gives the same transitions. A {@code job-processed}
 * of an address no snapshot has listed is held the same way, so it cannot overtake the held status
 * samples of the same orchestrator. What no snapshot binds within {@link
 * LivenessConfig#identityWait()} of event time is released under the URI ({@code
 * orchestrator_uri:<url>}), or its own address, and later heartbeats of that URI go there directly;
 * if a snapshot binds the URI later, an {@link Heartbeat#ALIAS_RESOLVED} notice tells the detector
 * to drop the stand-in node without a transition.
 *
 * <p>Sessions: from the status samples it resolves it follows which orchestrator runs each session,
 * and sends the orchestrator a {@link Heartbeat#SESSION_END} notice when the session's close trace
 * comes (from {@link Heartbeats}, without a node id) or its samples start naming another
 * orchestrator (a swap): the node is then no longer expected on that session's status cadence.
 *
 * <p>State (all with a processing-time TTL of {@link LivenessConfig#stateTtl()} behind the
 * event-time sweep): {@code identity-uris} (URI to address; null address once released under the
 * URI), {@code identity-addresses} (addresses known canonical; negated for one given up on), {@code
 * identity-hot-wallets} (hot wallet to its one address, or ambiguous), each with the event time
 * last confirmed and forgotten {@link LivenessConfig#forgetAfter()} after it; {@code
 * identity-held}, by hold key; {@code identity-sessions}, session to orchestrator, forgotten {@link
 * #SESSION_RETENTION_MS} after its last sample. Timers (event time): one per hold at its first
 * heartbeat plus the wait; one sweep every {@link #SWEEP_MS}. At the end of a bounded input
 * everything held is released and state cleared.
 */
public class OrchestratorIdentity extends KeyedProcessFunction<String, Heartbeat, Heartbeat> {
    private static final long serialVersionUID = 1L;

    /** The one key. */
    public static final String KEY = "orchestrators";

    /** Accounting names (metrics and accumulators). */
    public static final String HELD = "liveness_identity_held";

    public static final String BY_URI = "liveness_identity_by_uri";
    public static final String SESSION_ENDS = "liveness_session_ends";

    static final long SWEEP_MS = 10 * 60_000L;
    static final long SESSION_RETENTION_MS = 10 * 60_000L;

    /** Bindings and sessions are rewritten at most this often when only their time moves. */
    private static final long TOUCH_MS = 60_000L;

    private static final Comparator<Heartbeat> ORDER =
            Comparator.comparingLong((Heartbeat h) -> h.eventTime)
                    .thenComparing(h -> h.source == null ? "" : h.source)
                    .thenComparing(h -> h.sessionId == null ? "" : h.sessionId)
                    .thenComparing(h -> h.signal == null ? "" : h.signal);

    /** The URI's orchestrator: {@code address} null when it was given up on (known by URI). */
    public static class Binding {
        public String address;
        public long seenAt;
        public boolean ambiguous;

        public Binding() {}

        Binding(String address, long seenAt) {
            this.address = address;
            this.seenAt = seenAt;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Binding b
                    && seenAt == b.seenAt
                    && ambiguous == b.ambiguous
                    && Objects.equals(address, b.address);
        }

        @Override
        public int hashCode() {
            return Objects.hash(address, seenAt, ambiguous);
        }
    }

    private final LivenessConfig config;

    private transient MapState<String, Binding> uris;
    private transient MapState<String, Long> addresses;
    private transient MapState<String, Binding> hotWallets;
    private transient MapState<String, List<Heartbeat>> held;
    private transient MapState<String, Binding> sessions;
    private transient ValueState<Long> sweepAt;
    private transient Accounting accounting;

    public OrchestratorIdentity(LivenessConfig config) {
        this.config = config;
    }

    /** Every orchestrator heartbeat to the one key. */
    public static KeySelector<Heartbeat, String> keySelector() {
        return h -> KEY;
    }

    @Override
    public void open(OpenContext openContext) {
        StateTtlConfig ttl =
                StateTtlConfig.newBuilder(config.stateTtl())
                        .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                        .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                        .build();
        TypeInformation<Binding> binding = TypeInformation.of(Binding.class);
        MapStateDescriptor<String, Binding> urisDescriptor =
                new MapStateDescriptor<>("identity-uris", Types.STRING, binding);
        MapStateDescriptor<String, Long> addressesDescriptor =
                new MapStateDescriptor<>("identity-addresses", Types.STRING, Types.LONG);
        MapStateDescriptor<String, Binding> hotDescriptor =
                new MapStateDescriptor<>("identity-hot-wallets", Types.STRING, binding);
        MapStateDescriptor<String, List<Heartbeat>> heldDescriptor =
                new MapStateDescriptor<>(
                        "identity-held",
                        Types.STRING,
                        Types.LIST(TypeInformation.of(Heartbeat.class)));
        MapStateDescriptor<String, Binding> sessionsDescriptor =
                new MapStateDescriptor<>("identity-sessions", Types.STRING, binding);
        ValueStateDescriptor<Long> sweepDescriptor =
                new ValueStateDescriptor<>("identity-sweep", Types.LONG);
        for (var d :
                List.of(
                        urisDescriptor,
                        addressesDescriptor,
                        hotDescriptor,
                        heldDescriptor,
                        sessionsDescriptor)) {
            d.enableTimeToLive(ttl);
        }
        sweepDescriptor.enableTimeToLive(ttl);
        uris = getRuntimeContext().getMapState(urisDescriptor);
        addresses = getRuntimeContext().getMapState(addressesDescriptor);
        hotWallets = getRuntimeContext().getMapState(hotDescriptor);
        held = getRuntimeContext().getMapState(heldDescriptor);
        sessions = getRuntimeContext().getMapState(sessionsDescriptor);
        sweepAt = getRuntimeContext().getState(sweepDescriptor);
        accounting = new Accounting(getRuntimeContext());
    }

    @Override
    public void processElement(Heartbeat h, Context ctx, Collector<Heartbeat> out)
            throws Exception {
        scheduleSweep(h.eventTime, ctx);
        if (h.sessionEnd()) {
            Binding on = h.sessionId == null ? null : sessions.get(h.sessionId);
            if (on != null) {
                sessions.remove(h.sessionId);
                emitSessionEnd(on.address, h.sessionId, h.eventTime, out);
            }
            return;
        }
        if (h.authoritative) {
            bind(h, out);
            return;
        }
        String id = resolve(h);
        if (id != null) {
            h.nodeId = id;
            emit(h, out);
            return;
        }
        String key = holdKey(h);
        List<Heartbeat> list = held.get(key);
        if (list == null) {
            list = new ArrayList<>();
        }
        long earliest = Long.MAX_VALUE;
        for (Heartbeat x : list) {
            earliest = Math.min(earliest, x.eventTime);
        }
        if (h.eventTime < earliest) {
            // The hold waits from its earliest heartbeat; a timer at a later time finds nothing.
            ctx.timerService()
                    .registerEventTimeTimer(h.eventTime + config.identityWait().toMillis());
        }
        list.add(h);
        held.put(key, list);
        accounting.count(HELD);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Heartbeat> out)
            throws Exception {
        boolean ended = ctx.timerService().currentWatermark() == Long.MAX_VALUE;
        long wait = config.identityWait().toMillis();
        List<String> due = new ArrayList<>();
        for (Map.Entry<String, List<Heartbeat>> e : held.entries()) {
            long first = Long.MAX_VALUE;
            for (Heartbeat h : e.getValue()) {
                first = Math.min(first, h.eventTime);
            }
            if (ended || first + wait <= timestamp) {
                due.add(e.getKey());
            }
        }
        due.sort(null);
        for (String key : due) {
            giveUp(key, timestamp, out);
        }
        if (ended) {
            clearAll();
            return;
        }
        Long sweep = sweepAt.value();
        if (sweep != null && sweep == timestamp) {
            sweep(timestamp);
            if (addresses.isEmpty()
                    && uris.isEmpty()
                    && hotWallets.isEmpty()
                    && sessions.isEmpty()
                    && held.isEmpty()) {
                sweepAt.clear();
            } else {
                sweepAt.update(timestamp + SWEEP_MS);
                ctx.timerService().registerEventTimeTimer(timestamp + SWEEP_MS);
            }
        }
    }

    /** A snapshot entry: learns its bindings, releases what they resolve, then passes it on. */
    private void bind(Heartbeat h, Collector<Heartbeat> out) throws Exception {
        String a = h.address;
        long t = h.eventTime;
        Long seen = addresses.get(a);
        if (seen == null || seen < 0 || seen + TOUCH_MS <= t) {
            addresses.put(a, t);
        }
        List<String> release = new ArrayList<>();
        release.add(addressKey(a));
        if (h.uri != null) {
            Binding old = uris.get(h.uri);
            if (old == null || !a.equals(old.address) || old.seenAt + TOUCH_MS <= t) {
                uris.put(h.uri, new Binding(a, Math.max(t, old == null ? t : old.seenAt)));
            }
            if (old != null && old.address == null) {
                Heartbeat notice = notice(NodeIds.ORCHESTRATOR_URI + h.uri, t);
                notice.signal = Heartbeat.ALIAS_RESOLVED;
                out.collect(notice);
            }
            release.add(uriKey(h.uri));
        }
        if (h.hotWallet != null && !h.hotWallet.equals(a)) {
            Binding w = hotWallets.get(h.hotWallet);
            if (w == null) {
                hotWallets.put(h.hotWallet, new Binding(a, t));
            } else if (!w.ambiguous && !a.equals(w.address)) {
                w.ambiguous = true;
                w.seenAt = Math.max(w.seenAt, t);
                hotWallets.put(h.hotWallet, w);
            } else if (w.seenAt + TOUCH_MS <= t) {
                w.seenAt = t;
                hotWallets.put(h.hotWallet, w);
            }
            if (!hotWallets.get(h.hotWallet).ambiguous) {
                release.add(addressKey(h.hotWallet));
            }
        }
        List<Heartbeat> released = new ArrayList<>();
        for (String key : release) {
            List<Heartbeat> list = held.get(key);
            if (list != null) {
                held.remove(key);
                released.addAll(list);
            }
        }
        released.sort(ORDER);
        for (Heartbeat r : released) {
            r.nodeId = h.nodeId;
            emit(r, out);
        }
        emit(h, out);
    }

    /** The canonical node id of {@code h}, or null while no snapshot has bound what it names. */
    private String resolve(Heartbeat h) throws Exception {
        if (h.uri != null) {
            Binding b = uris.get(h.uri);
            if (b != null) {
                if (b.address == null) {
                    accounting.count(BY_URI);
                    return NodeIds.ORCHESTRATOR_URI + h.uri;
                }
                return NodeIds.ORCHESTRATOR + b.address;
            }
        }
        if (h.address != null) {
            Long known = addresses.get(h.address);
            // Negative: an address no snapshot listed, given up on; it stands for itself, but a
            // heartbeat that also names a URI waits for that URI's binding instead.
            if (known != null && (known >= 0 || h.uri == null)) {
                return NodeIds.ORCHESTRATOR + h.address;
            }
            Binding w = hotWallets.get(h.address);
            if (w != null && !w.ambiguous) {
                return NodeIds.ORCHESTRATOR + w.address;
            }
        }
        return null;
    }

    /** Releases a hold no snapshot resolved: under its URI, else its own address. */
    private void giveUp(String key, long at, Collector<Heartbeat> out) throws Exception {
        List<Heartbeat> list = held.get(key);
        held.remove(key);
        String id;
        if (key.startsWith(URI_HOLD)) {
            String uri = key.substring(URI_HOLD.length());
            uris.put(uri, new Binding(null, at));
            id = NodeIds.ORCHESTRATOR_URI + uri;
        } else {
            String address = key.substring(ADDRESS_HOLD.length());
            addresses.put(address, -at);
            id = NodeIds.ORCHESTRATOR + address;
        }
        list.sort(ORDER);
        for (Heartbeat h : list) {
            h.nodeId = id;
            emit(h, out);
        }
    }

    /** Passes a resolved heartbeat on, after any session notice its session's move calls for. */
    private void emit(Heartbeat h, Collector<Heartbeat> out) throws Exception {
        if (h.sessionId != null) {
            Binding on = sessions.get(h.sessionId);
            if (on == null || !h.nodeId.equals(on.address)) {
                if (on != null && h.eventTime >= on.seenAt) {
                    emitSessionEnd(on.address, h.sessionId, h.eventTime, out);
                }
                if (on == null || h.eventTime >= on.seenAt) {
                    sessions.put(h.sessionId, new Binding(h.nodeId, h.eventTime));
                }
            } else if (on.seenAt + TOUCH_MS <= h.eventTime) {
                on.seenAt = h.eventTime;
                sessions.put(h.sessionId, on);
            }
        }
        out.collect(h);
    }

    private void emitSessionEnd(
            String nodeId, String sessionId, long at, Collector<Heartbeat> out) {
        Heartbeat n = notice(nodeId, at);
        n.sessionId = sessionId;
        n.signal = Heartbeat.SESSION_END;
        accounting.count(SESSION_ENDS);
        out.collect(n);
    }

    private static Heartbeat notice(String nodeId, long at) {
        return new Heartbeat(nodeId, Heartbeat.ORCHESTRATOR, at, null, null, null, null, null);
    }

    private static final String URI_HOLD = "uri:";
    private static final String ADDRESS_HOLD = "address:";

    private static String holdKey(Heartbeat h) {
        return h.uri != null ? uriKey(h.uri) : addressKey(h.address);
    }

    private static String uriKey(String uri) {
        return URI_HOLD + uri;
    }

    private static String addressKey(String address) {
        return ADDRESS_HOLD + address;
    }

    private void scheduleSweep(long eventTime, Context ctx) throws Exception {
        if (sweepAt.value() == null) {
            long at = Math.max(eventTime, ctx.timerService().currentWatermark()) + SWEEP_MS;
            sweepAt.update(at);
            ctx.timerService().registerEventTimeTimer(at);
        }
    }

    /** Forgets bindings not confirmed for {@code forgetAfter} and sessions gone quiet. */
    private void sweep(long now) throws Exception {
        long forgetBefore = now - config.forgetAfter().toMillis();
        removeOlder(uris.iterator(), forgetBefore);
        removeOlder(hotWallets.iterator(), forgetBefore);
        removeOlder(sessions.iterator(), now - SESSION_RETENTION_MS);
        Iterator<Map.Entry<String, Long>> it = addresses.iterator();
        while (it.hasNext()) {
            if (Math.abs(it.next().getValue()) < forgetBefore) {
                it.remove();
            }
        }
        // A map emptied through its iterator can stay behind as an empty entry: clear it.
        if (uris.isEmpty()) {
            uris.clear();
        }
        if (hotWallets.isEmpty()) {
            hotWallets.clear();
        }
        if (sessions.isEmpty()) {
            sessions.clear();
        }
        if (addresses.isEmpty()) {
            addresses.clear();
        }
    }

    private static void removeOlder(Iterator<Map.Entry<String, Binding>> it, long before) {
        while (it.hasNext()) {
            if (it.next().getValue().seenAt < before) {
                it.remove();
            }
        }
    }

    private void clearAll() {
        uris.clear();
        addresses.clear();
        hotWallets.clear();
        held.clear();
        sessions.clear();
        sweepAt.clear();
    }
}
