package org.livepeer.naap.workload;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.livepeer.naap.workload.Network.Gateway;
import org.livepeer.naap.workload.Network.LiveModel;
import org.livepeer.naap.workload.Network.Node;
import org.livepeer.naap.workload.Network.Orchestrator;

/**
 * Decides every session's outcome, start, length, gateway, model and orchestrators, and the node
 * deaths, before any event is emitted. Plans are small (one per session); events are generated
 * lazily from them.
 *
 * <p>Deaths are planned first: each {@code gateway_silent} session takes down a gateway other than
 * the first, each {@code orchestrator_dies} session an orchestrator other than the first, 25 to 75
 * s after it starts and at least 90 s before the end (so that the pipeline's idle timeout fires
 * within the input); the node comes back 1 to 3 minutes later, or never if that is past the end.
 * Every other session is then placed on a gateway and orchestrators that stay up for its whole span
 * (the first gateway and orchestrator never die, so one always exists). So no session is hit by a
 * death it was not drawn for, and the realized outcomes are exactly the drawn ones, except that
 * classes the network cannot produce become {@code success}: {@code gateway_silent} with one
 * gateway, {@code orchestrator_dies} and swaps with one orchestrator, and a death with no free
 * node.
 */
final class Planner {
    static final long ARRIVAL_HEAD_MS = 5_000;
    static final long ARRIVAL_TAIL_MS = 60_000;
    static final long END_MARGIN_MS = 5_000;
    static final long DEATH_BEFORE_END_MS = 90_000;
    static final long DOOMED_START_BEFORE_END_MS = 150_000;
    private static final long MARGIN_MS = 2_000;

    /** A node that dies at {@link #at} and comes back at {@link #recoverAt} (or never). */
    static final class Death {
        final Node node;
        final long at;
        final long recoverAt;
        final List<Plan> victims = new ArrayList<>();

        Death(Node node, long at, long recoverAt) {
            this.node = node;
            this.at = at;
            this.recoverAt = recoverAt;
        }

        boolean recovers() {
            return recoverAt != Long.MAX_VALUE;
        }
    }

    /** One session's plan. */
    static final class Plan {
        final int index;
        final SplittableRandom rng;
        final String streamId;
        final String requestId;
        Outcome outcome;
        final long start;
        long end;
        long cutAt = Long.MAX_VALUE;
        SessionScript.Cut cut = SessionScript.Cut.NONE;
        Gateway gateway;
        LiveModel model;
        Orchestrator first;
        Orchestrator second;
        long swapAt;

        Plan(int index, long seed, Outcome outcome, long start) {
            this.index = index;
            this.rng = Ids.rng(seed, "session", index);
            this.streamId = "stream-" + Ids.base36(rng, 6) + "-" + Ids.base36(rng, 8);
            this.requestId = Ids.hex(rng, 8);
            this.outcome = outcome;
            this.start = start;
        }

        String sessionId() {
            return streamId + "|" + requestId;
        }

        /** The last instant the session emits anything. */
        long effectiveEnd() {
            return Math.min(end, cutAt);
        }
    }

    final List<Plan> plans;
    final List<Death> deaths;
    private final Map<Node, List<Death>> byNode;

    private Planner(List<Plan> plans, List<Death> deaths, Map<Node, List<Death>> byNode) {
        this.plans = plans;
        this.deaths = deaths;
        this.byNode = byNode;
    }

    /** No sessions and no deaths: for scripted runs. */
    static Planner empty() {
        return new Planner(List.of(), List.of(), new IdentityHashMap<>());
    }

    /** True while {@code n} is dead at {@code t}. */
    boolean dead(Node n, long t) {
        List<Death> ds = byNode.get(n);
        if (ds == null) {
            return false;
        }
        for (Death d : ds) {
            if (d.at > t) {
                return false;
            }
            if (t < d.recoverAt) {
                return true;
            }
        }
        return false;
    }

    /** True when {@code n} has no death touching [a, b] (with a small margin). */
    boolean upThroughout(Node n, long a, long b) {
        List<Death> ds = byNode.get(n);
        if (ds == null) {
            return true;
        }
        for (Death d : ds) {
            if (d.at <= b + MARGIN_MS && d.recoverAt > a - MARGIN_MS) {
                return false;
            }
        }
        return true;
    }

    /** True when some node dies within (a, b]. {@link #deaths} is sorted by time. */
    boolean anyDeathWithin(long a, long b) {
        int lo = 0;
        int hi = deaths.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (deaths.get(mid).at <= a) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo < deaths.size() && deaths.get(lo).at <= b;
    }

    List<Death> deathsOf(Node n) {
        List<Death> ds = byNode.get(n);
        return ds == null ? List.of() : ds;
    }

    static Planner plan(WorkloadConfig c, Network net) {
        SplittableRandom r = Ids.rng(c.seed(), "plan", 0);
        long simStart = c.startMs();
        long simEnd = c.endMs();
        int n = c.sessions();
        long a0 = simStart + ARRIVAL_HEAD_MS;
        long a1 = simEnd - ARRIVAL_TAIL_MS;
        long[] starts = new long[n];
        for (int i = 0; i < n; i++) {
            starts[i] = a0 + (long) (r.nextDouble() * (a1 - a0));
        }
        Arrays.sort(starts);
        List<Outcome> classes = stratified(c.mix(), n);
        for (int i = classes.size() - 1; i > 0; i--) {
            Collections.swap(classes, i, r.nextInt(i + 1));
        }
        for (int i = 0; i < n; i++) {
            Outcome o = classes.get(i);
            if ((o == Outcome.GATEWAY_SILENT && net.gateways.size() < 2)
                    || ((o == Outcome.ORCHESTRATOR_DIES
                                    || o == Outcome.CONFIRMED_SWAP
                                    || o == Outcome.INFERRED_SWAP)
                            && net.orchestrators.size() < 2)) {
                classes.set(i, Outcome.SUCCESS);
            }
        }
        // A death needs room before the end: move doomed classes onto early enough arrivals.
        long latestDoomedStart = simEnd - DOOMED_START_BEFORE_END_MS;
        for (int i = 0; i < n; i++) {
            if (doomed(classes.get(i)) && starts[i] > latestDoomedStart) {
                List<Integer> free = new ArrayList<>();
                for (int j = 0; j < n; j++) {
                    if (!doomed(classes.get(j)) && starts[j] <= latestDoomedStart) {
                        free.add(j);
                    }
                }
                if (free.isEmpty()) {
                    classes.set(i, Outcome.SUCCESS);
                } else {
                    Collections.swap(classes, i, free.get(r.nextInt(free.size())));
                }
            }
        }
        List<Plan> plans = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Plan p = new Plan(i, c.seed(), classes.get(i), starts[i]);
            p.end = Math.min(p.start + duration(p.outcome, p.rng), simEnd - END_MARGIN_MS);
            if (p.outcome == Outcome.LEFT_OPEN) {
                p.end = simEnd + 120_000;
                p.cutAt = simEnd;
                p.cut = SessionScript.Cut.SIMULATION_END;
            }
            plans.add(p);
        }
        Planner pl = new Planner(plans, new ArrayList<>(), new IdentityHashMap<>());
        for (Plan p : plans) {
            if (p.outcome == Outcome.GATEWAY_SILENT) {
                pl.doom(p, net.gateways.subList(1, net.gateways.size()), simEnd, r);
            } else if (p.outcome == Outcome.ORCHESTRATOR_DIES) {
                pl.doom(p, net.orchestrators.subList(1, net.orchestrators.size()), simEnd, r);
            }
        }
        for (Plan p : plans) {
            pl.place(p, net, r);
        }
        pl.deaths.sort((x, y) -> Long.compare(x.at, y.at));
        for (List<Death> ds : pl.byNode.values()) {
            ds.sort((x, y) -> Long.compare(x.at, y.at));
        }
        return pl;
    }

    private static boolean doomed(Outcome o) {
        return o == Outcome.GATEWAY_SILENT || o == Outcome.ORCHESTRATOR_DIES;
    }

    /** Session lengths by class, in ms (scripts fit their events inside). */
    private static long duration(Outcome o, SplittableRandom r) {
        switch (o) {
            case NO_ORCHESTRATORS:
                return 300 + r.nextLong(2200);
            case EXCUSABLE_FAILURE:
                return 1500 + r.nextLong(5500);
            case UNEXCUSED_FAILURE:
                return 8000 + r.nextLong(37000);
            case LOADING_ONLY:
                return 30_000 + r.nextLong(90_000);
            case ZERO_OUTPUT_FPS:
                return 40_000 + r.nextLong(140_000);
            case CONFIRMED_SWAP:
            case INFERRED_SWAP:
                return logNormal(r, 180_000, 0.6, 60_000, 900_000);
            case PROMPT_UPDATES:
                return logNormal(r, 240_000, 0.6, 60_000, 1_200_000);
            case SUCCESS:
            default:
                return logNormal(r, 150_000, 0.8, 40_000, 1_800_000);
        }
    }

    private static long logNormal(
            SplittableRandom r, double median, double sigma, long lo, long hi) {
        double g = gaussian(r);
        return Math.max(lo, Math.min(hi, (long) (median * Math.exp(sigma * g))));
    }

    static double gaussian(SplittableRandom r) {
        double u = 1 - r.nextDouble();
        double v = r.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    /** Counts per class by largest remainder, at least one for each weighted class if n allows. */
    static List<Outcome> stratified(OutcomeMix mix, int n) {
        Map<Outcome, Integer> counts = new EnumMap<>(Outcome.class);
        List<Outcome> positive = new ArrayList<>();
        for (Outcome o : Outcome.values()) {
            if (mix.weight(o) > 0) {
                positive.add(o);
            }
        }
        int assigned = 0;
        double[] rest = new double[Outcome.values().length];
        for (Outcome o : Outcome.values()) {
            double exact = n * mix.fraction(o);
            int k = (int) Math.floor(exact);
            counts.put(o, k);
            rest[o.ordinal()] = exact - k;
            assigned += k;
        }
        while (assigned < n) {
            Outcome best = null;
            for (Outcome o : positive) {
                if (best == null || rest[o.ordinal()] > rest[best.ordinal()]) {
                    best = o;
                }
            }
            counts.merge(best, 1, Integer::sum);
            rest[best.ordinal()] = -1;
            assigned++;
        }
        if (n >= positive.size()) {
            for (Outcome o : positive) {
                if (counts.get(o) == 0) {
                    Outcome biggest =
                            Collections.max(positive, (x, y) -> counts.get(x) - counts.get(y));
                    counts.merge(biggest, -1, Integer::sum);
                    counts.put(o, 1);
                }
            }
        }
        List<Outcome> out = new ArrayList<>(n);
        for (Outcome o : Outcome.values()) {
            for (int i = 0; i < counts.get(o); i++) {
                out.add(o);
            }
        }
        return out;
    }

    /** Plans the death that cuts {@code p}, on one of {@code candidates}. */
    private void doom(Plan p, List<? extends Node> candidates, long simEnd, SplittableRandom r) {
        long latest = Math.min(p.start + 75_000, simEnd - DEATH_BEFORE_END_MS);
        long earliest = p.start + 25_000;
        if (earliest > latest || candidates.isEmpty()) {
            p.outcome = Outcome.SUCCESS;
            return;
        }
        long at = earliest + r.nextLong(latest - earliest + 1);
        List<Node> fresh = new ArrayList<>();
        for (Node c : candidates) {
            if (upThroughout(c, p.start - 200_000, at + 300_000)) {
                fresh.add(c);
            }
        }
        Death d = null;
        if (!fresh.isEmpty()) {
            Node node = fresh.get(r.nextInt(fresh.size()));
            long recover = at + 60_000 + r.nextLong(120_001);
            d = new Death(node, at, recover >= simEnd ? Long.MAX_VALUE : recover);
            deaths.add(d);
            byNode.computeIfAbsent(node, k -> new ArrayList<>()).add(d);
        } else {
            // Join a death already planned on a node that is up from this start until it dies.
            for (Death other : deaths) {
                if (candidates.contains(other.node)
                        && other.at >= earliest - 5_000
                        && other.at <= simEnd - DEATH_BEFORE_END_MS
                        && upThroughout(other.node, p.start, other.at - MARGIN_MS - 1)) {
                    d = other;
                    break;
                }
            }
        }
        if (d == null) {
            p.outcome = Outcome.SUCCESS;
            return;
        }
        d.victims.add(p);
        p.cutAt = d.at;
        p.end = Math.max(p.end, d.at + 30_000);
        if (d.node instanceof Gateway g) {
            p.gateway = g;
            p.cut = SessionScript.Cut.GATEWAY_SILENT;
        } else {
            Orchestrator o = (Orchestrator) d.node;
            p.first = o;
            p.model = o.models.get(r.nextInt(o.models.size())).model;
            p.cut = SessionScript.Cut.ORCHESTRATOR_DIES;
        }
    }

    /** Places a session on nodes that stay up through its span. */
    private void place(Plan p, Network net, SplittableRandom r) {
        long from = p.start;
        long to = p.effectiveEnd();
        if (p.gateway == null) {
            List<Gateway> ok = new ArrayList<>();
            for (Gateway g : net.gateways) {
                if (upThroughout(g, from, to)) {
                    ok.add(g);
                }
            }
            if (p.outcome == Outcome.LEFT_OPEN && ok.contains(net.gateways.get(0))) {
                // Streams that outlive the run stay off the gateways that may go silent.
                p.gateway = net.gateways.get(0);
            } else {
                p.gateway = pickGateway(ok.isEmpty() ? net.gateways : ok, r);
            }
        }
        if (p.outcome == Outcome.NO_ORCHESTRATORS || p.first != null) {
            return;
        }
        if (p.model == null) {
            p.model = Network.pickModel(r);
        }
        if (p.outcome == Outcome.CONFIRMED_SWAP || p.outcome == Outcome.INFERRED_SWAP) {
            long span = to - from;
            p.swapAt = from + Math.max(25_000, (long) (span * (0.3 + 0.4 * r.nextDouble())));
            p.swapAt = Math.min(p.swapAt, to - 20_000);
            List<Orchestrator> before = servers(net, p.model, from, p.swapAt);
            Orchestrator o1 = pickOrchestrator(before, p.model, r);
            List<Orchestrator> after = servers(net, p.model, p.swapAt, to);
            after.remove(o1);
            if (after.isEmpty()) {
                before.remove(net.orchestrators.get(0));
                List<Orchestrator> zero = servers(net, p.model, p.swapAt, to);
                if (!before.isEmpty() && zero.contains(net.orchestrators.get(0))) {
                    o1 = pickOrchestrator(before, p.model, r);
                    after = List.of(net.orchestrators.get(0));
                }
            }
            if (after.isEmpty()) {
                p.outcome = Outcome.SUCCESS;
                p.first = o1;
                return;
            }
            p.first = o1;
            p.second = pickOrchestrator(after, p.model, r);
            return;
        }
        List<Orchestrator> ok = servers(net, p.model, from, to);
        p.first = pickOrchestrator(ok, p.model, r);
    }

    private List<Orchestrator> servers(Network net, LiveModel m, long from, long to) {
        List<Orchestrator> out = new ArrayList<>();
        for (Orchestrator o : net.orchestrators) {
            if (o.serves(m.name()) && upThroughout(o, from, to)) {
                out.add(o);
            }
        }
        return out;
    }

    private static Gateway pickGateway(List<Gateway> gs, SplittableRandom r) {
        double total = 0;
        for (Gateway g : gs) {
            total += g.weight;
        }
        double x = r.nextDouble() * total;
        for (Gateway g : gs) {
            x -= g.weight;
            if (x < 0) {
                return g;
            }
        }
        return gs.get(gs.size() - 1);
    }

    /** Weighted by the slots each offers for the model. */
    private static Orchestrator pickOrchestrator(
            List<Orchestrator> os, LiveModel m, SplittableRandom r) {
        double total = 0;
        for (Orchestrator o : os) {
            total += o.offer(m.name()).capacity;
        }
        double x = r.nextDouble() * total;
        for (Orchestrator o : os) {
            x -= o.offer(m.name()).capacity;
            if (x < 0) {
                return o;
            }
        }
        return os.get(os.size() - 1);
    }
}
