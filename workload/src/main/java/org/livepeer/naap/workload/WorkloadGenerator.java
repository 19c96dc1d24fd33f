package org.livepeer.naap.workload;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.livepeer.naap.workload.Network.Node;
import org.livepeer.naap.workload.Network.Orchestrator;
import org.livepeer.naap.workload.Network.Worker;
import org.livepeer.naap.workload.Planner.Death;
import org.livepeer.naap.workload.Planner.Plan;

/**
 * Simulates a Livepeer network and writes what its nodes emit, with real-world mess, and the truth
 * of what happened. Same config, same bytes.
 *
 * <p>{@link #writeTo(Path)} writes:
 *
 * <ul>
 *   <li>{@code events.jsonl}: the input records in delivery order, one per line;
 *   <li>{@code truth/sessions.jsonl}: one row per session, in the order sessions end, with the
 *       fields of METRICS.md (see {@link SessionTruth} for the readings taken) and {@code outcome},
 *       the class of {@link Outcome} that happened;
 *   <li>{@code truth/nodes.jsonl}: one row per node transition ({@code node_id}, {@code node_kind},
 *       {@code transition}, {@code at}, {@code last_seen}, {@code active_sessions}, {@code reason};
 *       see {@link NodeTruth});
 *   <li>{@code truth/expected.json}: the accounting the pipeline must report ({@code records},
 *       {@code records_in}, {@code accepted}, {@code rejected}, {@code rejected_by_reason}, {@code
 *       duplicates}, {@code accepted_by_family}, {@code dropped}, {@code late}, {@code by_shape},
 *       {@code streamr_wrapped}, {@code bytes}, {@code sessions}, {@code outcomes}, {@code
 *       node_transitions}, and {@code mess}: per kind its rate, how many items it could apply to
 *       and how many it did);
 *   <li>{@code truth/workload.json}: the config, seed, network and planned node deaths.
 * </ul>
 *
 * <p>Generation is lazy: sessions are planned up front (a small record each), but events are made
 * per actor in time order and merged through a priority queue, and the mess holds events only for
 * its delivery window, so memory does not grow with the number of events.
 */
public final class WorkloadGenerator {
    private final WorkloadConfig config;
    private final Network scriptedNetwork;
    private final List<SessionScript> scripts;

    public WorkloadGenerator(WorkloadConfig c) {
        this.config = c;
        this.scriptedNetwork = null;
        this.scripts = null;
    }

    /**
     * Plays the given scripts instead of planning random sessions (and plans no node deaths); the
     * network is the one the scripts were built on. For hand-worked tests.
     */
    WorkloadGenerator(WorkloadConfig c, Network network, List<SessionScript> scripts) {
        this.config = c;
        this.scriptedNetwork = network;
        this.scripts = List.copyOf(scripts);
    }

    /** Writes {@code dir/events.jsonl} and {@code dir/truth/*}, creating the directories. */
    public WorkloadSummary writeTo(Path dir) throws IOException {
        Path truthDir = dir.resolve("truth");
        Files.createDirectories(truthDir);
        try (BufferedWriter events = writer(dir.resolve("events.jsonl"));
                BufferedWriter sessions = writer(truthDir.resolve("sessions.jsonl"));
                BufferedWriter nodes = writer(truthDir.resolve("nodes.jsonl"))) {
            RecordSink records = (line, t) -> line(events, line);
            TruthSink truth =
                    new TruthSink() {
                        @Override
                        public void workload(ObjectNode w) {
                            file(truthDir.resolve("workload.json"), w);
                        }

                        @Override
                        public void session(ObjectNode row) {
                            line(sessions, Json.write(row));
                        }

                        @Override
                        public void node(ObjectNode row) {
                            line(nodes, Json.write(row));
                        }

                        @Override
                        public void expected(ObjectNode e) {
                            file(truthDir.resolve("expected.json"), e);
                        }
                    };
            return generate(records, truth);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static BufferedWriter writer(Path p) throws IOException {
        return new BufferedWriter(
                new OutputStreamWriter(Files.newOutputStream(p), StandardCharsets.UTF_8), 1 << 20);
    }

    private static void line(Writer w, String s) {
        try {
            w.write(s);
            w.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void file(Path p, ObjectNode n) {
        try {
            Files.writeString(p, Json.pretty(n) + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Generates the workload into the sinks; records arrive in delivery order. */
    public WorkloadSummary generate(RecordSink records, TruthSink truth) {
        Network net = scripts != null ? scriptedNetwork : Network.build(config);
        net.reset();
        Planner planner = scripts != null ? Planner.empty() : Planner.plan(config, net);
        truth.workload(workloadJson(net, planner));

        Map<String, Long> outcomes = new TreeMap<>();
        long[] sessionCount = {0};
        NodeTruth nodes = new NodeTruth(net, truth::node);
        Delivery delivery = new Delivery(config, planner, records);

        PriorityQueue<Actor> queue =
                new PriorityQueue<>(
                        Comparator.comparingLong((Actor a) -> a.time)
                                .thenComparingLong(a -> a.order));
        long[] order = {0};
        List<Actor> nodeActors =
                new NodeActors(config, net, planner)
                        .build(
                                d -> {
                                    List<String> victims = new ArrayList<>();
                                    for (Plan p : d.victims) {
                                        victims.add(p.sessionId());
                                    }
                                    died(nodes, d, victims);
                                });
        for (Actor a : nodeActors) {
            a.order = order[0]++;
            if (a.refresh() != Actor.DONE) {
                queue.add(a);
            }
        }
        Consumer<SessionActor> onEnd =
                s -> {
                    truth.session(s.truth.finish());
                    outcomes.merge(s.script.outcome.wireName(), 1L, Long::sum);
                    sessionCount[0]++;
                };
        List<SessionScript> scripted = scripts == null ? List.of() : sortedByStart(scripts);
        int nextScript = 0;
        int nextPlan = 0;
        List<Plan> plans = planner.plans;
        while (true) {
            long head = queue.isEmpty() ? Long.MAX_VALUE : queue.peek().time;
            boolean activated = false;
            while (nextPlan < plans.size() && plans.get(nextPlan).start <= head) {
                SessionScript s = RandomSessions.script(plans.get(nextPlan++));
                activated |= activate(queue, new SessionActor(s, net, onEnd), order);
            }
            while (nextScript < scripted.size() && scripted.get(nextScript).start() <= head) {
                activated |=
                        activate(
                                queue,
                                new SessionActor(scripted.get(nextScript++), net, onEnd),
                                order);
            }
            if (activated) {
                continue;
            }
            if (queue.isEmpty()) {
                break;
            }
            Actor a = queue.poll();
            Event e = a.take();
            if (e != null) {
                process(e, planner, delivery, nodes);
            }
            // After the event: a session's truth row must include its last event.
            if (a.refresh() != Actor.DONE) {
                queue.add(a);
            } else {
                a.finish();
            }
        }
        delivery.finish();

        Accounting acc = delivery.accounting;
        ObjectNode expected = acc.toJson();
        expected.put("sessions", sessionCount[0]);
        ObjectNode o = expected.putObject("outcomes");
        outcomes.forEach(o::put);
        expected.put("node_transitions", nodes.rows());
        expected.set("mess", delivery.messStats(net));
        truth.expected(expected);
        return new WorkloadSummary(
                acc.records,
                acc.recordsIn,
                acc.accepted,
                acc.rejected,
                acc.rejectedByReason,
                acc.duplicates,
                acc.acceptedByFamily,
                acc.dropped,
                acc.late,
                acc.byShape,
                acc.streamrWrapped,
                sessionCount[0],
                outcomes,
                nodes.rows(),
                acc.bytes,
                acc.firstDelivery,
                acc.lastDelivery);
    }

    private static void process(Event e, Planner planner, Delivery delivery, NodeTruth nodes) {
        if (e.action != null) {
            e.action.run();
            return;
        }
        if (planner.dead(e.emitter, e.time) || !delivery.admit(e)) {
            return;
        }
        if (e.session != null) {
            e.session.truth.accept(e);
        }
        if (nodes.accept(e)) {
            // An event that makes a node appear must not arrive late: the pipeline would date the
            // transition by its arrival.
            e.flags &= ~Event.LATEABLE;
        }
        delivery.send(e);
    }

    private static boolean activate(PriorityQueue<Actor> queue, SessionActor s, long[] order) {
        s.order = order[0]++;
        if (s.refresh() == Actor.DONE) {
            s.finish();
            return false;
        }
        queue.add(s);
        return true;
    }

    private static List<SessionScript> sortedByStart(List<SessionScript> ss) {
        List<SessionScript> out = new ArrayList<>(ss);
        out.sort(Comparator.comparingLong(SessionScript::start));
        return out;
    }

    private static void died(NodeTruth nodes, Death d, List<String> victims) {
        Node n = d.node;
        if (n instanceof Orchestrator o) {
            nodes.died(o, d.at, "orchestrator_died", victims);
            for (Worker w : o.workers) {
                nodes.died(w, d.at, "orchestrator_died", List.of());
            }
        } else {
            nodes.died(n, d.at, "gateway_silent", victims);
        }
    }

    private ObjectNode workloadJson(Network net, Planner planner) {
        ObjectNode w = Json.obj();
        w.put("generator", "naap-workload");
        w.put("seed", config.seed());
        ObjectNode c = w.putObject("config");
        c.put("seed", config.seed());
        c.put("sessions", config.sessions());
        c.put("orchestrators", config.orchestrators());
        c.put("gateways", config.gateways());
        c.put("duration", config.duration().toString());
        c.put("duration_ms", config.duration().toMillis());
        c.put("start", config.start().toString());
        c.put("start_ms", config.startMs());
        c.put("end_ms", config.endMs());
        ObjectNode mix = c.putObject("mix");
        config.mix().weights().forEach((k, v) -> mix.put(k.wireName(), v));
        ObjectNode mess = c.putObject("mess");
        config.mess().rates().forEach((k, v) -> mess.put(k.wireName(), v));
        c.put("mix_spec", config.mix().toSpec());
        c.put("mess_spec", config.mess().toSpec());
        c.put("scripted", scripts != null);
        w.set("network", net.toJson());
        ArrayNode incidents = w.putArray("incidents");
        for (Death d : planner.deaths) {
            ObjectNode i = incidents.addObject();
            i.put("node_id", d.node.nodeId());
            i.put("dies_at", d.at);
            if (d.recovers()) {
                i.put("recovers_at", d.recoverAt);
            } else {
                i.putNull("recovers_at");
            }
            ArrayNode v = i.putArray("sessions");
            d.victims.forEach(p -> v.add(p.sessionId()));
        }
        return w;
    }
}
