package org.livepeer.naap.workload;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.livepeer.naap.workload.Network.BatchModel;
import org.livepeer.naap.workload.Network.Gateway;
import org.livepeer.naap.workload.Network.Gpu;
import org.livepeer.naap.workload.Network.ModelOffer;
import org.livepeer.naap.workload.Network.Orchestrator;
import org.livepeer.naap.workload.Network.Worker;
import org.livepeer.naap.workload.Planner.Death;

/**
 * The actors of the nodes themselves, besides sessions: process (re)starts ({@code node_trace}),
 * worker connections, each gateway's {@code discovery_results} (every 30 s) and {@code
 * network_capabilities} snapshots of the orchestrators it can reach (every 60 s), batch AI, LLM and
 * bring-your-own-container jobs, transcoding {@code job-processed} and redeemed tickets. A node's
 * events stop while it is dead (the generator drops them), and snapshots leave dead orchestrators
 * out.
 */
final class NodeActors {
    static final long DISCOVERY_INTERVAL_MS = 30_000;
    static final long CAPABILITIES_INTERVAL_MS = 60_000;
    static final String[] UNKNOWN_TYPES = {
        "gateway_stats_v2", "orchestrator_metrics", "payment_channel_update", "session_summary_v0"
    };

    private final WorkloadConfig config;
    private final Network net;
    private final Planner planner;

    NodeActors(WorkloadConfig config, Network net, Planner planner) {
        this.config = config;
        this.net = net;
        this.planner = planner;
    }

    /** Every node actor, plus the markers that report the planned deaths to {@code onDeath}. */
    List<Actor> build(Consumer<Death> onDeath) {
        long s = config.startMs();
        long end = config.endMs();
        long seed = config.seed();
        List<Actor> out = new ArrayList<>();
        for (Gateway g : net.gateways) {
            SplittableRandom r = Ids.rng(seed, "gateway", g.index);
            Actor.Timeline life = new Actor.Timeline();
            life.add(s + r.nextLong(2000), () -> nodeTrace(s, g, "gateway-reset"));
            for (Death d : planner.deathsOf(g)) {
                if (d.recovers()) {
                    long at = d.recoverAt;
                    life.add(at, () -> nodeTrace(at, g, "gateway-reset"));
                }
            }
            if (g.index == net.gateways.size() - 1) {
                long at = s + (long) (config.duration().toMillis() * 0.45) + r.nextLong(60_000);
                if (planner.upThroughout(g, at - 150_000, at + 150_000)) {
                    life.add(at, () -> nodeTrace(at, g, "gateway-reset"));
                }
            }
            out.add(life);
            out.add(
                    new Actor.Periodic(
                            s + 2000 + r.nextLong(DISCOVERY_INTERVAL_MS),
                            DISCOVERY_INTERVAL_MS,
                            1000,
                            end,
                            r.split(),
                            t -> discovery(t, g)));
            SplittableRandom cr = r.split();
            out.add(
                    new Actor.Periodic(
                            s + 3000 + r.nextLong(CAPABILITIES_INTERVAL_MS),
                            CAPABILITIES_INTERVAL_MS,
                            2000,
                            end,
                            cr,
                            t -> capabilities(t, g, cr)));
            out.add(new JobActor(g, s, end, r.split()));
        }
        for (Orchestrator o : net.orchestrators) {
            SplittableRandom r = Ids.rng(seed, "orchestrator", o.index);
            Actor.Timeline life = new Actor.Timeline();
            start(life, o, s + r.nextLong(3000), r);
            for (Death d : planner.deathsOf(o)) {
                if (d.recovers()) {
                    start(life, o, d.recoverAt, r);
                }
            }
            if (o.index == 0 && o.workers.size() >= 2) {
                Worker w = o.workers.get(o.workers.size() - 1);
                long off = s + (long) (config.duration().toMillis() * 0.3);
                long on = s + (long) (config.duration().toMillis() * 0.6);
                life.add(off, () -> worker(off, w, "worker-disconnected"));
                life.add(on, () -> worker(on, w, "worker-connected"));
            }
            out.add(life);
            if (o.transcodes) {
                SplittableRandom tr = r.split();
                out.add(new Actor.Poisson(s, 30_000, end, tr, t -> transcoded(t, o, tr)));
            }
            SplittableRandom rr = r.split();
            out.add(new Actor.Poisson(s, 600_000, end, rr, t -> redeemed(t, o, rr)));
        }
        Actor.Timeline markers = new Actor.Timeline();
        for (Death d : planner.deaths) {
            markers.add(d.at, () -> Event.marker(d.at, () -> onDeath.accept(d)));
        }
        if (!markers.isEmpty()) {
            out.add(markers);
        }
        return out;
    }

    /** An orchestrator process start: its reset, its workers attaching, a BYOC worker. */
    private void start(Actor.Timeline life, Orchestrator o, long at, SplittableRandom r) {
        // Every fourth orchestrator runs its transcoder in the same process: a combined node.
        String what = o.index % 4 == 3 ? "node-reset" : "orchestrator-reset";
        life.add(at, () -> nodeTrace(at, o, what));
        long t = at;
        for (Worker w : o.workers) {
            long reset = t + 1000 + r.nextLong(3000);
            long connect = reset + 100 + r.nextLong(400);
            life.add(reset, () -> nodeTrace(reset, o, "transcoder-reset"));
            life.add(connect, () -> worker(connect, w, "worker-connected"));
            t = connect;
        }
        if (o.byocCapability != null) {
            long reg = t + 2000 + r.nextLong(5000);
            life.add(reg, () -> byocWorker(reg, o));
        }
    }

    private static Event nodeTrace(long t, Network.Node emitter, String what) {
        return new Event(t, "node_trace", TextNode.valueOf(what), emitter, null, 0);
    }

    private static Event worker(long t, Worker w, String type) {
        ObjectNode d = Json.obj();
        d.put("connection", w.connection);
        d.put("ethAddress", w.orchestrator.address);
        return new Event(t, type, d, w.orchestrator, null, 0);
    }

    private static Event byocWorker(long t, Orchestrator o) {
        ObjectNode d = Json.obj();
        d.put("capability", o.byocCapability);
        d.put("success", true);
        d.put("worker_url", "http://10.0." + o.index + ".50:9000");
        d.set("orchestrator_info", SessionPayloads.orchestratorInfo(o));
        d.putArray("worker_options").addObject().put("model", o.byocCapability + "-v1");
        return new Event(t, "worker_lifecycle", d, o, null, 0);
    }

    private List<Orchestrator> alive(long t) {
        List<Orchestrator> out = new ArrayList<>();
        for (Orchestrator o : net.orchestrators) {
            if (!planner.dead(o, t)) {
                out.add(o);
            }
        }
        return out;
    }

    private Event discovery(long t, Gateway g) {
        ArrayNode a = Json.arr();
        for (Orchestrator o : alive(t)) {
            ObjectNode e = a.addObject();
            e.put("address", o.hotWalletLower());
            long latency =
                    20
                            + (g.index * 31L + o.index * 17L) % 150
                            + Math.floorMod(t / 1000 + o.index, 15);
            e.put("latency_ms", Long.toString(latency));
            e.put("url", o.uri);
        }
        return new Event(t, "discovery_results", a, g, null, Event.LATEABLE);
    }

    private Event capabilities(long t, Gateway g, SplittableRandom r) {
        ArrayNode a = Json.arr();
        for (Orchestrator o : alive(t)) {
            a.add(capabilityEntry(o, r));
        }
        return new Event(t, "network_capabilities", a, g, null, Event.LATEABLE);
    }

    static ObjectNode capabilityEntry(Orchestrator o, SplittableRandom r) {
        ObjectNode e = Json.obj();
        e.put("address", o.address);
        e.put("local_address", o.hotWallet);
        e.put("orch_uri", o.uri);
        ObjectNode caps = e.putObject("capabilities");
        TreeMap<Integer, Integer> capacities = new TreeMap<>();
        if (o.transcodes) {
            for (int c = 0; c <= 26; c++) {
                capacities.put(c, 2);
            }
        }
        for (BatchModel b : o.batch) {
            capacities.merge(b.capability(), 1, Integer::sum);
        }
        int live = 0;
        for (ModelOffer m : o.models) {
            live += m.capacity;
        }
        if (live > 0) {
            capacities.put(Network.LIVE_CAPABILITY, live);
        }
        long word = 0;
        for (int c : capacities.keySet()) {
            word |= 1L << c;
        }
        caps.putArray("bitstring").add(word);
        ObjectNode cp = caps.putObject("capacities");
        capacities.forEach((k, v) -> cp.put(Integer.toString(k), v));
        caps.put("version", o.version);
        ObjectNode constraints = caps.putObject("constraints");
        constraints.put("minVersion", "0.8.3");
        ObjectNode per = constraints.putObject("PerCapability");
        ObjectNode liveModels =
                per.putObject(Integer.toString(Network.LIVE_CAPABILITY)).putObject("models");
        for (ModelOffer m : o.models) {
            ObjectNode x = liveModels.putObject(m.model.name());
            x.put("warm", true);
            x.put("capacity", m.capacity);
            x.put("capacityInUse", Math.min(m.capacity, o.inUse[m.model.index()]));
            x.put("runnerVersion", o.runnerVersion);
        }
        for (BatchModel b : o.batch) {
            ObjectNode x =
                    per.withObjectProperty(Integer.toString(b.capability()))
                            .withObjectProperty("models")
                            .putObject(b.model());
            x.put("warm", r.nextBoolean());
            x.put("capacity", 1);
            x.put("capacityInUse", 0);
            x.put("runnerVersion", o.runnerVersion);
        }
        ArrayNode prices = e.putArray("capabilities_prices");
        for (ModelOffer m : o.models) {
            ObjectNode p = prices.addObject();
            p.put("pricePerUnit", m.pricePerUnit);
            p.put("pixelsPerUnit", m.pixelsPerUnit);
            p.put("capability", Network.LIVE_CAPABILITY);
            p.put("constraint", m.model.name());
        }
        ArrayNode hw = e.putArray("hardware");
        for (ModelOffer m : o.models) {
            ObjectNode h = hw.addObject();
            h.put("pipeline", Network.LIVE_PIPELINE);
            h.put("model_id", m.model.name());
            ObjectNode info = h.putObject("gpu_info");
            for (int i = 0; i < m.gpus.size(); i++) {
                Gpu gpu = m.gpus.get(i);
                ObjectNode x = info.putObject(Integer.toString(i));
                x.put("id", gpu.id);
                x.put("name", gpu.type.name());
                x.put("major", gpu.type.major());
                x.put("minor", gpu.type.minor());
                x.put("memory_free", gpu.memoryFree);
                x.put("memory_total", gpu.type.memoryBytes());
            }
        }
        return e;
    }

    private static Event transcoded(long t, Orchestrator o, SplittableRandom r) {
        ObjectNode d = Json.obj();
        long duration = r.nextBoolean() ? 2000 : 4167;
        long units = 1280L * 720 * 30 * duration / 1000;
        long price = 100 + r.nextInt(100);
        d.put("computeUnits", units);
        d.put("duration", duration);
        d.put("ethAddress", o.address);
        d.put("fees", units * price);
        d.put("pricePerComputeUnit", price);
        d.put("realTimeRatio", 2 + r.nextInt(7));
        d.put("responseTime", 300 + r.nextInt(900));
        return new Event(t, "job-processed", d, o, null, 0);
    }

    private Event redeemed(long t, Orchestrator o, SplittableRandom r) {
        ObjectNode d = Json.obj();
        d.put("recipient", o.address);
        d.put(
                "faceValue",
                Long.toString(2_400_000_000_000_000L + r.nextInt(1_000_000) * 1_000_000_000L));
        d.put("sender", net.gateways.get(r.nextInt(net.gateways.size())).address);
        d.put("winProb", "0.00" + (10_000_000 + r.nextInt(90_000_000)));
        d.put("pricePerPixel", 900 + r.nextInt(1300));
        d.put("creationRound", 4012 + (t - config.startMs()) / 86_400_000L);
        d.put("txHash", "0x" + Ids.hex(r, 64));
        return new Event(t, "ticket-redeemed", d, o, null, 0);
    }

    /**
     * One gateway's non-live jobs: batch AI requests (with the orchestrator's {@code job-received}
     * and {@code job-processed}), LLM requests and bring-your-own-container jobs, one after another
     * at exponential gaps of mean 45 s.
     */
    private final class JobActor extends Actor {
        private final Gateway g;
        private final long end;
        private final SplittableRandom r;
        private final List<Event> pending = new ArrayList<>();
        private long nextJob;

        JobActor(Gateway g, long start, long end, SplittableRandom r) {
            this.g = g;
            this.end = end;
            this.r = r;
            this.nextJob = start + 1 + (long) (-Math.log(1 - r.nextDouble()) * 45_000);
            refill();
        }

        private void refill() {
            while (pending.isEmpty() && nextJob < end) {
                long t = nextJob;
                job(t);
                long last = pending.isEmpty() ? t : pending.get(pending.size() - 1).time;
                nextJob = Math.max(last, t) + 1 + (long) (-Math.log(1 - r.nextDouble()) * 45_000);
            }
        }

        @Override
        long peek() {
            return pending.isEmpty() ? DONE : pending.get(0).time;
        }

        @Override
        Event take() {
            Event e = pending.remove(0);
            refill();
            return e;
        }

        private void job(long t) {
            List<Orchestrator> up = alive(t);
            double x = r.nextDouble();
            String requestId = Ids.uuid(r);
            if (x < 0.5) {
                List<Orchestrator> os = new ArrayList<>();
                for (Orchestrator o : up) {
                    if (o.batch.stream().anyMatch(b -> b.capability() != 33)) {
                        os.add(o);
                    }
                }
                if (!os.isEmpty()) {
                    batch(t, os.get(r.nextInt(os.size())), requestId);
                }
            } else if (x < 0.8) {
                List<Orchestrator> os = new ArrayList<>();
                for (Orchestrator o : up) {
                    if (o.batch.stream().anyMatch(b -> b.capability() == 33)) {
                        os.add(o);
                    }
                }
                if (!os.isEmpty()) {
                    llm(t, os.get(r.nextInt(os.size())), requestId);
                }
            } else {
                List<Orchestrator> os = new ArrayList<>();
                for (Orchestrator o : up) {
                    if (o.byocCapability != null) {
                        os.add(o);
                    }
                }
                if (!os.isEmpty()) {
                    byoc(t, os.get(r.nextInt(os.size())), requestId);
                }
            }
        }

        private void batch(long t, Orchestrator o, String requestId) {
            BatchModel m = null;
            for (BatchModel b : o.batch) {
                if (b.capability() != 33) {
                    m = b;
                }
            }
            long d = 800 + r.nextLong(8200);
            boolean ok = r.nextDouble() < 0.95;
            ObjectNode rec = Json.obj();
            rec.put("type", "ai_batch_request_received");
            rec.put("request_id", requestId);
            rec.put("pipeline", m.pipeline());
            rec.put("model_id", m.model());
            pending.add(new Event(t, "ai_batch_request", rec, g, null, 0));
            ObjectNode jr = Json.obj();
            jr.put("ethAddress", o.address);
            jr.put("requestID", requestId);
            jr.put("pipeline", m.pipeline());
            jr.put("modelID", m.model());
            pending.add(new Event(t + 30, "job-received", jr, o, null, 0));
            long units = 1024L * 1024 * (1 + r.nextInt(4));
            long price = 4 + r.nextInt(8);
            if (ok) {
                ObjectNode jp = Json.obj();
                jp.put("ethAddress", o.address);
                jp.put("requestID", requestId);
                jp.put("pipeline", m.pipeline());
                jp.put("modelID", m.model());
                jp.put("responseTime", (d - 80) * 1_000_000L);
                jp.put("computeUnits", units);
                jp.put("pricePerComputeUnit", price);
                jp.put("fees", units * price);
                pending.add(new Event(t + d - 40, "job-processed", jp, o, null, 0));
            }
            ObjectNode done = Json.obj();
            done.put("type", "ai_batch_request_completed");
            done.put("request_id", requestId);
            done.put("pipeline", m.pipeline());
            done.put("model_id", m.model());
            done.put("success", ok);
            done.put("tries", ok ? 1 : 2);
            done.put("duration_ms", d);
            done.put("orch_url", o.uri);
            done.put("latency_score", Math.round(r.nextDouble() * 1000) / 1000.0);
            done.put("price_per_unit", Long.toString(price));
            done.put("error_type", ok ? "" : "timeout");
            if (ok) {
                done.putNull("error");
            } else {
                done.put("error", "context deadline exceeded");
            }
            pending.add(new Event(t + d, "ai_batch_request", done, g, null, 0));
        }

        private void llm(long t, Orchestrator o, String requestId) {
            String model = Network.BATCH_MODELS.get(3).model();
            ObjectNode jr = Json.obj();
            jr.put("ethAddress", o.address);
            jr.put("requestID", requestId);
            jr.put("pipeline", "llm");
            jr.put("modelID", model);
            pending.add(new Event(t + 30, "job-received", jr, o, null, 0));
            int prompt = 20 + r.nextInt(400);
            int completion = 50 + r.nextInt(600);
            double tps = 30 + r.nextDouble() * 60;
            long ttft = 80 + r.nextInt(400);
            long d = ttft + (long) (completion / tps * 1000);
            ObjectNode x = Json.obj();
            x.put("type", r.nextBoolean() ? "llm_request_completed" : "llm_stream_completed");
            x.put("request_id", requestId);
            x.put("model", model);
            x.put("orch_url", o.uri);
            x.put("prompt_tokens", prompt);
            x.put("completion_tokens", completion);
            x.put("total_tokens", prompt + completion);
            x.put("total_duration_ms", d);
            x.put("tokens_per_second", Math.round(tps * 10) / 10.0);
            x.put("ttft_ms", ttft);
            x.put("finish_reason", "stop");
            x.put("error", "");
            pending.add(new Event(t + d, "ai_llm_request", x, g, null, 0));
        }

        private void byoc(long t, Orchestrator o, String requestId) {
            long d = 100 + r.nextLong(3000);
            boolean ok = r.nextDouble() < 0.9;
            String workerUrl = "http://10.0." + o.index + ".50:9000";
            String amount = Long.toString(1_000_000_000L + r.nextInt(1_000_000));
            ObjectNode auth = Json.obj();
            auth.put("request_id", requestId);
            auth.put("capability", o.byocCapability);
            auth.put("success", true);
            auth.set("orchestrator_info", SessionPayloads.orchestratorInfo(o));
            pending.add(new Event(t, "job_auth", auth, o, null, 0));
            ObjectNode pay = Json.obj();
            pay.put("request_id", requestId);
            pay.put("capability", o.byocCapability);
            pay.put("amount", amount);
            pay.put("currency", "wei");
            pending.add(new Event(t + 5, "job_payment", pay, o, null, 0));
            for (String type : new String[] {"job_orchestrator", "job_gateway"}) {
                ObjectNode j = Json.obj();
                j.put("request_id", requestId);
                j.put("capability", o.byocCapability);
                j.put("success", ok);
                j.put("duration_ms", d);
                j.put("http_status", ok ? 200 : 500);
                j.put("worker_url", workerUrl);
                j.set("orchestrator_info", SessionPayloads.orchestratorInfo(o));
                if (type.equals("job_gateway")) {
                    j.put("amount", amount);
                    j.put("currency", "wei");
                }
                j.putArray("worker_options").addObject().put("model", o.byocCapability + "-v1");
                boolean gw = type.equals("job_gateway");
                pending.add(new Event(gw ? t + d : t + d - 10, type, j, gw ? g : o, null, 0));
            }
        }
    }

    /**
     * An extra event of an unknown family, from the same node and at the same time as {@code e}.
     */
    static Event unknown(Event e, SplittableRandom r) {
        ObjectNode d = Json.obj();
        d.put("schema", "v0-experimental");
        d.put("value", r.nextInt(1000));
        d.put("note", "not in the contract");
        Event u =
                new Event(
                        e.time,
                        UNKNOWN_TYPES[r.nextInt(UNKNOWN_TYPES.length)],
                        d,
                        e.emitter,
                        null,
                        Event.UNKNOWN);
        return u;
    }
}
