package org.livepeer.naap.workload;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The simulated Livepeer network: gateways, orchestrators with their GPUs, models, prices and hot
 * wallets, and the workers attached to them. Built from the config alone, deterministically.
 */
final class Network {
    static final String LIVE_PIPELINE = "live-video-to-video";
    static final int LIVE_CAPABILITY = 35;

    /** A live-video-to-video model, its typical output fps on a reference GPU and its share. */
    record LiveModel(int index, String name, double baseFps, double weight, long warmupMs) {}

    record GpuType(String name, int major, int minor, long memoryBytes, double speed) {}

    record BatchModel(String pipeline, int capability, String model) {}

    static final List<LiveModel> LIVE_MODELS =
            List.of(
                    new LiveModel(0, "streamdiffusion-sdxl", 18.0, 0.45, 2500),
                    new LiveModel(1, "streamdiffusion-sdxl-faceid", 14.0, 0.20, 3500),
                    new LiveModel(2, "streamdiffusion", 26.0, 0.20, 1500),
                    new LiveModel(3, "comfyui", 12.0, 0.15, 4000));

    static final List<GpuType> GPU_TYPES =
            List.of(
                    new GpuType("NVIDIA GeForce RTX 4090", 8, 9, 25_757_220_864L, 1.00),
                    new GpuType("NVIDIA GeForce RTX 5090", 12, 0, 34_190_917_632L, 1.25),
                    new GpuType("NVIDIA A100-SXM4-80GB", 8, 0, 85_899_345_920L, 1.05),
                    new GpuType("NVIDIA H100 80GB HBM3", 9, 0, 85_520_809_984L, 1.35),
                    new GpuType("NVIDIA L40S", 8, 9, 48_305_799_168L, 0.95),
                    new GpuType("NVIDIA GeForce RTX 3090", 8, 6, 25_438_126_080L, 0.75));

    static final List<BatchModel> BATCH_MODELS =
            List.of(
                    new BatchModel("text-to-image", 27, "SG161222/RealVisXL_V4.0_Lightning"),
                    new BatchModel(
                            "image-to-video",
                            29,
                            "stabilityai/stable-video-diffusion-img2vid-xt-1-1"),
                    new BatchModel("audio-to-text", 31, "openai/whisper-large-v3"),
                    new BatchModel("llm", 33, "meta-llama/Meta-Llama-3.1-8B-Instruct"));

    static final String[] REGIONS = {"us-east", "eu-central", "us-west", "ap-southeast", "eu-west"};
    static final String[] BYOC_CAPABILITIES = {
        "comfystream-byoc", "video-analysis", "openai-proxy"
    };

    /** A node as the pipeline names it. */
    interface Node {
        /** {@code gateway:<host>}, {@code orchestrator:<address>} or {@code worker:<a>@<c>}. */
        String nodeId();

        /** {@code gateway}, {@code orchestrator} or {@code worker}. */
        String kind();
    }

    static final class Gateway implements Node {
        final int index;
        final String host;
        final String address;
        final String region;
        final String msgChainId;
        final boolean fillsLatency;
        final boolean remoteSigner;
        final double weight;
        final String nodeId;
        long streamrSequence;

        Gateway(int index, SplittableRandom r) {
            this.index = index;
            this.host = "gw-" + (index + 1) + ".example";
            this.address = Ids.address(r);
            this.region = REGIONS[index % REGIONS.length];
            this.msgChainId = Ids.base36(r, 20);
            this.fillsLatency = index % 3 != 1;
            this.remoteSigner = index % 3 == 2;
            this.weight = index == 0 ? 2.0 : 1.0;
            this.nodeId = "gateway:" + host;
        }

        @Override
        public String nodeId() {
            return nodeId;
        }

        @Override
        public String kind() {
            return "gateway";
        }
    }

    static final class Gpu {
        final String id;
        final GpuType type;
        final long memoryFree;

        Gpu(String id, GpuType type, long memoryFree) {
            this.id = id;
            this.type = type;
            this.memoryFree = memoryFree;
        }
    }

    /** One live model an orchestrator serves, on which GPUs, with how many slots, at what price. */
    static final class ModelOffer {
        final LiveModel model;
        final List<Gpu> gpus = new ArrayList<>();
        int capacity;
        long pricePerUnit;
        long pixelsPerUnit;

        ModelOffer(LiveModel model) {
            this.model = model;
        }

        private String priceText;

        /** The payment's {@code price} number: wei per pixel with three decimals. */
        String pricePerPixel() {
            if (priceText == null) {
                priceText = computePrice();
            }
            return priceText;
        }

        private String computePrice() {
            return BigDecimal.valueOf(pricePerUnit)
                    .divide(BigDecimal.valueOf(pixelsPerUnit))
                    .setScale(3, RoundingMode.HALF_UP)
                    .toPlainString();
        }

        double speed() {
            return gpus.get(0).type.speed();
        }
    }

    static final class Worker implements Node {
        final Orchestrator orchestrator;
        final String connection;

        private final String nodeId;

        Worker(Orchestrator orchestrator, String connection) {
            this.orchestrator = orchestrator;
            this.connection = connection;
            this.nodeId = "worker:" + orchestrator.addressLower + "@" + connection;
        }

        @Override
        public String nodeId() {
            return nodeId;
        }

        @Override
        public String kind() {
            return "worker";
        }
    }

    static final class Orchestrator implements Node {
        final int index;
        final String address;
        final String addressLower;
        final String nodeId;
        final String uri;
        final String region;
        final String version;
        final String runnerVersion;
        final String msgChainId;
        String hotWallet;
        String hotWalletLower;
        long clockOffsetMs;
        boolean transcodes;
        String byocCapability;
        final List<Gpu> gpus = new ArrayList<>();
        final List<ModelOffer> models = new ArrayList<>();
        final List<BatchModel> batch = new ArrayList<>();
        final List<Worker> workers = new ArrayList<>();
        final int[] inUse = new int[LIVE_MODELS.size()];
        long streamrSequence;

        Orchestrator(int index, SplittableRandom r) {
            this.index = index;
            this.address = Ids.address(r);
            this.addressLower = address.toLowerCase(Locale.ROOT);
            this.nodeId = "orchestrator:" + addressLower;
            this.uri = "https://orch-" + (index + 1) + ".example:8935";
            this.region = REGIONS[(index * 2 + 1) % REGIONS.length];
            this.version = "0.8." + (5 + r.nextInt(3));
            this.runnerVersion = "0.14." + r.nextInt(4);
            this.msgChainId = Ids.base36(r, 20);
        }

        ModelOffer offer(String model) {
            for (ModelOffer m : models) {
                if (m.model.name().equals(model)) {
                    return m;
                }
            }
            return null;
        }

        boolean serves(String model) {
            return offer(model) != null;
        }

        /** Orchestrator 1 never dies, so that every session can always be placed. */
        boolean mayDie() {
            return index > 0;
        }

        String hotWalletLower() {
            return hotWalletLower;
        }

        @Override
        public String nodeId() {
            return nodeId;
        }

        @Override
        public String kind() {
            return "orchestrator";
        }
    }

    final List<Gateway> gateways;
    final List<Orchestrator> orchestrators;
    final List<Worker> workers;
    private final Map<String, Orchestrator> byUri;
    private final Map<String, Orchestrator> byAddress;

    private Network(List<Gateway> gateways, List<Orchestrator> orchestrators) {
        this.gateways = Collections.unmodifiableList(gateways);
        this.orchestrators = Collections.unmodifiableList(orchestrators);
        List<Worker> ws = new ArrayList<>();
        Map<String, Orchestrator> uris = new LinkedHashMap<>();
        Map<String, Orchestrator> addresses = new LinkedHashMap<>();
        for (Orchestrator o : orchestrators) {
            ws.addAll(o.workers);
            uris.put(o.uri, o);
            addresses.put(o.address, o);
        }
        this.byAddress = addresses;
        this.workers = Collections.unmodifiableList(ws);
        this.byUri = uris;
    }

    /** Clears the state a run leaves behind (slot counts, Streamr sequence numbers). */
    void reset() {
        for (Gateway g : gateways) {
            g.streamrSequence = 0;
        }
        for (Orchestrator o : orchestrators) {
            o.streamrSequence = 0;
            Arrays.fill(o.inUse, 0);
        }
    }

    /** The orchestrator of a canonical address spelled as the network spells it, or null. */
    Orchestrator byAddress(String address) {
        return address == null ? null : byAddress.get(address);
    }

    /** The orchestrator at a service URI, or null. */
    Orchestrator byUri(String uri) {
        return uri == null ? null : byUri.get(uri);
    }

    static Network build(WorkloadConfig c) {
        SplittableRandom r = Ids.rng(c.seed(), "network", 0);
        List<Gateway> gws = new ArrayList<>();
        for (int i = 0; i < c.gateways(); i++) {
            gws.add(new Gateway(i, r));
        }
        List<Orchestrator> os = new ArrayList<>();
        for (int i = 0; i < c.orchestrators(); i++) {
            Orchestrator o = new Orchestrator(i, r);
            // One hot wallet can serve several orchestrators: the third always shares the
            // second's, later ones sometimes share their predecessor's.
            if (i >= 2 && (i == 2 || r.nextDouble() < 0.25)) {
                o.hotWallet = os.get(i - 1).hotWallet;
            } else {
                o.hotWallet = Ids.address(r);
            }
            o.hotWalletLower = o.hotWallet.toLowerCase(Locale.ROOT);
            GpuType type = GPU_TYPES.get(r.nextInt(GPU_TYPES.size()));
            int gpuCount = i == 0 ? 4 : 1 + r.nextInt(4);
            for (int g = 0; g < gpuCount; g++) {
                long free = type.memoryBytes() - (long) (type.memoryBytes() * 0.1 * r.nextDouble());
                o.gpus.add(new Gpu("GPU-" + Ids.uuid(r), type, free));
            }
            List<LiveModel> chosen = new ArrayList<>();
            if (i == 0) {
                chosen.addAll(LIVE_MODELS);
            } else {
                int k = 1 + r.nextInt(3);
                while (chosen.size() < k) {
                    LiveModel m = pickModel(r);
                    if (!chosen.contains(m)) {
                        chosen.add(m);
                    }
                }
                chosen.sort((a, b) -> Integer.compare(a.index(), b.index()));
            }
            for (LiveModel m : chosen) {
                o.models.add(new ModelOffer(m));
            }
            for (int g = 0; g < Math.max(gpuCount, o.models.size()); g++) {
                o.models.get(g % o.models.size()).gpus.add(o.gpus.get(g % gpuCount));
            }
            for (ModelOffer m : o.models) {
                m.capacity = m.gpus.size() * (m.model.baseFps() >= 20 ? 2 : 1);
                m.pixelsPerUnit = 1000;
                m.pricePerUnit = 900_000 + r.nextInt(1_300_000);
            }
            if (i == 0) {
                o.batch.add(BATCH_MODELS.get(0));
                o.batch.add(BATCH_MODELS.get(3));
            } else if (r.nextDouble() < 0.5) {
                o.batch.add(BATCH_MODELS.get(r.nextInt(BATCH_MODELS.size())));
            }
            o.transcodes = i == 0 || r.nextDouble() < 0.6;
            o.byocCapability =
                    i == 0 || r.nextDouble() < 0.3
                            ? BYOC_CAPABILITIES[r.nextInt(BYOC_CAPABILITIES.length)]
                            : null;
            int workers = i == 0 ? 2 : 1 + (r.nextDouble() < 0.4 ? 1 : 0);
            for (int w = 0; w < workers; w++) {
                o.workers.add(
                        new Worker(
                                o,
                                "10.0." + i + "." + (10 + w) + ":" + (40000 + r.nextInt(20000))));
            }
            os.add(o);
        }
        // Swaps need a second orchestrator for every model.
        if (os.size() >= 2) {
            for (LiveModel m : LIVE_MODELS) {
                long servers = os.stream().filter(o -> o.serves(m.name())).count();
                if (servers < 2) {
                    Orchestrator o = os.get(1);
                    ModelOffer offer = new ModelOffer(m);
                    offer.gpus.add(o.gpus.get(0));
                    offer.capacity = 1;
                    offer.pixelsPerUnit = 1000;
                    offer.pricePerUnit = 900_000 + r.nextInt(1_300_000);
                    o.models.add(offer);
                    o.models.sort((a, b) -> Integer.compare(a.model.index(), b.model.index()));
                }
            }
        }
        Sampler skew =
                new Sampler(
                        c.mess().rate(MessConfig.Kind.CLOCK_SKEW),
                        Ids.rng(c.seed(), "mess.clock_skew", 0),
                        true);
        for (Orchestrator o : os) {
            if (skew.next()) {
                SplittableRandom sr = skew.rng();
                o.clockOffsetMs = (sr.nextBoolean() ? 1 : -1) * (500L + sr.nextInt(2001));
            }
        }
        return new Network(gws, os);
    }

    static LiveModel pickModel(SplittableRandom r) {
        double x = r.nextDouble();
        for (LiveModel m : LIVE_MODELS) {
            x -= m.weight();
            if (x < 0) {
                return m;
            }
        }
        return LIVE_MODELS.get(0);
    }

    static LiveModel model(String name) {
        for (LiveModel m : LIVE_MODELS) {
            if (m.name().equals(name)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown live model " + name);
    }

    /** The network for {@code truth/workload.json}. */
    ObjectNode toJson() {
        ObjectNode n = Json.obj();
        ArrayNode g = n.putArray("gateways");
        for (Gateway gw : gateways) {
            ObjectNode o = g.addObject();
            o.put("node_id", gw.nodeId());
            o.put("host", gw.host);
            o.put("address", gw.address);
            o.put("region", gw.region);
            o.put("fills_whip_latency", gw.fillsLatency);
            o.put("remote_signer", gw.remoteSigner);
            o.put("may_go_silent", gw.index > 0);
        }
        ArrayNode a = n.putArray("orchestrators");
        for (Orchestrator o : orchestrators) {
            ObjectNode j = a.addObject();
            j.put("node_id", o.nodeId());
            j.put("address", o.address);
            j.put("local_address", o.hotWallet);
            j.put("orch_uri", o.uri);
            j.put("region", o.region);
            j.put("version", o.version);
            j.put("runner_version", o.runnerVersion);
            j.put("runner_clock_offset_ms", o.clockOffsetMs);
            j.put("may_die", o.mayDie());
            ArrayNode gpus = j.putArray("gpus");
            for (Gpu gpu : o.gpus) {
                ObjectNode x = gpus.addObject();
                x.put("id", gpu.id);
                x.put("name", gpu.type.name());
                x.put("memory_total", gpu.type.memoryBytes());
            }
            ArrayNode models = j.putArray("models");
            for (ModelOffer m : o.models) {
                ObjectNode x = models.addObject();
                x.put("pipeline", LIVE_PIPELINE);
                x.put("model", m.model.name());
                x.put("capacity", m.capacity);
                x.put("price_per_unit", m.pricePerUnit);
                x.put("pixels_per_unit", m.pixelsPerUnit);
                ArrayNode ids = x.putArray("gpu_ids");
                m.gpus.forEach(gpu -> ids.add(gpu.id));
            }
            ArrayNode batch = j.putArray("batch_models");
            for (BatchModel b : o.batch) {
                batch.addObject().put("pipeline", b.pipeline()).put("model", b.model());
            }
            j.put("transcodes", o.transcodes);
            j.put("byoc_capability", o.byocCapability);
        }
        ArrayNode w = n.putArray("workers");
        for (Worker wk : workers) {
            ObjectNode x = w.addObject();
            x.put("node_id", wk.nodeId());
            x.put("connection", wk.connection);
            x.put("eth_address", wk.orchestrator.address);
            x.put("orchestrator", wk.orchestrator.nodeId());
        }
        return n;
    }
}
